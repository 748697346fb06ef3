package conformance

import (
	"encoding/json"
	"net/http"
	"slices"
	"sort"
	"strings"
	"testing"
)

// The queryable-driven tests of Annex A: for each queryable of each
// collection, the expressions each conformance class must evaluate, with
// the relations their results must satisfy (disjoint, identical, empty).

type queryable struct {
	name string
	typ  string // string, number, integer, boolean, date, timestamp, geometry
	geom string // for a geometry: point, linestring, polygon, multi…, or "" if any
}

func (s *server) queryables(t *testing.T, id string) []queryable {
	t.Helper()
	status, body := s.get("/collections/" + id + "/queryables?f=json")
	if status != http.StatusOK {
		t.Fatalf("queryables of %s: %d", id, status)
	}
	var doc struct {
		Properties map[string]struct {
			Type   string `json:"type"`
			Format string `json:"format"`
		} `json:"properties"`
	}
	if err := json.Unmarshal([]byte(body), &doc); err != nil {
		t.Fatal(err)
	}
	var out []queryable
	for name, p := range doc.Properties {
		q := queryable{name: name, typ: p.Type}
		switch {
		case p.Format == "date":
			q.typ = "date"
		case p.Format == "date-time":
			q.typ = "timestamp"
		case strings.HasPrefix(p.Format, "geometry"):
			q.typ, q.geom = "geometry", strings.TrimPrefix(strings.TrimPrefix(p.Format, "geometry"), "-")
		}
		out = append(out, q)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

// values are the literals Annex A compares each type with.
var values = map[string]string{
	"string": "'foo'", "boolean": "true", "number": "3.14", "integer": "1",
	"timestamp": "TIMESTAMP('2022-04-14T14:48:46Z')", "date": "DATE('2022-04-14')",
}

// qt runs expressions on one collection, in both encodings.
type qt struct {
	t     *testing.T
	s     *server
	layer string
}

// ok runs a filter that must be evaluated (200, the same features in both
// encodings) and returns the ids it selects.
func (q qt) ok(filter string) []string {
	q.t.Helper()
	var ids []string
	for i, enc := range encodings {
		r := q.s.items(q.t, q.layer, enc.encode(q.t, filter), enc.lang)
		if r.status != http.StatusOK {
			q.t.Errorf("%s %s: %s → %d: %.300s", enc.name, q.layer, filter, r.status, r.body)
			return nil
		}
		if i > 0 && !slices.Equal(ids, r.ids) {
			q.t.Errorf("%s: the encodings select different features", filter)
		}
		ids = r.ids
	}
	return ids
}

// bad runs a filter that must be refused with a 400 whose detail says why.
func (q qt) bad(filter, detail string) {
	q.t.Helper()
	for _, enc := range encodings {
		r := q.s.items(q.t, q.layer, enc.encode(q.t, filter), enc.lang)
		if r.status != http.StatusBadRequest || !strings.Contains(r.body, detail) {
			q.t.Errorf("%s %s: %s → %d, want 400 saying %q: %.300s", enc.name, q.layer, filter, r.status, detail, r.body)
		}
	}
}

func (q qt) disjoint(a, b []string, what string) {
	q.t.Helper()
	for _, id := range a {
		if slices.Contains(b, id) {
			q.t.Errorf("%s %s: feature %s is in both results", q.layer, what, id)
			return
		}
	}
}

func (q qt) same(a, b []string, what string) {
	q.t.Helper()
	if !slices.Equal(a, b) {
		q.t.Errorf("%s %s: %d and %d features, want the same", q.layer, what, len(a), len(b))
	}
}

func (q qt) empty(a []string, what string) {
	q.t.Helper()
	if len(a) != 0 {
		q.t.Errorf("%s %s: %d features, want none", q.layer, what, len(a))
	}
}

func runQueryableTests(t *testing.T, s *server) {
	for _, id := range s.layers {
		q := qt{t: t, s: s, layer: id}
		var temporal []queryable
		for _, p := range s.queryables(t, id) {
			ref := `"` + p.name + `"`
			switch p.typ {
			case "geometry":
				spatialTests(q, ref, p.geom)
				continue
			case "string":
				textTests(q, ref)
			case "number", "integer":
				numberTests(q, ref)
			case "date", "timestamp":
				temporal = append(temporal, p)
			}
			comparisonTests(q, ref, values[p.typ])
			inTests(q, ref, p.typ)
		}
		temporalTests(q, temporal)
		q.empty(q.ok("false"), "false")
		all := q.ok("true")
		for _, v := range values {
			valueValueTests(q, v, all)
		}
	}
}

// comparisonTests: basic-cql2 comparison and is-null, property-property
// value-property and property-property.
func comparisonTests(q qt, ref, v string) {
	q.t.Helper()
	r := map[string][]string{}
	rv := map[string][]string{}
	for _, op := range []string{"=", "<>", ">", "<", ">=", "<="} {
		r[op] = q.ok(ref + " " + op + " " + v)
		rv[op] = q.ok(v + " " + op + " " + ref)
		self := q.ok(ref + " " + op + " " + ref)
		switch op {
		case "<>", "<", ">":
			q.empty(self, ref+op+ref)
		default:
			q.same(self, q.ok(ref+" = "+ref), ref+op+ref)
		}
	}
	for _, pair := range [][2]string{{"=", "<>"}, {">", "<="}, {"<", ">="}} {
		q.disjoint(r[pair[0]], r[pair[1]], ref+" "+pair[0]+"/"+pair[1]+" "+v)
		q.disjoint(rv[pair[0]], rv[pair[1]], v+" "+pair[0]+"/"+pair[1]+" "+ref)
	}
	q.disjoint(q.ok(ref+" IS NULL"), q.ok(ref+" is not null"), ref+" IS NULL/IS NOT NULL")
}

func valueValueTests(q qt, v string, all []string) {
	q.t.Helper()
	for _, op := range []string{"<>", "<", ">"} {
		q.empty(q.ok(v+" "+op+" "+v), v+op+v)
	}
	for _, op := range []string{"=", ">=", "<="} {
		q.same(q.ok(v+" "+op+" "+v), all, v+op+v)
	}
}

func inTests(q qt, ref, typ string) {
	q.t.Helper()
	lists := map[string]string{
		"number": "(1, 2, 3)", "integer": "(1, 2, 3)", "string": "('foo', 'bar')", "boolean": "(true)",
		"timestamp": "('2022-04-14T14:52:56Z', '2022-04-14T15:52:56Z')", "date": "('2022-04-14', '2022-04-15')",
	}
	in := q.ok(ref + " IN " + lists[typ])
	q.disjoint(in, q.ok(ref+" NOT IN "+lists[typ]), ref+" IN/NOT IN")
}

func textTests(q qt, ref string) {
	q.t.Helper()
	q.disjoint(q.ok(ref+" like '_%'"), q.ok(ref+" like ''"), "LIKE '_%'/''")
	q.same(q.ok(ref+" LIKE '%'"), q.ok(ref+" like '%%'"), "LIKE '%'/'%%'")
	q.ok(ref + ` like '\%\_'`)
	q.disjoint(q.ok("CASEI("+ref+") = casei('foo')"), q.ok("CASEI("+ref+") <> casei('FOO')"), "CASEI =/<>")
	q.same(q.ok("CASEI("+ref+") LIKE casei('foo%')"), q.ok("CASEI("+ref+") LIKE casei('FOO%')"), "CASEI LIKE")
	q.disjoint(q.ok("ACCENTI("+ref+") = accenti('äöüéáí')"), q.ok("ACCENTI("+ref+") <> accenti('aoueai')"), "ACCENTI =/<>")
	q.same(q.ok("ACCENTI("+ref+") LIKE accenti('Ä%')"), q.ok("ACCENTI("+ref+") LIKE accenti('A%')"), "ACCENTI LIKE")
	q.same(q.ok("ACCENTI(CASEI("+ref+")) = accenti(casei('ÄÉ'))"), q.ok("ACCENTI(CASEI("+ref+")) = accenti(casei('ae'))"), "ACCENTI(CASEI) =")
	q.same(q.ok("ACCENTI(CASEI("+ref+")) LIKE accenti(casei('Ä%'))"), q.ok("ACCENTI(CASEI("+ref+")) LIKE accenti(casei('a%'))"), "ACCENTI(CASEI) LIKE")
}

func numberTests(q qt, ref string) {
	q.t.Helper()
	q.ok(ref + " BETWEEN 0 AND 100")
	q.empty(q.ok(ref+" between 100.0 and 1.0"), "BETWEEN 100.0 AND 1.0")
	q.same(q.ok(ref+" + 0 = "+ref), q.ok(ref+" = "+ref), "+ 0")
	q.same(q.ok(ref+" * 2 - "+ref+" = "+ref), q.ok(ref+" = "+ref), "* 2 -")
	q.ok(ref + " / 2 > " + ref + " div 3 AND " + ref + " % 2 >= 0 OR " + ref + " ^ 2 >= 0")
	q.ok("(" + ref + " - 1) * (" + ref + " + 1) <= " + ref + " ^ 2")
}

const (
	world     = "POLYGON((-180 -90,180 -90,180 90,-180 90,-180 -90))"
	worldBox  = "BBOX(-180,-90,180,90)"
	badPoint  = "the coordinates (90 180) are outside the limits of CRS84"
	aLine     = "LINESTRING(7 50,10 51)"
	aPoint    = "POINT(7.02 49.92)"
	twoPoints = "MULTIPOINT(7 50,10 51)"
)

// spatialTests: basic spatial functions (and plus), spatial functions.
func spatialTests(q qt, ref, geom string) {
	q.t.Helper()
	s := func(fn, lit string) string { return fn + "(" + ref + "," + lit + ")" }
	q.same(q.ok(s("S_INTERSECTS", worldBox)), q.ok(s("S_INTERSECTS", world)), "S_INTERSECTS box/polygon")
	q.ok(s("S_INTERSECTS", aPoint))
	q.bad(s("S_INTERSECTS", "POINT(90 180)"), badPoint)
	q.ok(s("S_INTERSECTS", "BBOX(-180,-90,-90,90)") + " AND " + s("S_INTERSECTS", "BBOX(90,-90,180,90)"))
	q.bad(s("S_INTERSECTS", "MULTIPOINT(7.02 49.92, 90 180)"), badPoint)
	for _, lit := range []string{"LINESTRING(-180 -45, 0 -45)", "MULTILINESTRING((-180 -45, 0 -45), (0 45, 180 45))",
		"POLYGON((-180 -90, -90 -90, -90 90, -180 90, -180 -90), (-120 -50, -100 -50, -100 -40, -120 -40, -120 -50))",
		"MULTIPOLYGON(((-180 -90, -90 -90, -90 90, -180 90, -180 -90), (-120 -50, -100 -50, -100 -40, -120 -40, -120 -50)),((0 0, 10 0, 10 10, 0 10, 0 0)))",
		"GEOMETRYCOLLECTION(POINT(7.02 49.92), POLYGON((0 0, 10 0, 10 10, 0 10, 0 0)))", aLine} {
		q.ok(s("S_INTERSECTS", lit))
	}
	q.empty(q.ok(s("S_DISJOINT", worldBox)), "S_DISJOINT world box")
	q.empty(q.ok(s("S_DISJOINT", world)), "S_DISJOINT world")
	q.disjoint(q.ok(s("S_DISJOINT", aLine)), q.ok(s("S_INTERSECTS", aLine)), "S_DISJOINT/S_INTERSECTS line")
	q.disjoint(q.ok(s("S_DISJOINT", aPoint)), q.ok(s("S_INTERSECTS", aPoint)), "S_DISJOINT/S_INTERSECTS point")
	q.bad(s("S_DISJOINT", "POINT(90 180)"), badPoint)
	q.same(q.ok(s("S_EQUALS", world)), q.ok(s("S_EQUALS", aLine)), "S_EQUALS")
	q.ok(s("S_EQUALS", aPoint))
	for _, lit := range []string{worldBox, world, aLine} {
		q.ok(s("S_TOUCHES", lit))
		if geom == "" || strings.Contains(geom, "point") || strings.Contains(geom, "linestring") {
			q.ok(s("S_CROSSES", lit))
		}
	}
	within, contains := q.ok(s("S_WITHIN", worldBox)), q.ok(s("S_CONTAINS", worldBox))
	q.same(within, q.ok(s("S_WITHIN", world)), "S_WITHIN box/polygon")
	q.same(contains, q.ok(s("S_CONTAINS", world)), "S_CONTAINS box/polygon")
	q.disjoint(within, contains, "S_WITHIN/S_CONTAINS world")
	for _, lit := range []string{aLine, twoPoints} {
		q.disjoint(q.ok(s("S_WITHIN", lit)), q.ok(s("S_CONTAINS", lit)), "S_WITHIN/S_CONTAINS "+lit)
	}
	for _, lit := range []string{twoPoints, aLine, world} {
		q.ok(s("S_OVERLAPS", lit))
	}
}

var temporalFunctions = []string{"T_AFTER", "T_BEFORE", "T_DISJOINT", "T_EQUALS", "T_INTERSECTS", "T_CONTAINS", "T_DURING",
	"T_FINISHEDBY", "T_FINISHES", "T_MEETS", "T_METBY", "T_OVERLAPPEDBY", "T_OVERLAPS", "T_STARTEDBY", "T_STARTS"}

// temporalTests: temporal-functions-1 on each temporal queryable and
// temporal-functions-2 on each pair of the same type.
func temporalTests(q qt, ps []queryable) {
	q.t.Helper()
	lits := map[string][2]string{
		"timestamp": {"TIMESTAMP('2022-04-24T07:59:57Z')", "INTERVAL('2021-01-01T00:00:00Z','2021-12-31T23:59:59Z')"},
		"date":      {"DATE('2022-04-24')", "INTERVAL('2021-01-01','2021-12-31')"},
	}
	for _, p := range ps {
		ref := `"` + p.name + `"`
		for _, fn := range temporalFunctions[:5] {
			for _, lit := range lits[p.typ] {
				q.ok(fn + "(" + ref + "," + lit + ")")
			}
		}
		for _, p2 := range ps {
			if p2.typ != p.typ || p2.name == p.name {
				continue
			}
			iv := `INTERVAL("` + p.name + `","` + p2.name + `")`
			for _, fn := range temporalFunctions {
				q.ok(fn + "(" + iv + "," + lits[p.typ][1] + ")")
				q.ok(fn + "(" + lits[p.typ][1] + "," + iv + ")")
			}
		}
	}
}
