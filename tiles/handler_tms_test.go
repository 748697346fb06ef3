package tiles

import (
	"encoding/json"
	"math"
	"net/http/httptest"
	"testing"

	"github.com/sit-gis/sit/access"
)

func TestHandleTileMatrixSets(t *testing.T) {
	h := router(New(noDB{}, access.NewCatalog(testCatalog()), Options{}))
	tests := []struct {
		name, path string
		wantStatus int
	}{
		{"list", "/tileMatrixSets", 200},
		{"WebMercatorQuad", "/tileMatrixSets/WebMercatorQuad", 200},
		{"unknown", "/tileMatrixSets/WorldCRS84Quad", 404},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			h.ServeHTTP(w, httptest.NewRequest("GET", tc.path, nil))
			if w.Code != tc.wantStatus {
				t.Fatalf("status %d: %s", w.Code, w.Body)
			}
			if tc.name != "WebMercatorQuad" {
				return
			}
			var tms TileMatrixSet
			if err := json.Unmarshal(w.Body.Bytes(), &tms); err != nil {
				t.Fatal(err)
			}
			if len(tms.TileMatrices) != MaxZoom+1 || tms.URI != TMSURI {
				t.Fatalf("tms %+v", tms)
			}
			// The published values of the standard's WebMercatorQuad.
			z0, z15 := tms.TileMatrices[0], tms.TileMatrices[15]
			if math.Abs(z0.ScaleDenominator-559082264.0287178) > 1e-3 || math.Abs(z0.CellSize-156543.03392804097) > 1e-6 ||
				z15.MatrixWidth != 32768 || math.Abs(z15.CellSize-4.777314267823516) > 1e-9 {
				t.Fatalf("matrices z0 %+v z15 %+v", z0, z15)
			}
			// The TMS 1.0 members GDAL 3.6 reads, equal to their 2.0 twins.
			if tms.Type != "TileMatrixSetType" || tms.Identifier != TMSID || tms.SupportedCRS != CRS3857 ||
				tms.BoundingBox.CRS != CRS3857 || tms.BoundingBox.LowerCorner[0] != -tms.BoundingBox.UpperCorner[0] ||
				math.Abs(tms.BoundingBox.UpperCorner[1]-z0.PointOfOrigin[1]) > 1e-6 {
				t.Fatalf("TMS 1.0 members: %+v", tms)
			}
			for _, m := range tms.TileMatrices {
				if m.Identifier != m.ID || m.TopLeftCorner != m.PointOfOrigin {
					t.Fatalf("matrix %s: identifier %q, topLeftCorner %v, pointOfOrigin %v", m.ID, m.Identifier, m.TopLeftCorner, m.PointOfOrigin)
				}
			}
		})
	}
}
