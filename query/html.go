package query

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"html/template"

	"net/http"
	"net/url"

	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/sit-gis/sit/internal/httpx"
	"github.com/sit-gis/sit/internal/l10n"
	"github.com/sit-gis/sit/layers"
)

//go:embed templates/pages.html templates/texts.json
var templateFiles embed.FS

// htmlPageNames are the page templates, each wrapped in the layout.
var htmlPageNames = []string{"landing", "conformance", "collections", "collection", "queryables", "items", "item", "api"}

func parseTemplates() (map[string]*template.Template, error) {
	root, err := template.ParseFS(templateFiles, "templates/pages.html")
	if err != nil {
		return nil, err
	}
	out := map[string]*template.Template{}
	for _, name := range htmlPageNames {
		t, err := root.Clone()
		if err != nil {
			return nil, err
		}
		if _, err := t.New("content").Parse(`{{template "` + name + `" .}}`); err != nil {
			return nil, err
		}
		out[name] = t
	}
	return out, nil
}

// htmlPage is the data of every page. Pages speak Italian or English
// (?lang=, else Accept-Language, else Italian); the words come from
// pageTexts, the numbers and dates from l10n.
type htmlPage struct {
	// Title is the page's title; TitleKey, when set, a text put before it.
	Title    string
	TitleKey string
	Base     string
	Lang     l10n.Lang
	// Other is the other language; OtherHref this page in it.
	Other     l10n.Lang
	OtherHref string
	// MapScript draws the pages' maps over the base map ("" for none),
	// with the viewer's configuration (its base map).
	MapScript, ConfigURL string
	Data                 any
	texts                l10n.Texts
	explicit             bool // the language came from ?lang=: links keep it
}

// T is the page's text for key.
func (p htmlPage) T(key string) string { return p.texts.Text(p.Lang, key) }

// Tf is T with arguments.
func (p htmlPage) Tf(key string, args ...any) string { return p.texts.Textf(p.Lang, key, args...) }

// Href keeps the language chosen with ?lang= in a link of the pages.
func (p htmlPage) Href(u string) string {
	if !p.explicit {
		return u
	}
	path, raw, _ := strings.Cut(u, "?")
	q, err := url.ParseQuery(raw)
	if err != nil {
		return u
	}
	q.Set("lang", string(p.Lang))
	return path + "?" + q.Encode()
}

// Int writes a count for people.
func (p htmlPage) Int(v int64) string { return p.Lang.Int(v) }

// language is the language of a page: ?lang= (explicit), else the
// Accept-Language header, else Italian. A lang the pages do not speak is a
// 400 naming lang, whatever the format asked for.
func (s *Service) language(r *http.Request, q url.Values) (l10n.Lang, bool, error) {
	v := q.Get("lang")
	got, err := httpx.Language(r, "lang", v, l10n.Codes()...)
	lang, _ := l10n.Parse(got)
	return lang, v != "", err
}

// renderHTML renders a page into memory (pages are small) and sends it.
func (s *Service) renderHTML(w http.ResponseWriter, r *http.Request, name string, p htmlPage) error {
	q, err := httpx.ParseQuery(r.URL.RawQuery)
	if err == nil {
		p.Lang, p.explicit, err = s.language(r, q)
	}
	if err != nil {
		// The handlers checked the query before: not reached.
		return err
	}
	p.Base, p.texts = s.base(r), s.texts
	if p.TitleKey != "" {
		p.Title = strings.TrimSuffix(p.T(p.TitleKey)+" — "+p.Title, " — ")
	}
	p.Other = l10n.En
	if p.Lang == l10n.En {
		p.Other = l10n.It
	}
	q.Set("lang", string(p.Other))
	p.OtherHref = "?" + q.Encode()
	if s.opt.Viewer != "" {
		p.MapScript, p.ConfigURL = p.Base+s.opt.Viewer+"page-map.js", p.Base+s.opt.Viewer+"config.json"
	}
	t := s.pages[name]
	var buf bytes.Buffer
	if t == nil {
		return fmt.Errorf("no HTML template %q", name)
	}
	if err := t.ExecuteTemplate(&buf, "layout", p); err != nil {
		return fmt.Errorf("render HTML page %s: %w", name, err)
	}
	w.Header().Add("Vary", "Accept-Language")
	httpx.Send(w, r, http.StatusOK, "text/html; charset=utf-8", buf.Bytes())
	return nil
}

// rawFeature is a feature as PostgreSQL built it.
type rawFeature struct {
	ID         json.RawMessage            `json:"id"`
	Geometry   json.RawMessage            `json:"geometry"`
	Properties map[string]json.RawMessage `json:"properties"`
}

// display turns a JSON value into table text.
func display(v json.RawMessage) string {
	if len(v) == 0 || string(v) == "null" {
		return ""
	}
	var s string
	if v[0] == '"' && json.Unmarshal(v, &s) == nil {
		return s
	}
	return string(v)
}

func parseRawFeature(data []byte) (rawFeature, orb.Geometry, error) {
	var f rawFeature
	if err := json.Unmarshal(data, &f); err != nil {
		return f, nil, err
	}
	var g orb.Geometry
	if len(f.Geometry) > 0 && string(f.Geometry) != "null" {
		gg, err := geojson.UnmarshalGeometry(f.Geometry)
		if err != nil {
			return f, nil, err
		}
		g = gg.Geometry()
	}
	return f, g, nil
}

