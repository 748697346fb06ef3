package planning

import (
	"errors"
	"net/http"
	"sort"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/sit-gis/sit/internal/httpx"
)

// HandlePlan serves GET /plans/{code}[?at=DATE][&articles=true]: one
// instrument with its acts, layers and standing at the date, the versions
// of its rules (NTA) and, with articles=true, the articles in force at
// the date.
func (s *Service) HandlePlan(w http.ResponseWriter, r *http.Request) {
	q, err := planParams.Parse(r)
	if err != nil {
		httpx.WriteError(w, r, s.log, err)
		return
	}
	at, err := s.asOf(q)
	if err != nil {
		httpx.WriteError(w, r, s.log, err)
		return
	}
	withArticles := false
	switch q.Get("articles") {
	case "", "false":
	case "true":
		withArticles = true
	default:
		httpx.WriteError(w, r, s.log, httpx.BadParameter("articles", "true or false"))
		return
	}
	code := chi.URLParam(r, "code")
	p, err := s.store.Plan(r.Context(), code)
	if errors.Is(err, ErrNotFound) {
		httpx.WriteError(w, r, s.log, httpx.NotFoundParameter("code", err.Error()))
		return
	}
	if err != nil {
		httpx.WriteError(w, r, s.log, err)
		return
	}
	out, err := s.planDoc(r, p, at, withArticles)
	if err != nil {
		httpx.WriteError(w, r, s.log, err)
		return
	}
	s.writeJSON(w, r, out)
}

// planDoc is the document of one plan.
type planDoc struct {
	At time.Time `json:"at"`
	Instrument
	NTA        []NTAVersion `json:"nta_versions"`
	NTAVersion int          `json:"nta_version_at,omitempty"`
	Articles   []Article    `json:"articles,omitempty"`
}

func (s *Service) planDoc(r *http.Request, p Plan, at time.Time, withArticles bool) (planDoc, error) {
	ctx := r.Context()
	doc := planDoc{At: at.UTC(), Instrument: Instrument{Plan: p, Standing: p.StandingAt(at)}}
	vs, err := s.store.NTAVersions(ctx, p.Code)
	if err != nil {
		return doc, err
	}
	doc.NTA = append([]NTAVersion{}, vs...)
	if doc.NTAVersion, err = s.store.ntaAt(ctx, p.Code, at); err != nil {
		return doc, err
	}
	if withArticles && doc.NTAVersion > 0 {
		arts, links, err := s.store.articles(ctx, p.Code, doc.NTAVersion)
		if err != nil {
			return doc, err
		}
		zonesOf := map[string][]string{}
		for z, nums := range links {
			for _, n := range nums {
				zonesOf[n] = append(zonesOf[n], z)
			}
		}
		for i := range arts {
			arts[i].Zones = zonesOf[arts[i].Number]
			sort.Strings(arts[i].Zones)
		}
		doc.Articles = arts
	}
	return doc, nil
}
