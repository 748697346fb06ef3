package tiles

import (
	"encoding/json"
	"net/http/httptest"
	"testing"

	"github.com/sit-gis/sit/access"
)

func TestHandleStyle(t *testing.T) {
	h := router(New(noDB{}, access.NewCatalog(testCatalog()), Options{PublicURL: "http://h"}))
	tests := []struct {
		name, path string
		wantStatus int
		wantLayers []string // style layer ids in order
		wantURL    string
	}{
		{"default", "/styles/default.json", 200,
			[]string{"zoning-fill", "zoning-line", "parcels-fill", "parcels-line", "broadband-circle", "zoning-label", "parcels-label"},
			"http://h/tiles/zoning,parcels,broadband.json"},
		{"one layer", "/styles/parcels.json", 200, []string{"parcels-fill", "parcels-line", "parcels-label"}, "http://h/tiles/parcels.json"},
		{"unknown", "/styles/nope.json", 404, nil, ""},
		{"not json", "/styles/default", 404, nil, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			h.ServeHTTP(w, httptest.NewRequest("GET", tc.path, nil))
			if w.Code != tc.wantStatus {
				t.Fatalf("status %d: %s", w.Code, w.Body)
			}
			if w.Code != 200 {
				return
			}
			var st struct {
				Version int
				Glyphs  string
				Sources map[string]struct{ Type, URL string }
				Layers  []struct {
					ID          string
					Type        string
					SourceLayer string `json:"source-layer"`
					MinZoom     int
				}
			}
			if err := json.Unmarshal(w.Body.Bytes(), &st); err != nil {
				t.Fatal(err)
			}
			if st.Version != 8 || st.Sources["sit"].URL != tc.wantURL || st.Sources["sit"].Type != "vector" ||
				st.Glyphs != "http://h/fonts/{fontstack}/{range}.pbf" {
				t.Fatalf("style %+v", st)
			}
			wantLabels := map[string]string{"default": "http://h/tiles/zoning:labels,parcels:labels.json", "one layer": "http://h/tiles/parcels:labels.json"}[tc.name]
			if got := st.Sources["sit-labels"].URL; got != wantLabels {
				t.Errorf("label source %q, want %q", got, wantLabels)
			}
			var ids []string
			for _, l := range st.Layers {
				ids = append(ids, l.ID)
				if l.ID == "parcels-line" && l.MinZoom != 14 {
					t.Errorf("parcels drawn from z%d, want 14", l.MinZoom)
				}
				if l.ID == "parcels-label" && l.MinZoom != 17 {
					t.Errorf("parcel labels from z%d, want 17", l.MinZoom)
				}
			}
			if len(ids) != len(tc.wantLayers) {
				t.Fatalf("layers %v, want %v", ids, tc.wantLayers)
			}
			for i := range ids {
				if ids[i] != tc.wantLayers[i] {
					t.Fatalf("layers %v, want %v", ids, tc.wantLayers)
				}
			}
		})
	}
}
