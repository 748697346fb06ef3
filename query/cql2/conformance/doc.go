// Package conformance holds the tests that check CQL2 as the standard (OGC
// 21-065r2) defines it, through SIT's HTTP API on a real PostGIS: the
// data-driven cases of its Annex A on the OGC's test data (when
// SIT_CQL2_DATA points at it), the same case shapes on a stand-in dataset
// built from data SIT ships, the queryable-driven tests of every declared
// conformance class, and fuzzing of both encodings through translation and
// execution. It has no code besides its tests.
package conformance
