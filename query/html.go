package query

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"html/template"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/sit-gis/sit/internal/httpx"
	"github.com/sit-gis/sit/layers"
)

//go:embed templates/pages.html
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

// htmlPage is the data of every page: Base roots the links.
type htmlPage struct {
	Title string
	Base  string
	Data  any
}

// renderHTML renders a page into memory (pages are small) and sends it.
func (s *Service) renderHTML(w http.ResponseWriter, r *http.Request, name string, p htmlPage) {
	p.Base = s.base(r)
	t := s.pages[name]
	var buf bytes.Buffer
	if t == nil {
		s.log.Error("no HTML template", "name", name)
		httpx.WriteProblem(w, r, httpx.New(http.StatusInternalServerError, "internal error"))
		return
	}
	if err := t.ExecuteTemplate(&buf, "layout", p); err != nil {
		s.log.Error("render HTML", "page", name, "err", err)
		httpx.WriteProblem(w, r, httpx.New(http.StatusInternalServerError, "internal error"))
		return
	}
	httpx.Send(w, r, http.StatusOK, "text/html; charset=utf-8", buf.Bytes())
}

// svgMap is an inline SVG rendering of features: no script, no tiles, no
// CDN; enough to see where the features are and to click one.
type svgMap struct {
	W, H   int
	Lines  bool
	Shapes []svgShape
}

type svgShape struct {
	Href   string
	Label  string
	Paths  []string
	Points [][2]string
}

// mercator projects lon/lat to spherical Mercator (in degrees-like units,
// enough for a picture).
func mercator(p orb.Point) orb.Point {
	lat := math.Max(-85, math.Min(85, p[1]))
	return orb.Point{p[0], 180 / math.Pi * math.Log(math.Tan(math.Pi/4+lat*math.Pi/360))}
}

type mapFeature struct {
	href, label string
	geom        orb.Geometry
}

// mapBound is the Mercator bound of the features, and whether any is a line.
func mapBound(feats []mapFeature) (bound orb.Bound, lines, ok bool) {
	for _, f := range feats {
		if f.geom == nil {
			continue
		}
		switch f.geom.(type) {
		case orb.LineString, orb.MultiLineString:
			lines = true
		}
		b := f.geom.Bound()
		b = orb.Bound{Min: mercator(b.Min), Max: mercator(b.Max)}
		if !ok {
			bound, ok = b, true
		} else {
			bound = bound.Union(b)
		}
	}
	return bound, lines, ok
}

// svgProjection maps lon/lat to the picture's pixels.
type svgProjection struct {
	min   orb.Point
	scale float64
	h     float64
}

func (p svgProjection) px(pt orb.Point) (string, string) {
	m := mercator(pt)
	num := func(f float64) string { return strconv.FormatFloat(f, 'f', 1, 64) }
	return num(10 + (m[0]-p.min[0])*p.scale), num(p.h - 10 - (m[1]-p.min[1])*p.scale)
}

// path is an SVG path through the points.
func (p svgProjection) path(pts []orb.Point, closed bool) string {
	var b strings.Builder
	for i, pt := range pts {
		x, y := p.px(pt)
		if i == 0 {
			b.WriteString("M")
		} else {
			b.WriteString("L")
		}
		b.WriteString(x + " " + y)
	}
	if closed {
		b.WriteString("Z")
	}
	return b.String()
}

// add draws a geometry into the shape.
func (p svgProjection) add(sh *svgShape, g orb.Geometry) {
	switch x := g.(type) {
	case orb.Point:
		cx, cy := p.px(x)
		sh.Points = append(sh.Points, [2]string{cx, cy})
	case orb.MultiPoint:
		for _, pt := range x {
			p.add(sh, pt)
		}
	case orb.LineString:
		sh.Paths = append(sh.Paths, p.path(x, false))
	case orb.MultiLineString:
		for _, l := range x {
			p.add(sh, l)
		}
	case orb.Polygon:
		var d strings.Builder
		for _, r := range x {
			d.WriteString(p.path(r, true))
		}
		sh.Paths = append(sh.Paths, d.String())
	case orb.MultiPolygon:
		for _, pg := range x {
			p.add(sh, pg)
		}
	case orb.Collection:
		for _, c := range x {
			p.add(sh, c)
		}
	}
}

