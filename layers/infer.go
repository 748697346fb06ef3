package layers

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// typeTracker watches the values of one attribute as they stream past and
// decides, at the end, the narrowest SQL type that holds them all. It keeps
// a handful of flags, so memory does not grow with the number of records.
type typeTracker struct {
	declared FieldType
	source   string // the name in the source (property title)
	order    int

	nonNull  bool
	anyInt   bool
	anyFloat bool
	anyBool  bool
	anyDate  bool // time.Time without time of day
	anyTime  bool // time.Time with time of day
	anyJSON  bool // maps and slices
	anyStr   bool
	// For string values: could every one of them be read as ...
	strInt, strFloat, strBool, strISODate, strITDate, strTime bool
}

func newTracker(name string, order int, declared FieldType) *typeTracker {
	return &typeTracker{source: name, order: order, declared: declared,
		strInt: true, strFloat: true, strBool: true, strISODate: true, strITDate: true, strTime: true}
}

var (
	intRe = regexp.MustCompile(`^[+-]?(0|[1-9][0-9]{0,17})$`)
	// Leading zeros ("0037") mark codes, not numbers: such columns stay text.
	floatRe   = regexp.MustCompile(`^[+-]?((0|[1-9][0-9]*)([.][0-9]*)?|[.][0-9]+)([eE][+-]?[0-9]+)?$`)
	itFloatRe = regexp.MustCompile(`^[+-]?([1-9][0-9]{0,2}([.][0-9]{3})+|0|[1-9][0-9]*),[0-9]+$`)
	// Lenient forms accepted where the type is declared by the source.
	anyFloatRe   = regexp.MustCompile(`^[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][+-]?[0-9]+)?$`)
	anyITFloatRe = regexp.MustCompile(`^[+-]?([0-9]{1,3}([.][0-9]{3})+|[0-9]+),[0-9]+$`)
	isoDateRe    = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`)
	itDateRe     = regexp.MustCompile(`^[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}$`)
)

func (t *typeTracker) observe(v any) {
	switch x := v.(type) {
	case nil:
		return
	case int64, int, int32:
		t.anyInt = true
	case float64, float32:
		t.anyFloat = true
	case bool:
		t.anyBool = true
	case time.Time:
		if IsDateOnly(x) {
			t.anyDate = true
		} else {
			t.anyTime = true
		}
	case string:
		s := strings.TrimSpace(x)
		if s == "" {
			return // empty strings become NULL in typed columns
		}
		t.anyStr = true
		if t.strInt && !intRe.MatchString(s) {
			t.strInt = false
		}
		if t.strFloat && !floatRe.MatchString(s) && !itFloatRe.MatchString(s) {
			t.strFloat = false
		}
		if t.strBool && !isBoolWord(s) {
			t.strBool = false
		}
		if t.strISODate && !(isoDateRe.MatchString(s) && validDate("2006-01-02", s)) {
			t.strISODate = false
		}
		if t.strITDate && !(itDateRe.MatchString(s) && validDate("2/1/2006", s)) {
			t.strITDate = false
		}
		if t.strTime {
			if _, err := time.Parse(time.RFC3339, s); err != nil {
				t.strTime = false
			}
		}
	default:
		t.anyJSON = true
	}
	t.nonNull = true
}

func isBoolWord(s string) bool {
	switch strings.ToLower(s) {
	case "true", "false":
		return true
	}
	return false
}

func validDate(layout, s string) bool {
	_, err := time.Parse(layout, s)
	return err == nil
}

// column is the outcome of inference: the SQL type and how to cast the
// staged JSON value into it.
type column struct {
	Name   string // laundered column name
	Source string // key in Props
	Type   FieldType
	// itDate marks dd/mm/yyyy strings (Italian exports) for the cast.
	itDate bool
	Canon  bool
}

// decide returns the column type.
func (t *typeTracker) decide() (FieldType, bool) {
	if t.declared != "" {
		return t.declared, false
	}
	if !t.nonNull {
		return TypeText, false
	}
	if t.anyJSON {
		return TypeJSON, false
	}
	native := t.anyInt || t.anyFloat || t.anyBool || t.anyDate || t.anyTime
	if native && t.anyStr {
		// Numbers mixed with strings: only when the strings read as the same kind.
		switch {
		case (t.anyInt || t.anyFloat) && !t.anyBool && !t.anyDate && !t.anyTime && t.strFloat:
			if !t.anyFloat && t.strInt {
				return TypeInteger, false
			}
			return TypeDouble, false
		case t.anyBool && !t.anyInt && !t.anyFloat && !t.anyDate && !t.anyTime && t.strBool:
			return TypeBoolean, false
		}
		return TypeText, false
	}
	if native {
		switch {
		case t.anyBool && (t.anyInt || t.anyFloat || t.anyDate || t.anyTime):
			return TypeText, false
		case t.anyBool:
			return TypeBoolean, false
		case (t.anyDate || t.anyTime) && (t.anyInt || t.anyFloat):
			return TypeText, false
		case t.anyTime:
			return TypeTimestamp, false
		case t.anyDate:
			return TypeDate, false
		case t.anyFloat:
			return TypeDouble, false
		default:
			return TypeInteger, false
		}
	}
	switch {
	case t.strInt:
		return TypeInteger, false
	case t.strFloat:
		return TypeDouble, false
	case t.strBool:
		return TypeBoolean, false
	case t.strISODate:
		return TypeDate, false
	case t.strITDate:
		return TypeDate, true
	case t.strTime:
		return TypeTimestamp, false
	}
	return TypeText, false
}

// checkValue tells whether v can be stored in a column of type ft (used for
// declared and canonical columns, whose type does not come from the data).
// It returns the value to stage: strings are trimmed, unusable values
// reported.
func checkValue(ft FieldType, v any) (any, bool) {
	switch x := v.(type) {
	case nil:
		return nil, true
	case string:
		return checkString(ft, x)
	case int64, int, int32:
		switch ft {
		case TypeInteger, TypeDouble, TypeText, TypeJSON:
			return x, true
		case TypeBoolean:
			if n, ok := x.(int64); ok && (n == 0 || n == 1) {
				return n == 1, true
			}
		}
		return nil, false
	case float64:
		switch ft {
		case TypeDouble, TypeText, TypeJSON:
			return x, true
		case TypeInteger:
			if x == float64(int64(x)) {
				return int64(x), true
			}
		}
		return nil, false
	case bool:
		if ft == TypeBoolean || ft == TypeText || ft == TypeJSON {
			return x, true
		}
		return nil, false
	case time.Time:
		switch ft {
		case TypeDate:
			return x.Format("2006-01-02"), true
		case TypeTimestamp, TypeText:
			return x.Format(time.RFC3339Nano), true
		}
		return nil, false
	default:
		if ft == TypeJSON || ft == TypeText {
			return x, true
		}
		return nil, false
	}
}

// checkString reads a string value as a column of type ft.
func checkString(ft FieldType, x string) (any, bool) {
	s := strings.TrimSpace(x)
	if s == "" {
		if ft == TypeText {
			return x, true
		}
		return nil, true
	}
	switch ft {
	case TypeInteger:
		if intRe.MatchString(s) {
			return s, true
		}
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			return n, true // leading zeros in a declared integer column
		}
		// "37.0" from a float-typed export is still 37.
		if f, err := strconv.ParseFloat(s, 64); err == nil && f == float64(int64(f)) {
			return int64(f), true
		}
		return nil, false
	case TypeDouble:
		if anyFloatRe.MatchString(s) || anyITFloatRe.MatchString(s) {
			return s, true
		}
		return nil, false
	case TypeBoolean:
		switch strings.ToLower(s) {
		case "true", "t", "yes", "y", "1", "si", "sì", "s", "vero":
			return true, true
		case "false", "f", "no", "n", "0", "falso":
			return false, true
		}
		return nil, false
	case TypeDate:
		if isoDateRe.MatchString(s) && validDate("2006-01-02", s) {
			return s, true
		}
		if itDateRe.MatchString(s) {
			if d, err := time.Parse("2/1/2006", s); err == nil {
				return d.Format("2006-01-02"), true
			}
		}
		if ts, err := time.Parse(time.RFC3339, s); err == nil {
			return ts.Format("2006-01-02"), true
		}
		return nil, false
	case TypeTimestamp:
		if _, err := time.Parse(time.RFC3339, s); err == nil {
			return s, true
		}
		if isoDateRe.MatchString(s) {
			return s, true
		}
		return nil, false
	}
	return x, true
}

// stageValue turns a value into what goes into the staging JSON: times as
// ISO strings (dates without time of day), everything else as is.
func stageValue(v any) any {
	if t, ok := v.(time.Time); ok {
		if IsDateOnly(t) {
			return t.Format("2006-01-02")
		}
		return t.Format(time.RFC3339Nano)
	}
	return v
}
