package vector

import (
	"encoding/json"
	"reflect"
	"testing"
)

// fastCases are features the fast decoder takes and ones it must hand
// to encoding/json (which then decides, as before).
var fastCases = []string{
	`{"type":"Feature","id":1,"geometry":{"type":"Polygon","coordinates":[[[10.5150647,43.9596394],[10.514979,43.9593111],[10.5152633,43.9593069],[10.5150647,43.9596394]]]},"properties":{"foglio":"1","n":12,"x":1.5,"big":12345678901234567890,"b":true,"z":null}}`,
	`{"type":"Feature","id":"a-1","geometry":{"type":"Point","coordinates":[10.123456789012345678,-43.5e-1]},"properties":{}}`,
	`{"type":"Feature","geometry":{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,0]]],[[[2,2],[3,2],[3,3],[2,2]]]]},"properties":null}`,
	`{"type":"Feature","geometry":{"type":"MultiLineString","coordinates":[[[0,0],[1,1]],[[2,2],[3,3]]]},"properties":{"a":"b"}}`,
	`{"type":"Feature","geometry":{"type":"LineString","coordinates":[[0,0],[1,1]]},"properties":{"a":"b","a":"c"}}`,
	`{"type":"Feature","geometry":{"type":"MultiPoint","coordinates":[[0,0],[1,1]]},"bbox":[0,0,1,1]}`,
	`{"type":"Feature","geometry":null,"properties":{"a":1}}`,
	// Handed to encoding/json:
	`{"type":"Feature","geometry":{"type":"Point","coordinates":[1,2,3]},"properties":{}}`,
	`{"type":"Feature","geometry":{"type":"Point","coordinates":[01,2]},"properties":{}}`,
	`{"type":"Feature","geometry":{"type":"Point","coordinates":[1,2]},"properties":{"n":01}}`,
	`{"type":"Feature","geometry":{"type":"Point","coordinates":[1,2]},"properties":{"s":"a\u00e8\ud800"}}`,
	"{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[1,2]},\"properties\":{\"s\":\"tab\there\"}}",
	"{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[1,2]},\"properties\":{\"s\":\"bad \xff\"}}",
	`{"type":"Feature","geometry":{"type":"Point","coordinates":[1,2]},"properties":{"o":{"a":[1,2]}}}`,
	`{"TYPE":"Feature","type":"Feature","geometry":{"type":"Point","coordinates":[1,2]}}`,
	`{"type":"Feature","geometry":{"type":"Point","Coordinates":[5,6],"coordinates":[1,2]}}`,
	`{"type":"Feature","geometry":{"type":"GeometryCollection","geometries":[{"type":"Point","coordinates":[1,2]}]}}`,
	`{"type":"Feature","geometry":{"type":"Polygon","coordinates":[]}}`,
	`{"type":"Feature","id":true,"geometry":null}`,
	`{"type":"Feature","id":{"a":1},"geometry":null}`,
	`{"type":"Feature","geometry":{"type":"Point","coordinates":[1,2]}} trailing`,
	`{"type":"Topology"}`,
	`{"type":"Feature","geometry":{"type":"Point","coordinates":[1e999,2]}}`,
	`[1,2]`,
}

// TestFastDecoderAgrees checks that whatever the fast decoder takes it
// decodes exactly as encoding/json does.
func TestFastDecoderAgrees(t *testing.T) {
	taken := 0
	for i, c := range fastCases {
		if agreeFast(t, []byte(c), int64(i+1)) {
			taken++
		}
	}
	if taken != 7 {
		t.Fatalf("the fast decoder took %d of the cases, want the first 7", taken)
	}
}

// agreeFast compares both decoders on one record; true when the fast one
// took it.
func agreeFast(t *testing.T, data []byte, rec int64) bool {
	t.Helper()
	var d fastDecoder
	fast, ok := d.decode(data, rec)
	if !ok {
		return false
	}
	var rf rawFeature
	if err := json.Unmarshal(data, &rf); err != nil {
		t.Fatalf("%s: fast decoder took what encoding/json refuses: %v", data, err)
	}
	want, err := rf.toFeature(rec)
	if err != nil {
		t.Fatalf("%s: fast decoder took what the importer rejects: %v", data, err)
	}
	if !reflect.DeepEqual(fast, want) {
		t.Fatalf("%s:\n fast %#v\n json %#v", data, fast, want)
	}
	return true
}

func FuzzFastDecoder(f *testing.F) {
	for _, c := range fastCases {
		f.Add([]byte(c))
	}
	f.Fuzz(func(t *testing.T, data []byte) { agreeFast(t, data, 1) })
}
