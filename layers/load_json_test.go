package layers

import (
	"encoding/json"
	"math"
	"reflect"
	"testing"
)

// TestStagedJSON checks that the staged attributes decode to what
// encoding/json's encoding decodes to.
func TestStagedJSON(t *testing.T) {
	tests := []map[string]any{
		{},
		{"foglio": "12", "n": int64(-42), "ok": true, "no": false, "z": nil, "x": 1.5, "zero": 0.0, "big": 123456789.125},
		{"quote\"key": "a \"b\" \\ c\n\t\r\x01 <&> è ☃"},
		{"tiny": 1e-9, "huge": 1e22, "neg": -3.25e-7},
		{"bad utf8": "a\xffb"},
		{"nested": map[string]any{"a": []any{1, "b"}}},
		{"nan": math.NaN()},
	}
	for _, props := range tests {
		got, gerr := stagedJSON(props)
		want, werr := json.Marshal(props)
		if (gerr == nil) != (werr == nil) {
			t.Fatalf("%v: error %v, encoding/json %v", props, gerr, werr)
		}
		if gerr != nil {
			continue
		}
		var g, w any
		if err := json.Unmarshal(got, &g); err != nil {
			t.Fatalf("%v: %s is not JSON: %v", props, got, err)
		}
		if err := json.Unmarshal(want, &w); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(g, w) {
			t.Fatalf("%v: %s, encoding/json %s", props, got, want)
		}
	}
}