func buildMap(feats []mapFeature) *svgMap {
	bound, lines, ok := mapBound(feats)
	if !ok {
		return nil
	}
	const width, maxH = 720.0, 420.0
	dx, dy := bound.Max[0]-bound.Min[0], bound.Max[1]-bound.Min[1]
	if dx == 0 && dy == 0 {
		dx, dy = 0.001, 0.001
		bound.Min = orb.Point{bound.Min[0] - dx/2, bound.Min[1] - dy/2}
	}
	scale := math.Min((width-20)/math.Max(dx, 1e-12), (maxH-20)/math.Max(dy, 1e-12))
	h := math.Max(120, math.Min(maxH, dy*scale+20))
	proj := svgProjection{min: bound.Min, scale: scale, h: h}
	m := &svgMap{W: int(width), H: int(h), Lines: lines}
	for _, f := range feats {
		if f.geom == nil {
			continue
		}
		sh := svgShape{Href: f.href, Label: f.label}
		proj.add(&sh, f.geom)
		m.Shapes = append(m.Shapes, sh)
	}
	return m
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
	Title    string
	Returned int
	Matched  int64
	JSONHref string
	Next     string
	Prev     string
	Map      *svgMap
	Columns  []string
	Rows     []itemsRow
}

type itemsRow struct {
	ID     string
	Href   string
	Values []string
}

// itemsHTML renders a page of features as a table and a map. It reads the
// same query as the GeoJSON stream, in CRS84, then renders in memory.
// release is called when the database work is over, before the page is sent.
func (s *Service) itemsHTML(w http.ResponseWriter, r *http.Request, q ItemsRequest, base, path string, query url.Values, release func()) {
	q.CRS = CRS84
	q.SkipGeometry = false
	props := selectedProps(q)
	p := itemsPage{Title: q.Layer.Title, Matched: -1}
	for _, pr := range props {
		p.Columns = append(p.Columns, pr.Name)
	}
	coll := base + "/collections/" + escapePath(q.Layer.Name)
	var feats []mapFeature
	pg, err := s.runPage(r.Context(), q, func(fid, feature []byte) error {
		f, g, err := parseRawFeature(feature)
		if err != nil {
			return fmt.Errorf("feature %s: %w", fid, err)
		}
		id := string(fid)
		href := coll + "/items/" + escapePath(id) + "?f=html"
		row := itemsRow{ID: id, Href: href}
		for _, pr := range props {
			row.Values = append(row.Values, display(f.Properties[pr.Name]))
		}
		p.Rows = append(p.Rows, row)
		feats = append(feats, mapFeature{href: href, label: q.Layer.Title + " " + id, geom: g})
		return nil
	})
	if err == nil {
		p.Matched, _, err = s.matched(r.Context(), q, pg)
	}
	release()
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	p.Returned = pg.Returned
	p.Map = buildMap(feats)
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
	s.renderHTML(w, r, "items", htmlPage{Title: q.Layer.Title, Data: p})
}

type itemPage struct {
	Title           string
	Collection      string
	CollectionTitle string
	JSONHref        string
	Map             *svgMap
	Columns         []string
	Values          []string
}

func (s *Service) itemHTML(w http.ResponseWriter, r *http.Request, l layers.Layer, fid string, feature []byte, coll string) {
	f, g, err := parseRawFeature(feature)
	if err != nil {
		s.log.Error("parse feature", "layer", l.Name, "fid", fid, "err", err)
		httpx.WriteProblem(w, r, httpx.New(http.StatusInternalServerError, "internal error"))
		return
	}
	p := itemPage{Title: l.Title + " " + fid, Collection: coll, CollectionTitle: l.Title,
		JSONHref: coll + "/items/" + escapePath(fid) + "?f=json"}
	for _, pr := range l.Properties {
		p.Columns = append(p.Columns, pr.Name)
		p.Values = append(p.Values, display(f.Properties[pr.Name]))
	}
	p.Map = buildMap([]mapFeature{{href: p.JSONHref, label: p.Title, geom: g}})
	s.renderHTML(w, r, "item", htmlPage{Title: p.Title, Data: p})
}
