package query

import (
	"net/url"
	"strings"
	"testing"

	"github.com/sit-gis/sit/access"

	"github.com/sit-gis/sit/layers"
)

func TestItemsSQL(t *testing.T) {
	s := catalogService(t, Options{})
	l, _ := testCatalog().Layer("particelle")
	bb, _ := testCatalog().Layer("copertura")
	gb, kv, kt := publishedLayers()
	tests := []struct {
		name  string
		layer layers.Layer
		query string
		want  []string // fragments of the SQL, in order
		not   []string
		nargs int
	}{
		{"plain page seeks nothing, orders by fid", l, "", []string{"/* sit items particelle v7 */", "FROM " + l.Ident().Sanitize() + " t", `ORDER BY t."fid" LIMIT $1`}, []string{"WHERE", "OFFSET"}, 1},
		{"key paging", l, "after=42&limit=5", []string{`WHERE t."fid" > $1::bigint`, `ORDER BY t."fid" LIMIT $2`}, nil, 2},
		{"reverse key paging", l, "before=42", []string{"count(*) OVER ()", `t."fid" < $1::bigint`, `ORDER BY t."fid" DESC LIMIT $2`, `) s ORDER BY s."sit:key"`}, nil, 2},
		{"offset skips keys, not features", l, "offset=20", []string{"AS feature FROM " + l.Ident().Sanitize() + ` t WHERE t."fid" IN (SELECT t."fid" FROM ` + l.Ident().Sanitize() + ` t ORDER BY t."fid" LIMIT $1 OFFSET $2) ORDER BY t."fid"`}, nil, 2},
		{"sorted filtered offset", l, "offset=20&sortby=-h&foglio=3", []string{`WHERE t."fid" IN (SELECT t."fid" FROM`, `WHERE "foglio" = $1::text ORDER BY t."h" DESC NULLS LAST, t."fid" LIMIT $2 OFFSET $3) ORDER BY t."h" DESC NULLS LAST, t."fid"`}, nil, 3},
		{"bbox CRS84", l, "bbox=10,43,11,44", []string{`ST_Intersects("geom", ST_MakeEnvelope($1::float8, $2::float8, $3::float8, $4::float8, 4326))`}, nil, 5},
		{"bbox 3857 uses the stored column", l, "bbox=1,2,3,4&bbox-crs=EPSG:3857", []string{`ST_Intersects("geom_3857", ST_MakeEnvelope(`}, nil, 5},
		{"bbox 3003 transformed", l, "bbox=1620000,4850000,1630000,4860000&bbox-crs=EPSG:3003", []string{`ST_Transform(ST_MakeEnvelope(`, `3003), 4326)`}, nil, 5},
		{"bbox across the antimeridian is two boxes", l, "bbox=170,-10,-170,10", []string{`(ST_Intersects("geom", ST_MakeEnvelope(`, `) OR ST_Intersects("geom", ST_MakeEnvelope(`}, nil, 9},
		{"output 4326 flips axes", l, "crs=EPSG:4326", []string{`ST_AsGeoJSON(ST_FlipCoordinates("geom"), 7, 0)`}, nil, 1},
		{"output 3857 reads the stored column", l, "crs=EPSG:3857", []string{`ST_AsGeoJSON("geom_3857", 2, 0)`}, nil, 1},
		{"output 6707 transformed and flipped", l, "crs=EPSG:6707", []string{`ST_FlipCoordinates(ST_Transform("geom", 6707))`}, nil, 1},
		{"skip geometry", l, "skipGeometry=true", []string{`'"geometry":' || 'null'`}, []string{"ST_AsGeoJSON"}, 1},
		{"properties subset", l, "properties=n", []string{`json_build_object('n', "n")`}, []string{`'foglio'`}, 1},
		{"queryable equality", l, "foglio=37", []string{`"foglio" = $1::text`}, nil, 2},
		{"queryable any of", l, "n=1&n=2", []string{`"n" = ANY($1::bigint[])`}, nil, 2},
		{"sortby", l, "sortby=-h,foglio", []string{`ORDER BY t."h" DESC NULLS LAST, t."foglio" ASC NULLS LAST, t."fid"`}, nil, 1},
		{"filter", l, "filter=foglio = '1' AND n > 2", []string{`WHERE (("foglio" = $1::text) AND ("n" > $2::bigint))`}, nil, 3},
		{"datetime on a date column", bb, "datetime=2024-01-01/..", []string{`"snapshot" >= $1::date`}, []string{"<="}, 2},
		// Published relations: their own key, geometry column and SRID.
		{"published: its key orders and seeks", gb, "after=5", []string{`SELECT "gid"::text AS fid_text`, `'"id":' || "gid"::text`, `FROM "office"."strade" t WHERE t."gid" > $1::bigint ORDER BY t."gid"`}, nil, 2},
		{"published: output in its own CRS reads the column", gb, "crs=EPSG:3003", []string{`ST_AsGeoJSON("the_geom", 3, 0)`}, []string{"ST_Transform"}, 1},
		{"published: output in CRS84 transformed", gb, "", []string{`ST_AsGeoJSON(ST_Transform("the_geom", 4326), 7, 0)`}, nil, 1},
		{"published: 3857 transformed on the fly", gb, "crs=EPSG:3857", []string{`ST_AsGeoJSON(ST_Transform("the_geom", 3857), 2, 0)`}, nil, 1},
		{"published: bbox narrowed with the native index, tested in 4326", gb, "bbox=10,43,11,44",
			[]string{`"the_geom" && ST_Transform(ST_Segmentize(ST_ClipByBox2D(ST_MakeEnvelope($1::float8`, `3003)`, `AND ST_Intersects(ST_Transform("the_geom", 4326), ST_MakeEnvelope(`}, nil, 5},
		{"published: bbox in its own CRS tested as it is", gb, "bbox=1620000,4850000,1630000,4860000&bbox-crs=EPSG:3003&crs=EPSG:3003", []string{`ST_Intersects("the_geom", ST_MakeEnvelope(`}, []string{"ST_Transform"}, 5},
		{"published: spatial filter on the native column", gb, "filter=S_INTERSECTS(geometry, POINT(10.5 43.8))", []string{`"the_geom"`, `3003)`}, nil, 2},
		{"keyless view: no id, every sortable column orders", kv, "offset=10", []string{"NULL::text AS fid_text", `FROM "office"."v" t ORDER BY t."nome", t."geom" LIMIT $1 OFFSET $2`}, []string{`"id"`}, 2},
		{"keyless table: its physical order", kt, "bbox=10,43,11,44", []string{`ORDER BY t.ctid LIMIT`}, nil, 5},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			q, err := url.ParseQuery(tc.query)
			if err != nil {
				t.Fatal(err)
			}
			req, err := s.ParseItems(tc.layer, q)
			if err != nil {
				t.Fatal(err)
			}
			bq := itemsSQL(req)
			rest := bq.SQL
			for _, w := range tc.want {
				i := strings.Index(rest, w)
				if i < 0 {
					t.Fatalf("SQL lacks %q (in order):\n%s", w, bq.SQL)
				}
				rest = rest[i+len(w):]
			}
			for _, n := range tc.not {
				if strings.Contains(bq.SQL, n) {
					t.Errorf("SQL has %q:\n%s", n, bq.SQL)
				}
			}
			if len(bq.Args) != tc.nargs {
				t.Errorf("%d args, want %d: %v", len(bq.Args), tc.nargs, bq.Args)
			}
		})
	}
}

