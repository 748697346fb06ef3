package query

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/sit-gis/sit/access"

	"github.com/sit-gis/sit/layers"
)

// memCatalog is a catalog in memory: the handlers that read only the
// catalog are tested without a database.
type memCatalog []layers.Layer

func (c memCatalog) Layers() []layers.Layer { return c }
func (c memCatalog) Layer(name string) (layers.Layer, bool) {
	for _, l := range c {
		if l.Name == name {
			return l, true
		}
	}
	return layers.Layer{}, false
}

func testCatalog() memCatalog {
	ext := [4]float64{10.4, 43.8, 10.6, 43.9}
	ts := [2]time.Time{time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	return memCatalog{
		{Name: "copertura", Table: "copertura", Title: "Copertura", Kind: layers.KindBroadband, GeometryType: "Point", FIDType: layers.TypeInteger,
			Version: 3, FeatureCount: 40, Extent: &ext, TemporalProperty: "snapshot", TemporalExtent: &ts,
			Properties: []layers.Property{{Name: "snapshot", Type: layers.TypeDate, Queryable: true}, {Name: "operator", Type: layers.TypeText, Queryable: true}}},
		{Name: "particelle", Table: "particelle", Title: "Particelle", Kind: layers.KindCadastral, GeometryType: "MultiPolygon", FIDType: layers.TypeInteger,
			Version: 7, FeatureCount: 300, Extent: &ext,
			Properties: []layers.Property{{Name: "foglio", Type: layers.TypeText, Queryable: true}, {Name: "n", Type: layers.TypeInteger, Queryable: true},
				{Name: "h", Type: layers.TypeDouble, Queryable: true}, {Name: "extra", Type: layers.TypeJSON}}},
	}
}

func catalogService(t *testing.T, opt Options) *Service {
	t.Helper()
	s, err := New(access.NewCatalog(testCatalog()), nil, opt, nil)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func serve(t *testing.T, s *Service, target string, header ...string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, target, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, req)
	return rec
}