type itemsPage struct {
	Title          string
	CollectionHref string
	Returned       int64
	Matched        int64
	JSONHref       string
	Next           string
	Prev           string
	Map            *svgMap
	Columns        []string
	Rows           []itemsRow
	Synthetic      bool
}

type itemsRow struct {
	ID     string
	Href   string
	Title  string
	Values []string
}

// itemsHTML renders a page of features as a table and a map. It reads the
// same query as the GeoJSON stream, in CRS84, then renders in memory.
// release is called when the database work is over, before the page is sent.
func (s *Service) itemsHTML(w http.ResponseWriter, r *http.Request, q ItemsRequest, base, path string, query url.Values, release func()) error {
	q.CRS = CRS84
	q.SkipGeometry = false
	lang, _, _ := s.language(r, query) // checked with the query
	texts := s.texts
	props := selectedProps(q)
	coll := base + "/collections/" + escapePath(q.Layer.Name)
	p := itemsPage{Title: layerTitle(q.Layer), CollectionHref: coll + "?f=html", Matched: -1, Synthetic: q.Layer.Synthetic}
	for _, pr := range props {
		p.Columns = append(p.Columns, pr.Name)
	}
	var feats []mapFeature
	pg, err := s.runPage(r.Context(), q, func(fid, feature []byte) error {
		f, g, err := parseRawFeature(feature)
		if err != nil {
			return fmt.Errorf("feature %s: %w", fid, err)
		}
		id := string(fid)
		href := coll + "/items/" + escapePath(id) + "?f=html"
		row := itemsRow{ID: id, Href: href, Title: featureTitle(q.Layer, f.Properties, id)}
		for _, pr := range props {
			row.Values = append(row.Values, valueText(texts, lang, pr, f.Properties[pr.Name]))
		}
		p.Rows = append(p.Rows, row)
		feats = append(feats, mapFeature{href: href, label: row.Title, geom: g})
		return nil
	})
	if err == nil {
		p.Matched, _, err = s.matched(r.Context(), q, pg)
	}
	release()
	if err != nil {
		return err
	}
	p.Returned = int64(pg.Returned)
	for _, l := range s.pageLinks(base, path, query, q, pg, formatHTML) {
		switch l.Rel {
		case "next":
			p.Next = l.Href
		case "prev":
			p.Prev = l.Href
		case "alternate":
			p.JSONHref = l.Href
		}
	}
	if p.Map = buildMap(lang, feats); p.Map != nil {
		p.Map.Features = p.JSONHref
	}
	return s.renderHTML(w, r, "items", htmlPage{Title: p.Title, Data: p})
}

// layerTitle is a layer's title, its name when it has none.
func layerTitle(l layers.Layer) string {
	if l.Title != "" {
		return l.Title
	}
	return l.Name
}

// itemPage is a feature's page: its title, where to go from it, a map and
// its properties.
type itemPage struct {
	Title           string
	Collection      string
	CollectionTitle string
	JSONHref        string
	// ReportHref is the zoning report of a parcel of the cadastre (HTML;
	// ReportPDF the same as PDF); ViewerHref the viewer at the feature.
	ReportHref, ReportPDF string
	ViewerHref            string
	Map                   *svgMap
	Rows                  []propRow
	Synthetic             bool
}

type propRow struct {
	Name, Title, Value string
}

func (s *Service) itemHTML(w http.ResponseWriter, r *http.Request, l layers.Layer, fid string, feature []byte, coll string) error {
	f, g, err := parseRawFeature(feature)
	if err != nil {
		return fmt.Errorf("parse feature %s of %s: %w", fid, l.Name, err)
	}
	q, _ := httpx.ParseQuery(r.URL.RawQuery) // checked by the handler
	lang, _, _ := s.language(r, q)
	texts, base := s.texts, s.base(r)
	p := itemPage{Title: featureTitle(l, f.Properties, fid), Collection: coll, CollectionTitle: layerTitle(l),
		JSONHref: coll + "/items/" + escapePath(fid) + "?f=json", Synthetic: l.Synthetic}
	for _, pr := range l.Properties {
		p.Rows = append(p.Rows, propRow{Name: pr.Name, Title: pr.Title, Value: valueText(texts, lang, pr, f.Properties[pr.Name])})
	}
	ref := s.parcelRef(r.Context(), l, f.Properties)
	if ref != "" && s.opt.ReportPath != "" {
		v := url.Values{"parcel": {ref}}
		p.ReportHref = base + s.opt.ReportPath + "?" + v.Encode() + "&f=html"
		p.ReportPDF = base + s.opt.ReportPath + "?" + v.Encode() + "&f=pdf"
	}
	if h := viewerHash(ref, g); h != "" && s.opt.Viewer != "" {
		p.ViewerHref = base + s.opt.Viewer + h
	}
	if p.Map = buildMap(lang, []mapFeature{{href: p.JSONHref, label: p.Title, geom: g}}); p.Map != nil {
		p.Map.Features = p.JSONHref
	}
	return s.renderHTML(w, r, "item", htmlPage{Title: p.Title, Data: p})
}
