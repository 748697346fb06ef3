// Package access is the one home of who may see and do what: roles,
// principals (an account, a machine token or nobody), the comune a request
// is about, and the catalog each request sees. Every feature package (the
// OGC API, tiles, parcels, reports, /layers) reads layers through Catalog,
// which filters them by the principal and the comune carried in the
// request's context; no handler decides visibility itself. It knows
// nothing of HTTP or of the database.
package access
