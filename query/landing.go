package query

// Landing is the landing page document.
type Landing struct {
	Title       string `json:"title"`
	Description string `json:"description"`
	Links       []Link `json:"links"`
}

// landing builds the landing page for links rooted at base.
func (s *Service) landing(base string, f format) Landing {
	self, alt := Link{Href: base + "/?f=json", Rel: "self", Type: mtJSON, Title: "this document"},
		Link{Href: base + "/?f=html", Rel: "alternate", Type: mtHTML, Title: "this document as HTML"}
	if f == formatHTML {
		self.Rel, alt.Rel = "alternate", "self"
	}
	links := []Link{self, alt,
		{Href: base + "/api", Rel: "service-desc", Type: mtOpenAPI, Title: "the API definition (OpenAPI 3.0)"},
		{Href: base + "/api.html", Rel: "service-doc", Type: mtHTML, Title: "the API documentation"},
		{Href: base + "/conformance", Rel: "conformance", Type: mtJSON, Title: "conformance classes implemented"},
		{Href: base + "/conformance", Rel: "http://www.opengis.net/def/rel/ogc/1.0/conformance", Type: mtJSON, Title: "conformance classes implemented"},
		{Href: base + "/collections", Rel: "data", Type: mtJSON, Title: "the collections (one per layer)"},
		{Href: base + "/collections", Rel: "http://www.opengis.net/def/rel/ogc/1.0/data", Type: mtJSON, Title: "the collections (one per layer)"},
	}
	for _, l := range s.opt.LandingLinks {
		l.Href = base + l.Href
		links = append(links, l)
	}
	return Landing{Title: s.opt.Title, Description: s.opt.Description, Links: links}
}
