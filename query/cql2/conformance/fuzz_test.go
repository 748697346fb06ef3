package conformance

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// Any filter, valid or not, is answered with a 200 or a 400 problem that
// names the filter and says why, never a 5xx or a panic. The fuzz targets
// go through parsing, translation and execution on the stand-in data:
//
//	go test ./query/cql2/conformance -run '^$' -fuzz FuzzTextFilter -fuzztime 5m
//	go test ./query/cql2/conformance -run '^$' -fuzz FuzzJSONFilter -fuzztime 5m
//
// Without -fuzz they run their seeds: every stand-in case and the inputs
// kept in testdata/fuzz.

func FuzzTextFilter(f *testing.F) {
	for _, seed := range fuzzSeeds(f) {
		f.Add(seed)
	}
	for _, seed := range []string{"", "(", "'", `"`, "n = ", "((((name))))", "name LIKE 'a\\'", "-(-(-pop)) = pop ^ 2 div 3 % 4",
		"S_INTERSECTS(geom, POLYGON((0 0, 30 30, 30 0, 0 30, 0 0)))", "S_WITHIN(geom, BBOX(1e300,1,2,3))", "pop * 1e308 * 1e308 > 0",
		"T_AFTER(INTERVAL('..','..'), INTERVAL(start, '..'))", "name IN (name, nameascii, 'x', 1)", "flag IN (true, 'false')",
		"CASEI(ACCENTI(CASEI(name))) LIKE ACCENTI(nameascii)", "\"date\" BETWEEN start AND end", "S_EQUALS(POINT(1 2), POINT(1 2))",
		"S_INTERSECTS(geom,MULTILINESTRING((1 2)))", "S_TOUCHES(geom,GEOMETRYCOLLECTION(MULTIPOLYGON(((0 0,1 0,1 1,0 0))),MULTIPOINT(1 1)))"} {
		f.Add(seed)
	}
	s := newStandIn(f)
	f.Fuzz(func(t *testing.T, filter string) {
		checkAnswer(t, s, filter, "cql2-text")
	})
}

func FuzzJSONFilter(f *testing.F) {
	for _, seed := range fuzzSeeds(f) {
		f.Add(textToJSON(f, seed))
	}
	for _, seed := range []string{"", "{}", "[]", "null", `{"op":"and","args":[]}`, `{"op":"=","args":[{"property":"name"},"\u0000"]}`,
		`{"op":"like","args":[{"property":"name"},"a\\"]}`, `{"op":"s_intersects","args":[{"property":"geom"},{"bbox":[170,-10,-170,10]}]}`,
		`{"op":"t_after","args":[{"interval":["2020-01-01",{"property":"start"}]},{"date":"2020-01-01"}]}`,
		`{"op":"in","args":[{"property":"flag"},[true,"false"]]}`, `{"op":"^","args":[{"property":"pop"},1e308]}`,
		`{"op":"s_crosses","args":[{"type":"GeometryCollection","geometries":[{"type":"Polygon","coordinates":[[[0,0],[1,1],[1,0],[0,1],[0,0]]]}]},{"property":"geom"}]}`,
		`{"op":"s_intersects","args":[{"property":"geom"},{"type":"GeometryCollection","geometries":[]}]}`,
		`{"op":"s_within","args":[{"property":"geom"},{"type":"MultiPolygon","coordinates":[]}]}`,
		`{"op":"s_overlaps","args":[{"property":"geom"},{"type":"MultiLineString","coordinates":[[[1,2],[1,2]]]}]}`,
		`{"op":"s_equals","args":[{"property":"geom"},{"type":"MultiPoint","coordinates":[[10.5027,43.8429]]}]}`} {
		f.Add(seed)
	}
	s := newStandIn(f)
	f.Fuzz(func(t *testing.T, filter string) {
		checkAnswer(t, s, filter, "cql2-json")
	})
}

// fuzzSeeds are the filters of the stand-in cases.
func fuzzSeeds(f *testing.F) []string {
	var out []string
	for _, ct := range standIn {
		for _, row := range ct.split(f) {
			out = append(out, row[1])
		}
	}
	return out
}

// checkAnswer runs a filter on the places (points) or, for filters of odd
// length, the countries (polygons, where GEOS does the most work).
func checkAnswer(t *testing.T, s *server, filter, lang string) {
	layer := "P"
	if len(filter)%2 == 1 {
		layer = "C"
	}
	r := s.items(t, layer, filter, lang)
	switch {
	case r.status == http.StatusOK:
		return
	case r.status != http.StatusBadRequest:
		t.Fatalf("%s %q → %d: %.500s", lang, filter, r.status, r.body)
	}
	var p struct {
		Status    int    `json:"status"`
		Detail    string `json:"detail"`
		Parameter string `json:"parameter"`
	}
	if err := json.Unmarshal([]byte(r.body), &p); err != nil || p.Status != 400 || p.Detail == "" {
		t.Fatalf("%s %q → 400 without a problem: %v %.300s", lang, filter, err, r.body)
	}
	if p.Parameter != "filter" && p.Parameter != "filter-lang" {
		t.Fatalf("%s %q → the problem names %q, not the filter: %s", lang, filter, p.Parameter, p.Detail)
	}
	for _, leak := range []string{"SQLSTATE", "ERROR:", "sit_data", "$1", "::"} {
		if strings.Contains(p.Detail, leak) && !strings.Contains(filter, leak) {
			t.Fatalf("%s %q → the problem leaks %q: %s", lang, filter, leak, p.Detail)
		}
	}
}
