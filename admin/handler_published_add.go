package admin

import (
	"net/http"

	"github.com/sit-gis/sit/internal/httpx"
	"github.com/sit-gis/sit/layers"
)

// publishBody is the body of POST /admin/published: what `sit publish`
// takes on its command line.
type publishBody struct {
	Source     string   `json:"source"`
	Key        string   `json:"key"`
	Geometry   string   `json:"geometry"`
	Visibility string   `json:"visibility"`
	Kind       string   `json:"kind"`
	Roles      []string `json:"roles"`
	NoTrack    bool     `json:"noTrack"`
	Mercator   bool     `json:"mercator"`
	NoTileCopy bool     `json:"noTileCopy"`
}

// HandlePublishedAdd serves POST /admin/published (administrators of the
// instance, with --allow-uploads): publishes a schema or relation as `sit
// publish` does, or changes how one is published; 200 with what was done
// and the statements left to the relations' owner.
func (s *Service) HandlePublishedAdd(w http.ResponseWriter, r *http.Request) error {
	doc, err := s.publish(r)
	if err := s.audit(r, "published.add", doc.Source, err, map[string]any{"tracked": len(doc.Tracked), "pending": len(doc.Pending)}); err != nil {
		return err
	}
	return s.write(w, r, http.StatusOK, doc)
}

func (s *Service) publish(r *http.Request) (publishReportDoc, error) {
	if _, err := noParams.Parse(r); err != nil {
		return publishReportDoc{}, err
	}
	if err := requireInstanceAdmin(scopeFrom(r.Context())); err != nil {
		return publishReportDoc{}, err
	}
	var b publishBody
	if err := readJSON(r, &b); err != nil {
		return publishReportDoc{}, err
	}
	doc := publishReportDoc{Source: b.Source}
	if b.Source == "" {
		return doc, httpx.BadParameter("source", "name a schema or relation: SCHEMA or SCHEMA.RELATION")
	}
	schema, rel := splitSource(b.Source)
	spec, err := layers.PublishSpec{Schema: schema, Relation: rel, Key: b.Key, Geometry: b.Geometry, Visibility: layers.Visibility(b.Visibility),
		Kind: layers.Kind(b.Kind), Roles: b.Roles, NoTrack: b.NoTrack, Mercator: b.Mercator,
		NoTileCopy: b.NoTileCopy, By: layers.ByAPI}.Normal()
	if err != nil {
		return doc, publishProblem(err)
	}
	if err := s.writesData(); err != nil {
		return doc, err
	}
	rep, err := s.opt.Layers.Publish(r.Context(), spec)
	if err != nil {
		return doc, publishProblem(err)
	}
	return toReportDoc(b.Source, rep), s.opt.Catalog.Refresh(r.Context())
}