func TestPropertiesJSONChunks(t *testing.T) {
	var props []layers.Property
	for i := 0; i < 120; i++ {
		props = append(props, layers.Property{Name: "p" + strings.Repeat("x", i%3) + string(rune('a'+i%26)) + strings.Repeat("_", i/26)})
	}
	sql := propertiesJSON(props)
	if n := strings.Count(sql, "json_build_object("); n != 3 {
		t.Fatalf("%d json_build_object calls for 120 properties, want 3 (50 pairs each at most)", n)
	}
	if !strings.HasPrefix(sql, "left(json_build_object(") || !strings.Contains(sql, "substr(json_build_object(") {
		t.Errorf("chunks not joined: %.200s", sql)
	}
}

func BenchmarkParseAndBuild(b *testing.B) {
	s, _ := New(access.NewCatalog(testCatalog()), nil, Options{}, nil)
	l, _ := testCatalog().Layer("particelle")
	for name, raw := range map[string]string{
		"bbox":   "limit=100&bbox=10.5,43.84,10.504,43.843",
		"paging": "limit=1000&after=123456",
		"filter": "filter=foglio IN ('1','2','3') AND CASEI(foglio) LIKE '1%25' AND S_INTERSECTS(geometry, BBOX(10.5,43.84,10.51,43.85))&sortby=-h",
	} {
		q, _ := url.ParseQuery(raw)
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				req, err := s.ParseItems(l, q)
				if err != nil {
					b.Fatal(err)
				}
				_ = itemsSQL(req)
			}
		})
	}
}

