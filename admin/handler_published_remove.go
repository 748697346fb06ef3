package admin

import (
	"net/http"

	"github.com/sit-gis/sit/internal/httpx"
)

// HandlePublishedRemove serves DELETE /admin/published/{source}
// (administrators of the instance, with --allow-uploads): unpublishes and
// drops the change triggers, as `sit publish --remove`; the grants stay.
func (s *Service) HandlePublishedRemove(w http.ResponseWriter, r *http.Request) error {
	doc, err := s.unpublish(r)
	if err := s.audit(r, "published.remove", doc.Source, err, nil); err != nil {
		return err
	}
	return s.write(w, r, http.StatusOK, doc)
}

func (s *Service) unpublish(r *http.Request) (publishReportDoc, error) {
	doc := publishReportDoc{Source: httpx.PathValue(r, "source")}
	if _, err := noParams.Parse(r); err != nil {
		return doc, err
	}
	if err := requireInstanceAdmin(scopeFrom(r.Context())); err != nil {
		return doc, err
	}
	if err := s.writesData(); err != nil {
		return doc, err
	}
	schema, rel := splitSource(doc.Source)
	rep, err := s.opt.Layers.Unpublish(r.Context(), schema, rel)
	if err != nil {
		return doc, err
	}
	return toReportDoc(doc.Source, rep), s.opt.Catalog.Refresh(r.Context())
}
