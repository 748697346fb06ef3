// Package layers is SIT's catalog and storage: the layer model (sit.layers,
// kinds, roles, visibility, comuni), the embedded migrations, the versioned
// loader that stages an import with COPY, builds a new table per version and
// swaps it into the catalog in one transaction, the import history, and the
// catalog snapshots a server reads (refreshed on NOTIFY, and by polling).
// It knows nothing of HTTP; it is the one home of SIT's DDL.
package layers
