package config

import (
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"
)

var durationType = reflect.TypeOf(time.Duration(0))

// kindName names a setting's type the way flags' help and messages do.
func kindName(t reflect.Type) (string, bool) {
	if t == durationType {
		return "duration", true
	}
	switch t.Kind() {
	case reflect.String:
		return "string", true
	case reflect.Bool:
		return "bool", true
	case reflect.Int, reflect.Int32, reflect.Int64:
		return "int", true
	case reflect.Float64:
		return "float", true
	case reflect.Slice:
		if t.Elem().Kind() == reflect.String {
			return "strings", true
		}
	}
	return "", false
}

// parse sets v from text in the syntax of flags and environment variables:
// durations as 30s or 2m, lists comma-separated. An empty text is the zero
// value.
func (s Setting) parse(v reflect.Value, text string) error {
	text = strings.TrimSpace(text)
	if v.Type() == durationType {
		if text == "" {
			v.SetInt(0)
			return nil
		}
		d, err := time.ParseDuration(text)
		if err != nil {
			return fmt.Errorf("want a duration such as 30s, 2m or 1h30m, got %q", text)
		}
		v.SetInt(int64(d))
		return nil
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString(text)
	case reflect.Bool:
		if text == "" {
			v.SetBool(false)
			return nil
		}
		b, err := strconv.ParseBool(text)
		if err != nil {
			return fmt.Errorf("want true or false, got %q", text)
		}
		v.SetBool(b)
	case reflect.Int, reflect.Int32, reflect.Int64:
		if text == "" {
			text = "0"
		}
		n, err := strconv.ParseInt(strings.ReplaceAll(text, "_", ""), 10, v.Type().Bits())
		if err != nil {
			return fmt.Errorf("want an integer of at most %d bits, got %q", v.Type().Bits(), text)
		}
		v.SetInt(n)
	case reflect.Float64:
		if text == "" {
			text = "0"
		}
		f, err := strconv.ParseFloat(text, 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return fmt.Errorf("want a number, got %q", text)
		}
		v.SetFloat(f)
	case reflect.Slice:
		v.Set(reflect.ValueOf(splitList(text)))
	default:
		return fmt.Errorf("unsupported type %s", v.Type())
	}
	return nil
}

// splitList splits a comma-separated list, trimming blanks and dropping
// empty items.
func splitList(text string) []string {
	out := []string{}
	for _, p := range strings.Split(text, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// fromTOML sets v from a value decoded from the file: the TOML type must
// match (a duration is a string such as "30s").
func (s Setting) fromTOML(v reflect.Value, x any) error {
	want, _ := kindName(v.Type())
	bad := func() error { return fmt.Errorf("want %s, got %s", article(want), describeTOML(x)) }
	if v.Type() == durationType {
		str, ok := x.(string)
		if !ok {
			return fmt.Errorf("want a duration as a string such as \"30s\", got %s", describeTOML(x))
		}
		return s.parse(v, str)
	}
	switch v.Kind() {
	case reflect.String:
		str, ok := x.(string)
		if !ok {
			return bad()
		}
		v.SetString(str)
	case reflect.Bool:
		b, ok := x.(bool)
		if !ok {
			return bad()
		}
		v.SetBool(b)
	case reflect.Int, reflect.Int32, reflect.Int64:
		n, ok := x.(int64)
		if !ok {
			return bad()
		}
		if v.OverflowInt(n) {
			return fmt.Errorf("%d does not fit in %d bits", n, v.Type().Bits())
		}
		v.SetInt(n)
	case reflect.Float64:
		switch n := x.(type) {
		case float64:
			if math.IsNaN(n) || math.IsInf(n, 0) {
				return fmt.Errorf("want a finite number, got %v", n)
			}
			v.SetFloat(n)
		case int64:
			v.SetFloat(float64(n))
		default:
			return bad()
		}
	case reflect.Slice:
		items, ok := x.([]any)
		if !ok {
			return fmt.Errorf("want an array of strings such as [\"a\", \"b\"], got %s", describeTOML(x))
		}
		list := make([]string, 0, len(items))
		for _, it := range items {
			str, ok := it.(string)
			if !ok {
				return fmt.Errorf("want an array of strings, got an item that is %s", describeTOML(it))
			}
			list = append(list, str)
		}
		v.Set(reflect.ValueOf(list))
	default:
		return bad()
	}
	return nil
}

func article(kind string) string {
	switch kind {
	case "int":
		return "an integer"
	case "float":
		return "a number"
	case "bool":
		return "true or false"
	case "strings":
		return "an array of strings"
	}
	return "a " + kind
}

func describeTOML(x any) string {
	switch v := x.(type) {
	case string:
		return fmt.Sprintf("the string %q", v)
	case int64:
		return fmt.Sprintf("the integer %d", v)
	case float64:
		return fmt.Sprintf("the number %v", v)
	case bool:
		return fmt.Sprintf("%v", v)
	case []any, []map[string]any:
		return "an array"
	case map[string]any:
		return "a table"
	}
	return fmt.Sprintf("a %T", x)
}

// format writes v in the syntax of flags (the inverse of parse).
func format(v reflect.Value) string {
	if v.Type() == durationType {
		return formatDuration(time.Duration(v.Int()))
	}
	switch v.Kind() {
	case reflect.String:
		return v.String()
	case reflect.Bool:
		return strconv.FormatBool(v.Bool())
	case reflect.Int, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(v.Int(), 10)
	case reflect.Float64:
		return strconv.FormatFloat(v.Float(), 'f', -1, 64)
	case reflect.Slice:
		return strings.Join(v.Interface().([]string), ",")
	}
	return fmt.Sprint(v.Interface())
}

// formatDuration writes 1m30s, 2m or 45s rather than Go's 2m0s.
func formatDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// tomlValue writes v as a TOML value.
func tomlValue(v reflect.Value) string {
	if v.Type() == durationType {
		return tomlString(formatDuration(time.Duration(v.Int())))
	}
	switch v.Kind() {
	case reflect.String:
		return tomlString(v.String())
	case reflect.Float64:
		s := strconv.FormatFloat(v.Float(), 'f', -1, 64)
		if !strings.ContainsAny(s, ".e") {
			s += ".0"
		}
		return s
	case reflect.Slice:
		items := v.Interface().([]string)
		q := make([]string, len(items))
		for i, it := range items {
			q[i] = tomlString(it)
		}
		return "[" + strings.Join(q, ", ") + "]"
	}
	return format(v)
}

// tomlString quotes s as a TOML basic string.
func tomlString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
