package layers

import (
	"encoding/json"
	"math"
	"strconv"
	"unicode/utf8"
)

// stagedJSON encodes a record's staged attributes for the jsonb column.
// Attributes are nearly always strings, integers, booleans and ordinary
// numbers: those are written directly, as encoding/json writes them (bar
// the HTML escapes, which jsonb does not keep); anything else goes through
// encoding/json. Key order is free: jsonb orders keys itself.
func stagedJSON(props map[string]any) ([]byte, error) {
	b := make([]byte, 0, 32*len(props)+2)
	b = append(b, '{')
	first := true
	for k, v := range props {
		if !utf8.ValidString(k) {
			return json.Marshal(props)
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = appendJSONString(b, k)
		b = append(b, ':')
		switch x := v.(type) {
		case nil:
			b = append(b, "null"...)
		case bool:
			b = strconv.AppendBool(b, x)
		case int64:
			b = strconv.AppendInt(b, x, 10)
		case string:
			if !utf8.ValidString(x) {
				return json.Marshal(props)
			}
			b = appendJSONString(b, x)
		case float64:
			// encoding/json's 'f' range; outside it, its exponent form.
			if a := math.Abs(x); math.IsNaN(x) || math.IsInf(x, 0) || (a != 0 && (a < 1e-6 || a >= 1e21)) {
				return json.Marshal(props)
			}
			b = strconv.AppendFloat(b, x, 'f', -1, 64)
		default:
			return json.Marshal(props)
		}
	}
	return append(b, '}'), nil
}

// appendJSONString quotes valid UTF-8 as a JSON string.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		b = append(b, s[start:i]...)
		switch c {
		case '"', '\\':
			b = append(b, '\\', c)
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\t':
			b = append(b, '\\', 't')
		default:
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
		}
		start = i + 1
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
