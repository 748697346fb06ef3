package query

import (
	"net/http"
	"net/url"

	"github.com/go-chi/chi/v5"

	"github.com/sit-gis/sit/internal/httpx"
	"github.com/sit-gis/sit/layers"
)

// Mount registers the OGC API Features endpoints (GET and HEAD). The path
// parameter names (collectionId, featureId) are those of the OGC OpenAPI
// fragments.
func (s *Service) Mount(r chi.Router) {
	rt := httpx.Routes{R: r, Log: s.log, Translate: s.problem}
	rt.Get("/", s.handleLanding)
	rt.Get("/conformance", s.handleConformance)
	rt.Get("/api", s.handleAPI)
	rt.Get("/api.html", s.handleAPIHTML)
	rt.Get("/collections", s.handleCollections)
	rt.Get("/collections/{collectionId}", s.handleCollection)
	rt.Get("/collections/{collectionId}/items", s.handleItems)
	rt.Get("/collections/{collectionId}/items/{featureId}", s.handleItem)
	rt.Get("/collections/{collectionId}/queryables", s.handleQueryables)
}

// Handler returns the endpoints on their own router (tests, embedding).
func (s *Service) Handler() http.Handler {
	r := chi.NewRouter()
	s.Mount(r)
	r.NotFound(func(w http.ResponseWriter, r *http.Request) {
		httpx.WriteProblem(w, r, httpx.NotFound("no resource at "+r.URL.Path))
	})
	return r
}

type format int

const (
	formatJSON format = iota
	formatHTML
)

// The representations of every resource: JSON (GeoJSON, OpenAPI, JSON
// Schema as fits) and HTML.
var (
	offerJSON = httpx.Format{Name: "json", Types: httpx.FormatJSON.Types, Aliases: []string{"geojson"}}
	offerHTML = httpx.FormatHTML
)

// docParams are the parameters of the documents other than items: the
// format and the language of the HTML pages.
var docParams = httpx.Params{Once: []string{"f", "lang"}}

// request reads the query of a request strictly (against params) and
// picks the format: ?f= wins, then Accept, then JSON.
func (s *Service) request(r *http.Request, params httpx.Params) (url.Values, format, error) {
	q, err := params.Parse(r)
	if err != nil {
		return nil, formatJSON, err
	}
	f, err := httpx.Negotiate(r, q.Get("f"), offerJSON, offerHTML)
	if err != nil {
		return nil, formatJSON, err
	}
	if _, _, err := s.language(r, q); err != nil {
		return nil, formatJSON, err
	}
	if f.Name == offerHTML.Name {
		return q, formatHTML, nil
	}
	return q, formatJSON, nil
}

// collectionRequest reads a request on one collection: its query (against
// params), its format and the collection's layer.
func (s *Service) collectionRequest(r *http.Request, params httpx.Params) (url.Values, format, layers.Layer, error) {
	q, f, err := s.request(r, params)
	if err != nil {
		return nil, f, layers.Layer{}, err
	}
	l, err := s.layerOf(r)
	return q, f, l, err
}

// layerOf finds the collection named by the path, or a 404 naming it.
func (s *Service) layerOf(r *http.Request) (layers.Layer, error) {
	id := httpx.PathValue(r, "collectionId")
	l, ok := s.collection(r.Context(), id)
	if !ok {
		return l, httpx.NotFoundParameter("collectionId", "no collection "+quoteList([]string{id})+"; see /collections")
	}
	return l, nil
}

// base is the prefix of the links of a response.
func (s *Service) base(r *http.Request) string { return httpx.BaseURL(r, s.opt.PublicURL) }

// writeJSON sends a JSON document with its ETag.
func writeJSON(w http.ResponseWriter, r *http.Request, contentType string, v any) error {
	return httpx.JSON(w, r, http.StatusOK, contentType, v)
}

// marshal encodes JSON without escaping <, > and & and without the
// encoder's trailing newline (the pieces are spliced into documents).
func marshal(v any) ([]byte, error) {
	b, err := httpx.Marshal(v)
	return trimNewline(b), err
}

func trimNewline(b []byte) []byte {
	if n := len(b); n > 0 && b[n-1] == '\n' {
		return b[:n-1]
	}
	return b
}
