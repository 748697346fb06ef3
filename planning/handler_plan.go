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
func (s *Service) HandlePlan(w http.ResponseWriter, r *http.Request) error {
	q, at, err := s.request(r, planParams)
	if err != nil {
		return err
	}
	withArticles := false
	switch q.Get("articles") {
	case "", "false":
	case "true":
		withArticles = true
	default:
		return httpx.BadParameter("articles", "true or false")
	}
	code := chi.URLParam(r, "code")
	p, err := s.store.Plan(r.Context(), code)
	if errors.Is(err, ErrNotFound) {
		return httpx.NotFoundParameter("code", err.Error())
	}
	if err != nil {
		return err
	}
	out, err := s.planDoc(r, p, at, withArticles)
	if err != nil {
		return err
	}
	return writeJSON(w, r, out)
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
