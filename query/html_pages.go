package query

import (
	"net/http"
	"strings"

	"github.com/paulmach/orb"

	"github.com/sit-gis/sit/internal/httpx"
	"github.com/sit-gis/sit/layers"
)

// The data of the landing and collections pages: what a person reads
// there, built from the same documents as the JSON.

// landingPage is the landing page: the map first, then the data, then the
// links for GIS software, each shown once.
type landingPage struct {
	Doc Landing
	// Description is the operator's, or "" for the page's own words.
	Description string
	Collections []collectionRow
	Links       []linkRow
	MapHref     string
}

// collectionsPage lists the collections.
type collectionsPage struct {
	Collections []collectionRow
}

// collectionRow is one collection in a list.
type collectionRow struct {
	ID, Title, Description, Kind string
	Features                     int64
	Synthetic                    bool
}

// linkRow is one target of the landing page's links, with every relation
// the JSON gives it (conformance and its OGC URI lead to one page).
type linkRow struct {
	Href, Title, Type string
	Rels              []string
}

// collectionRows lists the catalog's layers for a page.
func collectionRows(ls []layers.Layer) []collectionRow {
	out := make([]collectionRow, 0, len(ls))
	for _, l := range ls {
		out = append(out, collectionRow{ID: l.Name, Title: layerTitle(l), Description: l.Description, Kind: string(l.Kind),
			Features: l.FeatureCount, Synthetic: l.Synthetic})
	}
	return out
}

// landingLinks are the links of the landing page once each by target, in
// their first order, without the page's own (self, alternate) and the
// viewer (the page leads with it).
func landingLinks(doc Landing, mapHref string) []linkRow {
	var out []linkRow
	at := map[string]int{}
	for _, l := range doc.Links {
		if l.Rel == "self" || l.Rel == "alternate" || l.Href == mapHref {
			continue
		}
		if i, ok := at[l.Href]; ok {
			out[i].Rels = append(out[i].Rels, l.Rel)
			continue
		}
		at[l.Href] = len(out)
		out = append(out, linkRow{Href: l.Href, Title: l.Title, Type: l.Type, Rels: []string{l.Rel}})
	}
	return out
}

// LinkTitle names a link in the page's language: by the last part of one
// of its relations (conformance, data, tilesets-vector…), else its title.
func (p htmlPage) LinkTitle(l linkRow) string {
	for _, rel := range l.Rels {
		key := "link." + rel[strings.LastIndex(rel, "/")+1:]
		if _, ok := p.texts[key]; ok {
			return p.T(key)
		}
	}
	return l.Title
}

// collectionPage is a collection's page: its document with the extents
// written for people and a link to the viewer framed on it.
func (s *Service) collectionPage(r *http.Request, l layers.Layer, doc CollectionDoc) collectionPage {
	q, _ := httpx.ParseQuery(r.URL.RawQuery) // checked by the handler
	lang, _, _ := s.language(r, q)
	p := collectionPage{Doc: doc, Queryables: s.queryables(s.base(r), l), Synthetic: l.Synthetic, Features: l.FeatureCount}
	if e := l.Extent; e != nil {
		d := func(v float64) string { return lang.Decimal(v, 4) }
		p.Extent = d(e[0]) + " " + d(e[1]) + " — " + d(e[2]) + " " + d(e[3])
		if s.opt.Viewer != "" {
			box := orb.Bound{Min: orb.Point{e[0], e[1]}, Max: orb.Point{e[2], e[3]}}
			p.MapHref = s.base(r) + s.opt.Viewer + viewerHash("", box)
		}
	}
	if t := l.TemporalExtent; t != nil {
		p.Time = lang.CalendarDate(t[0].UTC()) + " — " + lang.CalendarDate(t[1].UTC())
	}
	return p
}
