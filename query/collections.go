package query

import "context"

// CollectionsDoc is the /collections document.
type CollectionsDoc struct {
	Links       []Link          `json:"links"`
	Collections []CollectionDoc `json:"collections"`
	CRS         []string        `json:"crs"`
}

func (s *Service) collections(ctx context.Context, base string, f format) CollectionsDoc {
	self, alt := Link{Href: base + "/collections?f=json", Rel: "self", Type: mtJSON, Title: "this document"},
		Link{Href: base + "/collections?f=html", Rel: "alternate", Type: mtHTML, Title: "this document as HTML"}
	if f == formatHTML {
		self.Rel, alt.Rel = "alternate", "self"
	}
	doc := CollectionsDoc{Links: []Link{self, alt}, Collections: []CollectionDoc{}, CRS: CRSURIs()}
	for _, l := range s.cat.Layers(ctx) {
		doc.Collections = append(doc.Collections, s.collectionDoc(base, l, formatJSON))
	}
	return doc
}
