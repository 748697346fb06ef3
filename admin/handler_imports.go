package admin

import (
	"net/http"
	"strconv"
	"time"

	"github.com/sit-gis/sit/internal/httpx"
	"github.com/sit-gis/sit/layers"
)

var importsParams = httpx.Params{Once: []string{"layer", "limit"}}

// importDoc is one row of the import history.
type importDoc struct {
	ID       int64      `json:"id"`
	Layer    string     `json:"layer"`
	Source   string     `json:"source"`
	Format   string     `json:"format"`
	Status   string     `json:"status"`
	Phase    string     `json:"phase"`
	Started  time.Time  `json:"started"`
	Finished *time.Time `json:"finished"`
	Read     int64      `json:"read"`
	Loaded   int64      `json:"loaded"`
	Rejected int64      `json:"rejected"`
	Repaired int64      `json:"repaired"`
	Version  *int64     `json:"version"`
	Message  string     `json:"message"`
}

// HandleImports serves GET /admin/imports[?layer=NAME][&limit=N]: the
// import history of the scope's layers (CLI and uploads alike), newest first.
func (s *Service) HandleImports(w http.ResponseWriter, r *http.Request) error {
	q, err := importsParams.Parse(r)
	if err != nil {
		return err
	}
	limit := 50
	if v := q.Get("limit"); v != "" {
		if limit, err = strconv.Atoi(v); err != nil || limit < 1 || limit > 500 {
			return httpx.BadParameter("limit", "an integer from 1 to 500")
		}
	}
	sc := scopeFrom(r.Context())
	var names []string
	if layer := q.Get("layer"); layer != "" {
		l, ok := s.opt.Catalog.Layer(layer)
		if !ok || !sc.sees(l) {
			return httpx.NotFoundParameter("layer", "no layer "+strconv.Quote(layer))
		}
		names = []string{layer}
	} else if !sc.all {
		names = []string{}
		for _, l := range s.opt.Catalog.Layers() {
			if sc.sees(l) {
				names = append(names, l.Name)
			}
		}
	}
	recs, err := s.opt.History.ImportsOf(r.Context(), names, limit)
	if err != nil {
		return err
	}
	out := make([]importDoc, 0, len(recs))
	for _, x := range recs {
		out = append(out, toImportDoc(x))
	}
	return s.write(w, r, http.StatusOK, map[string]any{"imports": out})
}

func toImportDoc(x layers.ImportRecord) importDoc {
	return importDoc{ID: x.ID, Layer: x.Layer, Source: x.SourceName, Format: x.Format, Status: x.Status, Phase: x.Phase, Started: x.StartedAt,
		Finished: x.FinishedAt, Read: x.Read, Loaded: x.Loaded, Rejected: x.Rejected, Repaired: x.Repaired, Version: x.Version, Message: x.Message}
}
