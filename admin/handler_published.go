package admin

import (
	"net/http"
	"time"

	"github.com/sit-gis/sit/layers"
)

// publishedDoc is GET /admin/published: what sit.published declares, the
// layers it gives (tracked or not, with notes) and what is in a published
// scope but not served, with what would serve it.
type publishedDoc struct {
	Sources   []publishedSourceDoc `json:"sources"`
	Layers    []publishedLayerDoc  `json:"layers"`
	NotServed []string             `json:"notServed"`
}

type publishedSourceDoc struct {
	Source     string   `json:"source"`
	Key        string   `json:"key,omitempty"`
	Geometry   string   `json:"geometry,omitempty"`
	Visibility string   `json:"visibility"`
	Kind       string   `json:"kind"`
	Roles      []string `json:"roles"`
	// DeclaredBy: cli, api, config or "" (before SIT recorded it).
	DeclaredBy string `json:"declaredBy"`
}

type publishedLayerDoc struct {
	Name       string   `json:"name"`
	Origin     string   `json:"origin"`
	Geometry   string   `json:"geometry,omitempty"`
	SRID       int      `json:"srid"`
	Key        string   `json:"key,omitempty"`
	Tracked    bool     `json:"tracked"`
	Version    int64    `json:"version"`
	Visibility string   `json:"visibility"`
	Notes      []string `json:"notes"`
}

// HandlePublished serves GET /admin/published (administrators of the
// instance), read as the reader role sees the database.
func (s *Service) HandlePublished(w http.ResponseWriter, r *http.Request) error {
	doc, err := s.published(r)
	if err != nil {
		return err
	}
	return s.write(w, r, http.StatusOK, doc)
}

func (s *Service) published(r *http.Request) (publishedDoc, error) {
	doc := publishedDoc{Sources: []publishedSourceDoc{}, Layers: []publishedLayerDoc{}, NotServed: []string{}}
	if _, err := noParams.Parse(r); err != nil {
		return doc, err
	}
	if err := requireInstanceAdmin(scopeFrom(r.Context())); err != nil {
		return doc, err
	}
	ctx, pool := r.Context(), s.opt.History.Pool()
	specs, err := layers.PublishedSpecs(ctx, pool)
	if err != nil {
		return doc, err
	}
	for _, sp := range specs {
		doc.Sources = append(doc.Sources, publishedSourceDoc{Source: sp.Source(), Key: sp.Key, Geometry: sp.Geometry,
			Visibility: string(sp.Visibility), Kind: string(sp.Kind), Roles: append([]string{}, sp.Roles...), DeclaredBy: string(sp.By)})
	}
	ls, skipped, err := layers.ListPublished(ctx, pool, time.Now())
	if err != nil {
		return doc, err
	}
	for _, l := range ls {
		doc.Layers = append(doc.Layers, publishedLayerDoc{Name: l.Name, Origin: string(l.Source.Origin), Geometry: l.GeometryColumn(),
			SRID: l.SRID(), Key: l.KeyColumn(), Tracked: l.Source.Tracked, Version: l.Version, Visibility: string(l.Visibility),
			Notes: append([]string{}, l.Source.Notes...)})
	}
	gaps, err := layers.PublishedGaps(ctx, pool)
	if err != nil {
		return doc, err
	}
	doc.NotServed = append(doc.NotServed, skipped...)
	for _, g := range gaps {
		doc.NotServed = append(doc.NotServed, g.Schema+"."+g.Relation+": "+g.Note)
	}
	return doc, nil
}
