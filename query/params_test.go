package query

import (
	"net/url"
	"strings"
	"testing"

	"github.com/sit-gis/sit/access"

	"github.com/sit-gis/sit/internal/httpx"
)

// TestParseItems runs each parameter's parser through ParseItems: good
// values land in the request, bad ones are 400s naming the parameter.
func TestParseItems(t *testing.T) {
	s := catalogService(t, Options{MaxLimit: 100})
	tests := []struct {
		name, layer, query string
		param              string // the parameter a 400 names; "" for success
		check              func(t *testing.T, q ItemsRequest)
	}{
		{"defaults", "particelle", "", "", func(t *testing.T, q ItemsRequest) {
			if q.Limit != 10 || q.CRS.URI != CRS84.URI || q.filtered() {
				t.Fatalf("%+v", q)
			}
		}},
		{"limit clamped", "particelle", "limit=1000", "", func(t *testing.T, q ItemsRequest) {
			if q.Limit != 100 || !q.LimitClamped {
				t.Fatalf("limit %d clamped %v", q.Limit, q.LimitClamped)
			}
		}},
		{"limit huge clamped", "particelle", "limit=99999999999999999999", "", nil},
		{"limit zero", "particelle", "limit=0", "limit", nil},
		{"limit text", "particelle", "limit=ten", "limit", nil},
		{"offset negative", "particelle", "offset=-1", "offset", nil},
		{"after not an id", "particelle", "after=x", "after", nil},
		{"after and before", "particelle", "after=1&before=2", "before", nil},
		{"sortby with keys", "particelle", "after=1&sortby=foglio", "sortby", nil},
		{"crs", "particelle", "crs=EPSG:3003", "", func(t *testing.T, q ItemsRequest) {
			if q.CRS.SRID != 3003 {
				t.Fatal(q.CRS)
			}
		}},
		{"crs unknown", "particelle", "crs=EPSG:2000", "crs", nil},
		{"bbox", "particelle", "bbox=10,43,11,44", "", func(t *testing.T, q ItemsRequest) {
			if len(q.BBox) != 4 || q.BBox[2] != 11 {
				t.Fatal(q.BBox)
			}
		}},
		{"bbox 6 numbers", "particelle", "bbox=10,43,0,11,44,100", "", nil},
		{"bbox lat/lon order", "particelle", "bbox=43,10,44,11&bbox-crs=EPSG:4326", "", func(t *testing.T, q ItemsRequest) {
			if q.BBox[0] != 10 || q.BBox[1] != 43 {
				t.Fatal(q.BBox)
			}
		}},
		{"bbox across the antimeridian", "particelle", "bbox=170,-10,-170,10", "", func(t *testing.T, q ItemsRequest) {
			if len(bboxParts(q.BBox)) != 2 {
				t.Fatal(bboxParts(q.BBox))
			}
		}},
		{"bbox across the antimeridian in lat/lon", "particelle", "bbox=-10,170,10,-170&bbox-crs=EPSG:4326", "", nil},
		{"bbox longitude out of range", "particelle", "bbox=-200,40,10,44", "bbox", nil},
		{"bbox latitude out of range", "particelle", "bbox=10,-91,11,44", "bbox", nil},
		{"bbox upside down", "particelle", "bbox=10,44,11,43", "bbox", nil},
		{"bbox projected reversed", "particelle", "bbox=1630000,4850000,1620000,4860000&bbox-crs=EPSG:3003", "bbox", nil},
		{"bbox projected outside its limits", "particelle", "bbox=1,2,3,4&bbox-crs=EPSG:3003", "bbox", nil},
		{"bbox web mercator outside", "particelle", "bbox=0,0,3e7,1&bbox-crs=EPSG:3857", "bbox", nil},
		{"bbox in 3003", "particelle", "bbox=1620000,4850000,1630000,4860000&bbox-crs=EPSG:3003", "", nil},
		{"bbox in 6707 (N-E)", "particelle", "bbox=4850000,620000,4860000,630000&bbox-crs=EPSG:6707", "", func(t *testing.T, q ItemsRequest) {
			if q.BBox[0] != 620000 {
				t.Fatal(q.BBox)
			}
		}},
		{"bbox garbage", "particelle", "bbox=1,2,3,x", "bbox", nil},
		{"bbox 5 numbers", "particelle", "bbox=1,2,3,4,5", "bbox", nil},
		{"bbox-crs without bbox", "particelle", "bbox-crs=EPSG:3857", "bbox-crs", nil},
		{"datetime instant", "copertura", "datetime=2024-01-15", "", func(t *testing.T, q ItemsRequest) {
			if q.Datetime == nil || q.Datetime.Start == nil || q.Datetime.End == nil {
				t.Fatal(q.Datetime)
			}
		}},
		{"datetime open start", "copertura", "datetime=../2025-01-01", "", nil},
		{"datetime open end (empty)", "copertura", "datetime=2024-01-01T00:00:00Z/", "", nil},
		{"datetime open both", "copertura", "datetime=../..", "datetime", nil},
		{"datetime empty both", "copertura", "datetime=/", "datetime", nil},
		{"datetime open instant", "copertura", "datetime=..", "datetime", nil},
		{"datetime reversed", "copertura", "datetime=2025-01-01/2024-01-01", "datetime", nil},
		{"datetime garbage", "copertura", "datetime=ieri", "datetime", nil},
		{"datetime on a layer without time: accepted, no filter", "particelle", "datetime=2024-01-01", "", func(t *testing.T, q ItemsRequest) {
			if q.Datetime != nil {
				t.Fatal("filtered by a time the layer has not")
			}
		}},
		{"datetime open both on a layer without time", "particelle", "datetime=../..", "datetime", nil},
		{"properties", "particelle", "properties=foglio,n,foglio", "", func(t *testing.T, q ItemsRequest) {
			if strings.Join(q.Props, ",") != "foglio,n" {
				t.Fatal(q.Props)
			}
		}},
		{"properties unknown", "particelle", "properties=foglio,password", "properties", nil},
		{"skipGeometry", "particelle", "skipGeometry=true", "", func(t *testing.T, q ItemsRequest) {
			if !q.SkipGeometry {
				t.Fatal("not skipped")
			}
		}},
		{"skipGeometry bad", "particelle", "skipGeometry=maybe", "skipGeometry", nil},
		{"sortby", "particelle", "sortby=-h,+foglio,n:D", "", func(t *testing.T, q ItemsRequest) {
			if len(q.SortBy) != 3 || !q.SortBy[0].Desc || q.SortBy[1].Desc || !q.SortBy[2].Desc {
				t.Fatal(q.SortBy)
			}
		}},
		{"sortby bad direction", "particelle", "sortby=h:UP", "sortby", nil},
		{"sortby empty", "particelle", "sortby=,", "sortby", nil},
		{"filter", "particelle", "filter=n > 2", "", func(t *testing.T, q ItemsRequest) {
			if q.Filter == nil {
				t.Fatal("no filter")
			}
		}},
		{"filter json", "particelle", `filter-lang=cql2-json&filter={"op":">","args":[{"property":"n"},2]}`, "", nil},
		{"filter broken", "particelle", "filter=n >", "filter", nil},
		{"filter type error", "particelle", "filter=n = 'x'", "filter", nil},
		{"filter-lang unknown", "particelle", "filter=n>1&filter-lang=sql", "filter-lang", nil},
		{"filter-lang alone", "particelle", "filter-lang=cql2-text", "filter-lang", nil},
		{"filter-crs alone", "particelle", "filter-crs=EPSG:3003", "filter-crs", nil},
		{"queryables", "particelle", "n=1&n=2&foglio=37", "", func(t *testing.T, q ItemsRequest) {
			if len(q.Equals) != 2 || q.Equals[0].Property.Name != "foglio" || len(q.Equals[1].Values) != 2 {
				t.Fatalf("%+v", q.Equals)
			}
		}},
		{"queryable of the wrong type", "particelle", "n=uno", "n", nil},
		{"not a queryable", "particelle", "extra=1", "extra", nil},
		{"unknown parameter", "particelle", "password=x", "password", nil},
		{"standard parameter twice", "particelle", "limit=1&limit=2", "limit", nil},
		{"too long", "particelle", "foglio=" + strings.Repeat("1", 5000), "foglio", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l, _ := testCatalog().Layer(tc.layer)
			q, err := url.ParseQuery(tc.query)
			if err != nil {
				t.Fatal(err)
			}
			req, err := s.ParseItems(l, q)
			if tc.param != "" {
				if p := asProblem(t, err); p.Parameter != tc.param || p.Status != 400 {
					t.Fatalf("problem %+v, want a 400 naming %s", p, tc.param)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tc.check != nil {
				tc.check(t, req)
			}
		})
	}
}

func asProblem(t *testing.T, err error) *httpx.Problem {
	t.Helper()
	p, ok := err.(*httpx.Problem)
	if !ok {
		t.Fatalf("error %v (%T), want a problem", err, err)
	}
	return p
}

// FuzzParseItems: no query string panics the parsers, and what they accept
// builds SQL.
func FuzzParseItems(f *testing.F) {
	for _, s := range []string{"", "limit=5&offset=2", "bbox=10,43,11,44", "bbox=170,-10,-170,10", "bbox=1,2,3,4&bbox-crs=EPSG:3003",
		"datetime=../2025-01-01", "datetime=../..", "sortby=-h,foglio", "properties=foglio", "filter=n > 2 AND foglio = '1'",
		`filter-lang=cql2-json&filter={"op":"=","args":[{"property":"n"},1]}`, "n=1&n=2", "after=5", "crs=EPSG:6707", "filter=foglio%3D37;x"} {
		f.Add(s)
	}
	s, err := New(access.NewCatalog(testCatalog()), nil, Options{}, nil)
	if err != nil {
		f.Fatal(err)
	}
	l, _ := testCatalog().Layer("particelle")
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := httpx.ParseQuery(raw)
		if err != nil {
			if _, ok := err.(*httpx.Problem); !ok {
				t.Fatalf("%q: not a problem: %v", raw, err)
			}
			return
		}
		req, err := s.ParseItems(l, q)
		if err != nil {
			if p, ok := err.(*httpx.Problem); !ok || p.Parameter == "" {
				t.Fatalf("%q: %v", raw, err)
			}
			return
		}
		_ = itemsSQL(req)
	})
}
