package tiles

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/sit-gis/sit/access"
)

func TestHandleTilesets(t *testing.T) {
	h := router(New(noDB{}, access.NewCatalog(testCatalog()), Options{PublicURL: "http://h"}))
	tests := []struct {
		name, path string
		wantStatus int
		wantLayers int    // tileset documents only
		wantItem   string // the templated tile link
	}{
		{"collection list", "/collections/parcels/tiles", 200, 0, "http://h/collections/parcels/tiles/WebMercatorQuad/{tileMatrix}/{tileRow}/{tileCol}"},
		{"collection tileset", "/collections/parcels/tiles/WebMercatorQuad", 200, 1, "http://h/collections/parcels/tiles/WebMercatorQuad/{tileMatrix}/{tileRow}/{tileCol}"},
		{"dataset list", "/tiles", 200, 0, "http://h/tiles/WebMercatorQuad/{tileMatrix}/{tileRow}/{tileCol}"},
		{"dataset tileset", "/tiles/WebMercatorQuad", 200, 3, "http://h/tiles/WebMercatorQuad/{tileMatrix}/{tileRow}/{tileCol}"},
		{"unknown collection", "/collections/nope/tiles", 404, 0, ""},
		{"unknown matrix set", "/collections/parcels/tiles/WorldCRS84Quad", 404, 0, ""},
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
			if !strings.Contains(w.Body.String(), `"href":"`+tc.wantItem+`"`) {
				t.Errorf("no item link %s in %s", tc.wantItem, w.Body)
			}
			if tc.wantLayers == 0 {
				return
			}
			var ts Tileset
			if err := json.Unmarshal(w.Body.Bytes(), &ts); err != nil {
				t.Fatal(err)
			}
			if len(ts.Layers) != tc.wantLayers || ts.DataType != "vector" || ts.TileMatrixSetURI != TMSURI {
				t.Fatalf("tileset %+v", ts)
			}
			first := ts.TileMatrixSetLimit[0]
			if first.MinTileCol > first.MaxTileCol || first.MinTileRow > first.MaxTileRow {
				t.Errorf("limits %+v", first)
			}
			if ts.Layers[0].MinTileMatrix != first.TileMatrix && tc.wantLayers == 1 {
				t.Errorf("layer starts at %s, limits at %s", ts.Layers[0].MinTileMatrix, first.TileMatrix)
			}
		})
	}
}
