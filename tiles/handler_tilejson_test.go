package tiles

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/sit-gis/sit/access"
)

func TestHandleTileJSON(t *testing.T) {
	svc := New(noDB{}, access.NewCatalog(testCatalog()), Options{PublicURL: "https://sit.example/"})
	h := router(svc)
	tests := []struct {
		name        string
		path        string
		wantStatus  int
		wantLayers  []string
		wantMin     int
		wantFields  map[string]map[string]string // layer → some fields with types
		wantAbsent  map[string]string            // layer → field that must not be listed
		wantAttribs []string
	}{
		{"one layer", "/tiles/parcels.json", 200, []string{"parcels"}, 14,
			map[string]map[string]string{"parcels": {"foglio": "String", "particella": "String", "area_m2": "Number"}},
			map[string]string{"parcels": "owner_note"}, []string{"Agenzia delle Entrate"}},
		{"two layers", "/tiles/zoning,broadband.json", 200, []string{"zoning", "broadband"}, 10,
			map[string]map[string]string{"zoning": {"zone_class": "String"}, "broadband": {"speed_band": "String", "fid": "String"}},
			map[string]string{"zoning": "meta"}, []string{"Comune di Lucca"}},
		{"label points", "/tiles/parcels:labels,zoning:labels.json", 200, []string{"parcels:labels", "zoning:labels"}, 15,
			map[string]map[string]string{"parcels:labels": {"particella": "String"}, "zoning:labels": {"zone_code": "String"}},
			map[string]string{"parcels:labels": "foglio"}, nil},
		{"unknown", "/tiles/nope.json", 404, nil, 0, nil, nil, nil},
		{"no labels for this kind", "/tiles/broadband:labels.json", 404, nil, 0, nil, nil, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			h.ServeHTTP(w, httptest.NewRequest("GET", tc.path, nil))
			if w.Code != tc.wantStatus {
				t.Fatalf("status %d: %s", w.Code, w.Body)
			}
			if tc.wantStatus != 200 {
				return
			}
			var tj TileJSON
			if err := json.Unmarshal(w.Body.Bytes(), &tj); err != nil {
				t.Fatal(err)
			}
			if tj.TileJSON != "3.0.0" || len(tj.Tiles) != 1 || !strings.HasPrefix(tj.Tiles[0], "https://sit.example/tiles/") ||
				!strings.Contains(tj.Tiles[0], "/{z}/{x}/{y}.mvt") {
				t.Fatalf("tilejson %+v", tj)
			}
			if tj.MinZoom != tc.wantMin || tj.MaxZoom != 22 {
				t.Errorf("zooms %d–%d, want %d–22", tj.MinZoom, tj.MaxZoom, tc.wantMin)
			}
			if tj.Bounds != [4]float64{10.42, 43.80, 10.62, 43.90} || tj.Center[0] != 10.52 || tj.Center[2] < float64(tc.wantMin) {
				t.Errorf("bounds %v center %v", tj.Bounds, tj.Center)
			}
			for _, a := range tc.wantAttribs {
				if !strings.Contains(tj.Attribution, a) {
					t.Errorf("attribution %q lacks %q", tj.Attribution, a)
				}
			}
			if len(tj.VectorLayers) != len(tc.wantLayers) {
				t.Fatalf("vector_layers %+v", tj.VectorLayers)
			}
			for i, id := range tc.wantLayers {
				vl := tj.VectorLayers[i]
				if vl.ID != id {
					t.Fatalf("vector layer %d is %s, want %s", i, vl.ID, id)
				}
				for f, typ := range tc.wantFields[id] {
					if vl.Fields[f] != typ {
						t.Errorf("%s.%s = %q, want %q", id, f, vl.Fields[f], typ)
					}
				}
				if absent, ok := tc.wantAbsent[id]; ok {
					if _, there := vl.Fields[absent]; there {
						t.Errorf("%s lists %s, which is never tiled", id, absent)
					}
				}
			}
			// Revalidation.
			req := httptest.NewRequest("GET", tc.path, nil)
			req.Header.Set("If-None-Match", w.Header().Get("ETag"))
			w2 := httptest.NewRecorder()
			h.ServeHTTP(w2, req)
			if w2.Code != 304 {
				t.Errorf("revalidation status %d", w2.Code)
			}
		})
	}
}
