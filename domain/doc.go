// Package domain is SIT's vocabulary: what the layers of a territorial
// information system are (kinds and their canonical columns, roles), how
// Italian offices name a parcel (cadastral references, Belfiore codes),
// the classes of the zoning (DM 1444/68) and of broadband coverage (speed
// bands, white/grey/black areas), and the one table of colours and legend
// labels that the map style, the viewer, the HTML report and the PDF read.
//
// It imports nothing of SIT: the catalog (layers), the importers, the
// lookups (cadastre), the reports and the tiles all import it, so each rule
// is written once. Where a rule must also exist in SQL (the speed band and
// the area class the loader derives), a test in package layers proves that
// the two agree on every boundary value.
package domain
