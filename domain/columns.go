package domain

// ValueType is the type of a canonical column's values. The names are
// those of layers.FieldType, which stores them (layers converts one into
// the other; a test there keeps the names equal).
type ValueType string

const (
	ValueText   ValueType = "text"
	ValueDouble ValueType = "double"
	ValueDate   ValueType = "date"
)

// Column is a canonical column: a name every layer of a kind has, whatever
// the source calls it (DESIGN §3).
type Column struct {
	Name string
	Type ValueType
}

// CanonicalColumns are the columns every layer of kind k has. Importers'
// profiles map source attributes onto these names; the loader stores them
// with these types. Derived columns (DerivedColumns) are computed by the
// loader in SQL.
func CanonicalColumns(k Kind) []Column {
	switch k {
	case KindCadastral:
		return []Column{
			{"comune", ValueText}, {"sezione", ValueText}, {"foglio", ValueText},
			{"particella", ValueText}, {"allegato", ValueText}, {"sviluppo", ValueText},
			{"ref", ValueText}, {"area_m2", ValueDouble},
		}
	case KindZoning, KindConstraint:
		return []Column{
			{"zone_code", ValueText}, {"zone_class", ValueText}, {"description", ValueText},
			{"norm_ref", ValueText}, {"plan", ValueText},
		}
	case KindBroadband:
		return []Column{
			{"snapshot", ValueDate}, {"technology", ValueText}, {"max_down_mbps", ValueDouble},
			{"max_up_mbps", ValueDouble}, {"operator", ValueText}, {"address", ValueText},
			{"speed_band", ValueText}, {"area_class", ValueText},
		}
	}
	return nil
}

// AreaMethod says how every area of SIT (the loader's area_m2, the
// parcel lookups, the reports) is measured.
const AreaMethod = "spheroid: ST_Area(geom::geography) on the WGS84 ellipsoid"

// DerivedColumns are canonical columns the loader computes itself: area_m2
// on the spheroid, speed_band by SpeedBand. A source value for them is
// replaced (area_class is not derived outright: a source's own
// classification wins over the speed rule, see AreaClass).
func DerivedColumns(k Kind) []string {
	switch k {
	case KindCadastral:
		return []string{"area_m2"}
	case KindBroadband:
		return []string{"speed_band"}
	}
	return nil
}

// Unit is how the numbers of a column are written for people: the symbol
// written after the value ("" for a count), the decimals kept and whether
// trailing zeros are dropped (a speed of 100 Mbit/s, not 100,0).
type Unit struct {
	Symbol   string
	Decimals int
	Trim     bool
}

// ColumnUnit is the unit of a column whose meaning SIT knows: the
// canonical measures (areas in m² to the hundredth, speeds in Mbit/s to
// the tenth) and the counts of the broadband tables; false for any other
// column, whose numbers are written as the data give them (an integer may
// be a code or a year, which no thousands separator should split).
func ColumnUnit(name string) (Unit, bool) {
	switch name {
	case "area_m2":
		return Unit{"m²", 2, false}, true
	case "max_down_mbps", "max_up_mbps":
		return Unit{"Mbit/s", 1, true}, true
	case "indirizzi", "indirizzi_ftth", "famiglie", "famiglie_ftth", "households":
		return Unit{"", 0, false}, true
	}
	return Unit{}, false
}
