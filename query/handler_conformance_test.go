package query

import (
	"encoding/json"
	"slices"
	"testing"
)

func TestConformance(t *testing.T) {
	s := catalogService(t, Options{Conformance: append(TilesConformance, featuresConformance[0])})
	rec := serve(t, s, "/conformance")
	var doc ConformanceDoc
	if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
		"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
		"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
		"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
		"http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
		"http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter",
		"http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter",
		"http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
		"http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables-query-parameters",
		"http://www.opengis.net/spec/cql2/1.0/conf/cql2-text",
		"http://www.opengis.net/spec/cql2/1.0/conf/cql2-json",
		"http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2",
		"http://www.opengis.net/spec/cql2/1.0/conf/advanced-comparison-operators",
		"http://www.opengis.net/spec/cql2/1.0/conf/case-insensitive-comparison",
		"http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions",
		"http://www.opengis.net/spec/cql2/1.0/conf/spatial-functions",
		"http://www.opengis.net/spec/cql2/1.0/conf/temporal-functions",
		"http://www.opengis.net/spec/cql2/1.0/conf/arithmetic",
		"http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/core",
		"http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/mvt",
	} {
		if !slices.Contains(doc.ConformsTo, want) {
			t.Errorf("missing %s", want)
		}
	}
	seen := map[string]bool{}
	for _, c := range doc.ConformsTo {
		if seen[c] {
			t.Errorf("%s declared twice", c)
		}
		seen[c] = true
	}
	// Not implemented, so never declared.
	for _, no := range []string{"http://www.opengis.net/spec/cql2/1.0/conf/array-functions", "http://www.opengis.net/spec/cql2/1.0/conf/functions"} {
		if seen[no] {
			t.Errorf("declares %s", no)
		}
	}
}
