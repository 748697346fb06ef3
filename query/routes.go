package query

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/sit-gis/sit/internal/problem"
)

// Routes mounts the OGC API Features endpoints. The path parameter names
// (collectionId, featureId) are those of the OGC OpenAPI fragments.
func (s *Service) Routes(r chi.Router) {
	r.Get("/", s.handleLanding)
	r.Get("/conformance", s.handleConformance)
	r.Get("/api", s.handleAPI)
	r.Get("/api.html", s.handleAPIHTML)
	r.Get("/collections", s.handleCollections)
	r.Get("/collections/{collectionId}", s.handleCollection)
	r.Get("/collections/{collectionId}/items", s.handleItems)
	r.Get("/collections/{collectionId}/items/{featureId}", s.handleItem)
	r.Get("/collections/{collectionId}/queryables", s.handleQueryables)
}

// Handler returns the endpoints on their own router (tests, embedding).
func (s *Service) Handler() http.Handler {
	r := chi.NewRouter()
	s.Routes(r)
	r.NotFound(func(w http.ResponseWriter, r *http.Request) {
		problem.Write(w, r, problem.NotFound("no resource at "+r.URL.Path))
	})
	return r
}

// format reads ?f= and Accept; a bad f is answered with a problem.
func (s *Service) format(w http.ResponseWriter, r *http.Request) (format, bool) {
	f, p := negotiate(r)
	if p != nil {
		problem.Write(w, r, p)
		return f, false
	}
	return f, true
}

// layerOr404 finds the collection or answers 404.
func (s *Service) layerOr404(w http.ResponseWriter, r *http.Request) (string, bool) {
	id := chi.URLParam(r, "collectionId")
	if _, ok := s.collection(id); !ok {
		problem.Write(w, r, &problem.Problem{Title: "Not Found", Status: http.StatusNotFound,
			Detail: "no collection " + quoteList([]string{id}) + "; see /collections", Parameter: "collectionId"})
		return id, false
	}
	return id, true
}
