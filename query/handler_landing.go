package query

import "net/http"

// handleLanding serves / : the landing page (JSON or HTML).
func (s *Service) handleLanding(w http.ResponseWriter, r *http.Request) error {
	_, f, err := s.request(r, docParams)
	if err != nil {
		return err
	}
	doc := s.landing(s.base(r), f)
	if f == formatHTML {
		page := landingPage{Doc: doc, Collections: collectionRows(s.cat.Layers(r.Context()))}
		if doc.Description != defaultDescription {
			page.Description = doc.Description
		}
		if s.opt.Viewer != "" {
			page.MapHref = s.base(r) + s.opt.Viewer
		}
		page.Links = landingLinks(doc, page.MapHref)
		p := htmlPage{Title: doc.Title, Data: page}
		if doc.Title == defaultTitle {
			p.Title, p.TitleKey = "", "landing.title"
		}
		return s.renderHTML(w, r, "landing", p)
	}
	return writeJSON(w, r, mtJSON, doc)
}
