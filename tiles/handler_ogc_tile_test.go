package tiles

import (
	"encoding/json"
	"net/http/httptest"
	"testing"

	"github.com/sit-gis/sit/access"

	"github.com/sit-gis/sit/internal/httpx"
)

func TestHandleOGCTile(t *testing.T) {
	h := router(New(bytesDB{body: []byte("tile-bytes")}, access.NewCatalog(testCatalog()), Options{}))
	tests := []struct {
		name       string
		path       string
		wantStatus int
		wantParam  string
	}{
		// z/y/x: row 23870, column 34680 is the XYZ tile 16/34680/23870.
		{"collection tile", "/collections/parcels/tiles/WebMercatorQuad/16/23870/34680", 200, ""},
		{"dataset tile", "/tiles/WebMercatorQuad/16/23870/34680", 200, ""},
		{"below the layer's zooms", "/collections/parcels/tiles/WebMercatorQuad/5/11/16", 204, ""},
		{"row past the grid", "/collections/parcels/tiles/WebMercatorQuad/2/4/0", 400, "tileRow"},
		{"bad column", "/tiles/WebMercatorQuad/2/0/x", 400, "tileCol"},
		{"matrix too deep", "/tiles/WebMercatorQuad/30/0/0", 400, "tileMatrix"},
		{"unknown collection", "/collections/nope/tiles/WebMercatorQuad/1/0/0", 404, "collectionId"},
		{"unknown matrix set", "/collections/parcels/tiles/Other/1/0/0", 404, "tileMatrixSetId"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			h.ServeHTTP(w, httptest.NewRequest("GET", tc.path, nil))
			if w.Code != tc.wantStatus {
				t.Fatalf("status %d: %s", w.Code, w.Body)
			}
			if tc.wantParam != "" {
				var p httpx.Problem
				if err := json.Unmarshal(w.Body.Bytes(), &p); err != nil || p.Parameter != tc.wantParam {
					t.Fatalf("problem %s, want parameter %s", w.Body, tc.wantParam)
				}
			}
			if tc.wantStatus == 200 && w.Body.String() != "tile-bytes" {
				t.Errorf("body %q", w.Body)
			}
		})
	}
}
