package tiles

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/sit-gis/sit/access"
)

// TestEveryDocumentedPathIsRouted fills each OpenAPI path template with
// sample values and checks that a handler of this package answers (a
// problem or a document), not the router's own 404/405.
func TestEveryDocumentedPathIsRouted(t *testing.T) {
	h := router(New(bytesDB{body: []byte("x")}, access.NewCatalog(testCatalog()), Options{}))
	sample := strings.NewReplacer("{layers}", "parcels", "{collectionId}", "parcels", "{tileMatrixSetId}", TMSID,
		"{tileMatrix}", "15", "{tileRow}", "11939", "{tileCol}", "17339", "{z}", "15", "{x}", "17339", "{y}", "11939",
		"{styleId}", "default", "{archive}", "demo", "{fontstack}", "Open%20Sans%20Regular", "{range}", "0-255")
	for path := range OpenAPIPaths() {
		t.Run(path, func(t *testing.T) {
			w := httptest.NewRecorder()
			h.ServeHTTP(w, httptest.NewRequest("GET", sample.Replace(path), nil))
			if w.Code == 405 || (w.Code == 404 && !strings.Contains(w.Header().Get("Content-Type"), "problem")) {
				t.Fatalf("%s: %d %q: not routed", sample.Replace(path), w.Code, w.Body)
			}
		})
	}
}