// TestItemsSQLCountedOffset: a counted page cuts its offset in a subquery
// that passes rows through, so the features' JSON is built for the page
// alone.
func TestItemsSQLCountedOffset(t *testing.T) {
	s := catalogService(t, Options{})
	l, _ := testCatalog().Layer("particelle")
	req, err := s.ParseItems(l, url.Values{"bbox": {"10,43,11,44"}, "offset": {"500"}, "limit": {"10"}})
	if err != nil {
		t.Fatal(err)
	}
	bq := itemsSQLCounted(req, 1000)
	want := `AS feature, "sit:n"::text FROM (SELECT * FROM (SELECT *, count(*) OVER () AS "sit:n" FROM (SELECT t.* FROM `
	cut := `ORDER BY s."fid" LIMIT $6 OFFSET $7) p ORDER BY p."fid"`
	if !bq.Counted || !strings.Contains(bq.SQL, want) || !strings.HasSuffix(bq.SQL, cut) {
		t.Fatalf("SQL:\n%s", bq.SQL)
	}
	if got := bq.Args[4]; got != int64(1000+1) {
		t.Errorf("inner limit %v, want the count cap + 1", got)
	}
}

// publishedLayers are a table in EPSG:3003 with a key, a keyless view and
// a keyless table, as the publish package describes them.
func publishedLayers() (table, view, keyless layers.Layer) {
	table = layers.Layer{Name: "office.strade", Version: 9, GeometryType: "MultiLineString", FIDType: layers.TypeInteger,
		Properties: []layers.Property{{Name: "gid", Type: layers.TypeInteger, Queryable: true}, {Name: "nome", Type: layers.TypeText, Queryable: true}},
		Source: layers.Source{Origin: layers.OriginTable, Schema: "office", Relation: "strade", Geometry: "the_geom", SRID: 3003,
			Key: "gid", KeyType: "bigint", Area: [4]float64{-81, -85, 99, 85}}}
	view = layers.Layer{Name: "office.v", Version: 1, GeometryType: "Point",
		Properties: []layers.Property{{Name: "nome", Type: layers.TypeText, Queryable: true}, {Name: "doc", Type: layers.TypeJSON}},
		Source:     layers.Source{Origin: layers.OriginView, Schema: "office", Relation: "v", Geometry: "geom", SRID: 4326}}
	keyless = view
	keyless.Name, keyless.Source.Origin, keyless.Source.Relation = "office.t", layers.OriginTable, "t"
	return table, view, keyless
}

// TestItemsSQLFunction: a row function is called with the request's
// arguments, in named notation, and checked against its signature.
func TestItemsSQLFunction(t *testing.T) {
	s := catalogService(t, Options{})
	fn := layers.Layer{Name: "office.cerca", Version: 3, GeometryType: "Geometry",
		Properties: []layers.Property{{Name: "uso", Type: layers.TypeText, Queryable: true}},
		Source: layers.Source{Origin: layers.OriginFunction, Schema: "office", Relation: "cerca", Geometry: "geom", SRID: 4326,
			Function: &layers.Function{Params: []layers.Param{{Name: "uso_cercato", Type: "text", Field: layers.TypeText},
				{Name: "limite", Type: "integer", Field: layers.TypeInteger, HasDefault: true}}}}}
	req, err := s.ParseItems(fn, url.Values{"uso_cercato": {"servizi"}, "uso": {"servizi"}, "offset": {"5"}})
	if err != nil {
		t.Fatal(err)
	}
	bq := itemsSQL(req)
	for _, want := range []string{`FROM "office"."cerca"("uso_cercato" => $2::text::text) t`, `"uso" = $1::text`, "OFFSET"} {
		if !strings.Contains(bq.SQL, want) {
			t.Errorf("no %s in\n%s", want, bq.SQL)
		}
	}
	if len(bq.Args) != 4 || bq.Args[1] != "servizi" {
		t.Errorf("args %v", bq.Args)
	}
	for _, bad := range []url.Values{{"limite": {"2"}}, {"uso_cercato": {"a"}, "limite": {"due"}}, {"uso_cercato": {"a", "b"}}} {
		if _, err := s.ParseItems(fn, bad); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
}
