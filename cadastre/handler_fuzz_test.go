package cadastre

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/sit-gis/sit/access"

	"github.com/go-chi/chi/v5"

	"github.com/sit-gis/sit/internal/httpx"
	"github.com/sit-gis/sit/layers"
)

// noLayers is a catalog without a cadastre: a request gets through its
// parsers (references, points, CRSs, limits) and stops before the database.
type noLayers struct{}

func (noLayers) Layers() []layers.Layer            { return nil }
func (noLayers) Layer(string) (layers.Layer, bool) { return layers.Layer{}, false }

// FuzzParcelsHTTP drives the parcel routes' HTTP entry (path reference,
// query parameters) with any input: no panic, no 5xx, every error a
// problem naming its parameter.
func FuzzParcelsHTTP(f *testing.F) {
	for _, s := range [][2]string{{"37%2F125", ""}, {"foglio%2037%20particella%20125", ""}, {"E715_003700.125", ""}, {"%zz", ""},
		{"x", "q=37/125&limit=5"}, {"x", "lon=10.5&lat=43.8&crs=EPSG:3003"}, {"x", "x=1620000&y=4860000&crs=EPSG:3003"}, {"x", "q=via%20del%20fosso%2012"}, {"x", "lon=NaN&lat=1e400"}} {
		f.Add(s[0], s[1])
	}
	r := chi.NewRouter()
	New(nil, access.NewCatalog(noLayers{}), Options{}).Mount(r)
	r.NotFound(func(w http.ResponseWriter, r *http.Request) { // as internal/server answers
		httpx.WriteProblem(w, r, httpx.NotFound("no resource at "+r.URL.Path))
	})
	f.Fuzz(func(t *testing.T, ref, query string) {
		for _, target := range []string{"/parcels/" + ref, "/parcels/search?" + query, "/parcels/suggest?" + query, "/parcels/at?" + query} {
			u, err := url.Parse(target)
			if err != nil {
				continue // not a request a client can send
			}
			req := httptest.NewRequest(http.MethodGet, "/", nil)
			req.URL = u
			w := httptest.NewRecorder()
			r.ServeHTTP(w, req)
			if w.Code >= 500 {
				t.Fatalf("%s: %d %s", target, w.Code, w.Body)
			}
			if w.Code >= 400 {
				var p httpx.Problem
				if err := json.Unmarshal(w.Body.Bytes(), &p); err != nil || w.Header().Get("Content-Type") != httpx.ProblemType {
					t.Fatalf("%s: %d not a problem: %s", target, w.Code, w.Body)
				}
				if w.Code == 400 && p.Parameter == "" {
					t.Fatalf("%s: a 400 naming no parameter: %s", target, p.Detail)
				}
			}
		}
	})
}
