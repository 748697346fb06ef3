package catasto

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/paulmach/orb"

	"github.com/sit-gis/sit/crs"
	"github.com/sit-gis/sit/importers"
	"github.com/sit-gis/sit/importers/profile"
	"github.com/sit-gis/sit/layers"
)

// GML simple features, as served by WFS 1.1/2.0 and written by the Agenzia
// delle Entrate INSPIRE CadastralParcels download (MapServer schema:
// CP:CadastralParcel, CP:CadastralZoning with flat properties) and by GDAL.
// Each feature type is one Dataset. Properties are read as text (GML carries
// no types without its schema); nested INSPIRE objects are flattened by
// property path ("inspireId_localId"). Geometries: Point, LineString,
// LinearRing, Curve (linear segments), Polygon, Surface (polygon patches),
// MultiPoint, MultiCurve/MultiLineString, MultiSurface/MultiPolygon,
// CompositeSurface; GML 2 <coordinates> as well as GML 3 pos/posList.
//
// Axis order — the rule applied to every geometry:
//   - srsName in URN form (urn:ogc:def:crs:EPSG::6706) or OGC http URI form
//     (http://www.opengis.net/def/crs/EPSG/0/6706) follows the EPSG axis
//     order of the CRS: geographic CRSs (4326, 4258, 6706, 4265, ...) and
//     the few northing-first projected ones (3035 ETRS89-LAEA, 6875/6876)
//     are latitude/northing first, and their coordinates are swapped to
//     lon/lat (x/y) on reading;
//   - the short form "EPSG:4326", the legacy
//     "http://www.opengis.net/gml/srs/epsg.xml#4326", CRS84 and every
//     projected CRS with east first (3003, 3004, 6707, 7791, 32632, ...) are
//     x/y already and are not touched;
//   - a geometry without srsName inherits it from the enclosing geometry,
//     the feature's boundedBy, or the collection's boundedBy.
//
// The EPSG code of the first srsName is Info.SRID unless Options.SRID is set
// (which changes the SRID only, never the axis rule: the order is the one
// the file declares). A geometry whose CRS differs from the layer's is
// rejected rather than mixed in.

// isGMLNamespace tells the GML 2/3.1 and 3.2 namespaces.
func isGMLNamespace(uri string) bool {
	return uri == "http://www.opengis.net/gml" || uri == "http://www.opengis.net/gml/3.2"
}

// memberElements hold the features of a collection (WFS 2.0 wfs:member,
// GML gml:featureMember, gml:featureMembers).
func isMemberElement(local string) bool {
	return local == "member" || local == "featureMember" || local == "featureMembers"
}

// northFirst reports whether EPSG code is written latitude/northing first
// (EPSG axis order). Geographic 2D/3D CRSs have codes 4000–4999 (less the
// geocentric ones) or are listed; so are the few northing-first projected
// CRSs an Italian office meets.
func northFirst(code int) bool {
	switch code {
	case 6706, // RDN2008 geographic (Agenzia delle Entrate WFS)
		3034, 3035, // ETRS89-LCC / ETRS89-LAEA Europe (Infratel grid)
		6875, 6876: // RDN2008 / Italy zone (N-E), Zone 12 (N-E)
		return true
	case 4936, 4978: // ETRS89 and WGS 84 geocentric: x, y, z
		return false
	}
	return code >= 4000 && code < 5000
}

// gmlAxis returns the EPSG code named by srsName (0 when none) and whether
// its coordinates are written latitude/northing first.
func gmlAxis(srsName string) (code int, latFirst bool) {
	s := strings.TrimSpace(srsName)
	if s == "" {
		return 0, false
	}
	l := strings.ToLower(s)
	if i := strings.Index(l, "epsg.xml#"); i >= 0 {
		c, err := strconv.Atoi(s[i+len("epsg.xml#"):])
		if err != nil {
			return 0, false
		}
		return c, false
	}
	c, ok := crs.ParseName(s)
	if !ok {
		return 0, false
	}
	if strings.Contains(l, "crs84") || strings.HasPrefix(l, "epsg:") {
		return c, false
	}
	return c, northFirst(c)
}

// sniffGML recognises an XML document that uses the GML namespace.
func sniffGML(head []byte) bool {
	h := bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\xef\xbb\xbf")), " \t\r\n")
	return bytes.HasPrefix(h, []byte("<")) && bytes.Contains(head, []byte("http://www.opengis.net/gml"))
}

// gmlScan is what openGML learns in one quick pass over the file.
type gmlScan struct {
	types  []xml.Name // feature types in order of first appearance
	counts map[xml.Name]int64
	srs    string // first srsName seen
}

func scanGML(name string, r io.Reader) (gmlScan, error) {
	sc := gmlScan{counts: map[xml.Name]int64{}}
	dec := xml.NewDecoder(r)
	dec.Strict = true
	depth := 0
	memberDepth := -1 // depth of the open member element, -1 when none
	multi := false    // the open member is featureMembers (many features)
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			line, _ := dec.InputPos()
			return sc, fmt.Errorf("%s: line %d: malformed XML: %w", name, line, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if sc.srs == "" {
				for _, a := range t.Attr {
					if a.Name.Local == "srsName" {
						sc.srs = a.Value
					}
				}
			}
			if memberDepth >= 0 && depth == memberDepth+1 && t.Name.Local != "FeatureCollection" {
				if _, ok := sc.counts[t.Name]; !ok {
					sc.types = append(sc.types, t.Name)
				}
				sc.counts[t.Name]++
				if !multi && sc.srs != "" {
					// Skip the feature body once the CRS is known: faster.
					if err := dec.Skip(); err != nil {
						line, _ := dec.InputPos()
						return sc, fmt.Errorf("%s: line %d: malformed XML: %w", name, line, err)
					}
					depth--
				}
				continue
			}
			if isMemberElement(t.Name.Local) {
				memberDepth = depth
				multi = t.Name.Local == "featureMembers"
			}
		case xml.EndElement:
			if depth == memberDepth {
				memberDepth = -1
			}
			depth--
		}
	}
	if len(sc.types) == 0 {
		return sc, fmt.Errorf("%s: no features found (want a GML FeatureCollection with wfs:member or gml:featureMember elements)", name)
	}
	return sc, nil
}

// gmlDatasetSuffix names the dataset of a feature type when a file holds several.
func gmlDatasetSuffix(t xml.Name) string {
	switch t.Local {
	case "CadastralParcel":
		return "particelle"
	case "CadastralZoning":
		return "fogli"
	}
	return strings.ToLower(t.Local)
}

// isCadastralType tells the INSPIRE CadastralParcels feature types, whose
// national reference is parsed into the canonical cadastral columns.
func isCadastralType(local string) bool {
	return local == "CadastralParcel" || local == "CadastralZoning"
}

func openGML(p string, opt importers.Options) (*importers.Source, error) {
	st, err := os.Stat(p)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", p, err)
	}
	f, err := os.Open(p)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", p, err)
	}
	scan, err := scanGML(p, bufio.NewReaderSize(f, 1<<20))
	f.Close()
	if err != nil {
		return nil, err
	}
	fileSRID, _ := gmlAxis(scan.srs)
	srid := fileSRID
	if opt.SRID != 0 {
		srid = opt.SRID
	}
	src := importers.NewSource(p, "gml")
	stem := strings.TrimSuffix(filepath.Base(p), filepath.Ext(p))
	for _, t := range scan.types {
		t := t
		name := stem
		if len(scan.types) > 1 {
			name = stem + "_" + gmlDatasetSuffix(t)
		}
		info := importers.Info{Name: name, SRID: srid, FileSRID: fileSRID, Count: scan.counts[t], Size: st.Size(), Kind: layers.KindCadastral}
		if isCadastralType(t.Local) {
			info.GeometryType = "MultiPolygon"
		}
		layerSRID := srid
		src.Datasets = append(src.Datasets, importers.FileDataset(src, info, func(f io.ReadCloser) (layers.FeatureReader, error) {
			return newGMLReader(p, f, bufio.NewReaderSize(f, 1<<20), t, layerSRID, opt.SRID != 0), nil
		}))
	}
	return src, nil
}

// gmlReader streams the features of one type.
type gmlReader struct {
	name     string
	closer   io.Closer
	dec      *xml.Decoder
	typ      xml.Name
	srid     int  // the layer's SRID, for the consistency check
	forced   bool // --srid given: no consistency check
	cadastre func(layers.Feature) layers.Feature

	defaultSRS  string // the collection's boundedBy srsName
	depth       int
	memberDepth int
	multi       bool
	rec         int64
	done        bool
}

func newGMLReader(name string, closer io.Closer, r io.Reader, typ xml.Name, srid int, forced bool) *gmlReader {
	dec := xml.NewDecoder(r)
	dec.Strict = true
	g := &gmlReader{name: name, closer: closer, dec: dec, typ: typ, srid: srid, forced: forced, memberDepth: -1}
	if isCadastralType(typ.Local) {
		g.cadastre = profile.Apply(layers.KindCadastral, nil)
	}
	return g
}

func (g *gmlReader) Close() error {
	if g.closer == nil {
		return nil
	}
	return g.closer.Close()
}

func (g *gmlReader) fatal(err error) error {
	line, _ := g.dec.InputPos()
	return fmt.Errorf("%s: line %d: malformed XML: %w", g.name, line, err)
}

func (g *gmlReader) Next() (layers.Feature, error) {
	if g.done {
		return layers.Feature{}, io.EOF
	}
	for {
		tok, err := g.dec.Token()
		if errors.Is(err, io.EOF) {
			g.done = true
			return layers.Feature{}, io.EOF
		}
		if err != nil {
			return layers.Feature{}, g.fatal(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			g.depth++
			if g.memberDepth >= 0 && g.depth == g.memberDepth+1 && t.Name.Local != "FeatureCollection" {
				line, _ := g.dec.InputPos()
				node, err := readXMLNode(g.dec, t, 0)
				g.depth--
				if err != nil {
					return layers.Feature{}, g.fatal(err)
				}
				if !g.wants(t.Name) {
					continue
				}
				g.rec++
				f, reason := g.feature(node)
				if reason != "" {
					return layers.Feature{}, &layers.RecordError{Record: g.rec, Reason: fmt.Sprintf("%s: line %d: %s", g.name, line, reason)}
				}
				return f, nil
			}
			if isMemberElement(t.Name.Local) {
				g.memberDepth = g.depth
				g.multi = t.Name.Local == "featureMembers"
				continue
			}
			if t.Name.Local == "boundedBy" && isGMLNamespace(t.Name.Space) {
				// The collection's envelope names the default CRS.
				node, err := readXMLNode(g.dec, t, 0)
				g.depth--
				if err != nil {
					return layers.Feature{}, g.fatal(err)
				}
				if s := findSRS(node); s != "" && g.defaultSRS == "" {
					g.defaultSRS = s
				}
			}
		case xml.EndElement:
			if g.depth == g.memberDepth {
				g.memberDepth = -1
			}
			g.depth--
		}
	}
}

// xmlNode is one element of a feature, read whole: features are small, and
// a tree makes the GML geometry grammar easy to follow.
type xmlNode struct {
	name xml.Name
	attr []xml.Attr
	kids []*xmlNode
	text []byte
}

// maxXMLDepth bounds nesting inside one feature (a feature is a handful of
// levels deep; a hostile file could nest millions).
const maxXMLDepth = 64

func readXMLNode(dec *xml.Decoder, start xml.StartElement, depth int) (*xmlNode, error) {
	if depth > maxXMLDepth {
		return nil, fmt.Errorf("elements nested more than %d deep inside a feature", maxXMLDepth)
	}
	n := &xmlNode{name: start.Name, attr: start.Attr}
	for {
		tok, err := dec.Token()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return nil, io.ErrUnexpectedEOF
			}
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			k, err := readXMLNode(dec, t, depth+1)
			if err != nil {
				return nil, err
			}
			n.kids = append(n.kids, k)
		case xml.CharData:
			n.text = append(n.text, t...)
		case xml.EndElement:
			return n, nil
		}
	}
}

func (n *xmlNode) attrValue(local string) (string, bool) {
	for _, a := range n.attr {
		if a.Name.Local == local {
			return a.Value, true
		}
	}
	return "", false
}

func (n *xmlNode) isGML(local string) bool {
	return n.name.Local == local && isGMLNamespace(n.name.Space)
}

// findSRS returns the first srsName in a subtree.
func findSRS(n *xmlNode) string {
	if s, ok := n.attrValue("srsName"); ok && s != "" {
		return s
	}
	for _, k := range n.kids {
		if s := findSRS(k); s != "" {
			return s
		}
	}
	return ""
}

func isGeometryNode(n *xmlNode) bool {
	if !isGMLNamespace(n.name.Space) {
		return false
	}
	switch n.name.Local {
	case "Point", "LineString", "LinearRing", "Curve", "Polygon", "Surface",
		"MultiPoint", "MultiCurve", "MultiLineString", "MultiSurface", "MultiPolygon",
		"CompositeSurface", "CompositeCurve", "MultiGeometry":
		return true
	}
	return false
}

// feature turns a feature element into a Feature; reason is non-empty when
// the record must be skipped.
func (g *gmlReader) feature(n *xmlNode) (layers.Feature, string) {
	f := layers.Feature{Record: g.rec, Props: map[string]any{}}
	for _, a := range n.attr {
		if (a.Name.Local == "id" && isGMLNamespace(a.Name.Space)) || a.Name.Local == "fid" {
			f.ID = a.Value
		}
	}
	srs := g.defaultSRS
	for _, k := range n.kids {
		if k.isGML("boundedBy") {
			if s := findSRS(k); s != "" {
				srs = s
			}
		}
	}
	for _, k := range n.kids {
		if k.isGML("boundedBy") {
			continue
		}
		var geomNode *xmlNode
		for _, kk := range k.kids {
			if isGeometryNode(kk) {
				geomNode = kk
				break
			}
		}
		if geomNode != nil {
			if f.Geometry != nil {
				// A second geometry property (rare): keep the first, the
				// layer has one geometry column.
				continue
			}
			geom, code, err := parseGMLGeometry(geomNode, srs, 0)
			if err != nil {
				return f, fmt.Sprintf("%s: %v", k.name.Local, err)
			}
			if code != 0 && g.srid != 0 && code != g.srid && !g.forced {
				return f, fmt.Sprintf("geometry in EPSG:%d, but the layer is EPSG:%d (split the file or give --srid)", code, g.srid)
			}
			if g.cadastre != nil {
				geom = promoteMulti(geom)
			}
			f.Geometry = geom
			continue
		}
		flattenProperty(k, k.name.Local, f.Props)
	}
	if g.cadastre != nil {
		f = g.cadastre(f)
	}
	return f, ""
}

// flattenProperty stores the leaves of a property element under their path
// of property names: GML alternates property (lowerCamel) and object
// (UpperCamel) elements, and only the property names carry meaning
// (inspireId/Identifier/localId → inspireId_localId).
func flattenProperty(n *xmlNode, key string, props map[string]any) {
	if len(n.kids) == 0 {
		var v any
		if nilAttr, _ := n.attrValue("nil"); nilAttr == "true" {
			v = nil
		} else if href, ok := n.attrValue("href"); ok && len(bytes.TrimSpace(n.text)) == 0 {
			v = href
		} else {
			v = strings.TrimSpace(string(n.text))
		}
		addProp(props, key, v)
		return
	}
	for _, k := range n.kids {
		local := k.name.Local
		if local != "" && local[0] >= 'A' && local[0] <= 'Z' {
			flattenProperty(k, key, props)
			continue
		}
		flattenProperty(k, key+"_"+local, props)
	}
}

// addProp stores a value, turning repeated properties into a list.
func addProp(props map[string]any, key string, v any) {
	old, ok := props[key]
	if !ok {
		props[key] = v
		return
	}
	if l, isList := old.([]any); isList {
		props[key] = append(l, v)
		return
	}
	props[key] = []any{old, v}
}

// promoteMulti turns a Polygon into a one-member MultiPolygon, so that a
// cadastral layer whose sources mix gml:Polygon and gml:MultiSurface has one
// geometry type.
func promoteMulti(g orb.Geometry) orb.Geometry {
	if p, ok := g.(orb.Polygon); ok {
		return orb.MultiPolygon{p}
	}
	return g
}

// gmlCoords carries the CRS context down a geometry tree.
type gmlCoords struct {
	srs      string
	code     int
	latFirst bool
	dim      int
}

func coordsContext(n *xmlNode, parent gmlCoords) gmlCoords {
	c := parent
	if s, ok := n.attrValue("srsName"); ok && s != "" {
		c.srs = s
		c.code, c.latFirst = gmlAxis(s)
	}
	if d, ok := n.attrValue("srsDimension"); ok {
		if v, err := strconv.Atoi(strings.TrimSpace(d)); err == nil && v >= 1 && v <= 4 {
			c.dim = v
		}
	}
	return c
}

// parseGMLGeometry reads a GML geometry element; code is its EPSG code.
func parseGMLGeometry(n *xmlNode, srs string, depth int) (orb.Geometry, int, error) {
	ctx := gmlCoords{dim: 2}
	if srs != "" {
		ctx.srs = srs
		ctx.code, ctx.latFirst = gmlAxis(srs)
	}
	ctx = coordsContext(n, ctx)
	g, err := geometryOf(n, ctx, depth)
	if err != nil {
		return nil, 0, err
	}
	if g == nil {
		return nil, 0, fmt.Errorf("empty %s", n.name.Local)
	}
	if !importers.Finite(g) {
		return nil, 0, errors.New("non-finite coordinate")
	}
	return g, ctx.code, nil
}

// geometryOf builds the geometry of a GML geometry element.
func geometryOf(n *xmlNode, ctx gmlCoords, depth int) (orb.Geometry, error) {
	if depth > 16 {
		return nil, errors.New("geometry nested too deep")
	}
	ctx = coordsContext(n, ctx)
	switch n.name.Local {
	case "Point":
		pts, err := pointsOf(n, ctx)
		if err != nil {
			return nil, err
		}
		if len(pts) != 1 {
			return nil, fmt.Errorf("Point has %d positions", len(pts))
		}
		return pts[0], nil
	case "LineString", "Curve", "CompositeCurve":
		pts, err := curvePoints(n, ctx, depth)
		if err != nil {
			return nil, err
		}
		if len(pts) < 2 {
			return nil, fmt.Errorf("%s has %d positions, a line needs 2", n.name.Local, len(pts))
		}
		return orb.LineString(pts), nil
	case "LinearRing":
		r, err := ringOf(n, ctx, depth)
		if err != nil {
			return nil, err
		}
		return orb.Polygon{r}, nil
	case "Polygon", "PolygonPatch":
		return polygonOf(n, ctx, depth)
	case "Surface":
		return surfaceOf(n, ctx, depth)
	case "MultiSurface", "MultiPolygon", "CompositeSurface", "MultiCurve", "MultiLineString", "MultiPoint", "MultiGeometry":
		return multiOf(n, ctx, depth)
	}
	return nil, fmt.Errorf("GML geometry %s not supported", n.name.Local)
}

// surfaceOf builds a Surface from its PolygonPatches: a polygon, or a
// multipolygon for several patches.
func surfaceOf(n *xmlNode, ctx gmlCoords, depth int) (orb.Geometry, error) {
	var mp orb.MultiPolygon
	for _, patches := range n.kids {
		if patches.name.Local != "patches" {
			continue
		}
		for _, pp := range patches.kids {
			if pp.name.Local != "PolygonPatch" {
				return nil, fmt.Errorf("surface patch %s not supported (only PolygonPatch)", pp.name.Local)
			}
			p, err := polygonOf(pp, coordsContext(pp, ctx), depth+1)
			if err != nil {
				return nil, err
			}
			mp = append(mp, p)
		}
	}
	switch len(mp) {
	case 0:
		return nil, errors.New("Surface has no patches")
	case 1:
		return mp[0], nil
	}
	return mp, nil
}

// multiOf builds a multi-geometry from its members, each of the type the
// element holds (surfaces, curves, points; anything for MultiGeometry).
func multiOf(n *xmlNode, ctx gmlCoords, depth int) (orb.Geometry, error) {
	kind := n.name.Local
	var col orb.Collection
	err := eachMember(n, func(m *xmlNode) error {
		g, err := geometryOf(m, ctx, depth+1)
		col = append(col, g)
		return err
	})
	if err != nil {
		return nil, err
	}
	if len(col) == 0 {
		return nil, fmt.Errorf("%s has no members", kind)
	}
	switch kind {
	case "MultiSurface", "MultiPolygon", "CompositeSurface":
		var mp orb.MultiPolygon
		for _, g := range col {
			switch x := g.(type) {
			case orb.Polygon:
				mp = append(mp, x)
			case orb.MultiPolygon:
				mp = append(mp, x...)
			default:
				return nil, fmt.Errorf("%s member is a %s, not a surface", kind, g.GeoJSONType())
			}
		}
		return mp, nil
	case "MultiCurve", "MultiLineString":
		var ml orb.MultiLineString
		for _, g := range col {
			l, ok := g.(orb.LineString)
			if !ok {
				return nil, fmt.Errorf("%s member is a %s, not a curve", kind, g.GeoJSONType())
			}
			ml = append(ml, l)
		}
		return ml, nil
	case "MultiPoint":
		var mp orb.MultiPoint
		for _, g := range col {
			p, ok := g.(orb.Point)
			if !ok {
				return nil, fmt.Errorf("MultiPoint member is a %s", g.GeoJSONType())
			}
			mp = append(mp, p)
		}
		return mp, nil
	}
	return col, nil
}

// eachMember calls fn for the geometries of the member elements of a
// multi-geometry (surfaceMember, surfaceMembers, polygonMember, curveMember,
// lineStringMember, pointMember, pointMembers, geometryMember, ...).
func eachMember(n *xmlNode, fn func(*xmlNode) error) error {
	for _, m := range n.kids {
		if !strings.HasSuffix(m.name.Local, "Member") && !strings.HasSuffix(m.name.Local, "Members") {
			continue
		}
		for _, g := range m.kids {
			if !isGeometryNode(g) && g.name.Local != "PolygonPatch" {
				continue
			}
			if err := fn(g); err != nil {
				return err
			}
		}
	}
	return nil
}

func polygonOf(n *xmlNode, ctx gmlCoords, depth int) (orb.Polygon, error) {
	var outer orb.Ring
	var inner []orb.Ring
	for _, k := range n.kids {
		switch k.name.Local {
		case "exterior", "outerBoundaryIs", "interior", "innerBoundaryIs":
		default:
			continue
		}
		var ring orb.Ring
		found := false
		for _, r := range k.kids {
			if r.name.Local != "LinearRing" && r.name.Local != "Ring" {
				continue
			}
			var err error
			ring, err = ringOf(r, coordsContext(r, ctx), depth+1)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", k.name.Local, err)
			}
			found = true
			break
		}
		if !found {
			return nil, fmt.Errorf("%s has no LinearRing", k.name.Local)
		}
		if k.name.Local == "exterior" || k.name.Local == "outerBoundaryIs" {
			if outer != nil {
				return nil, errors.New("polygon has two exteriors")
			}
			outer = ring
		} else {
			inner = append(inner, ring)
		}
	}
	if outer == nil {
		return nil, fmt.Errorf("%s has no exterior ring", n.name.Local)
	}
	return append(orb.Polygon{outer}, inner...), nil
}

func ringOf(n *xmlNode, ctx gmlCoords, depth int) (orb.Ring, error) {
	var pts []orb.Point
	var err error
	if n.name.Local == "Ring" {
		// gml:Ring/curveMember/Curve...: concatenate the curves.
		pts, err = memberCurves(n, ctx, depth)
	} else {
		pts, err = pointsOf(n, ctx)
	}
	if err != nil {
		return nil, err
	}
	if len(pts) > 0 && pts[0] != pts[len(pts)-1] {
		return nil, errors.New("ring is not closed (first and last positions differ)")
	}
	if len(pts) < 4 {
		return nil, fmt.Errorf("ring has %d positions, needs at least 4", len(pts))
	}
	return orb.Ring(pts), nil
}

// curvePoints reads a LineString, a Curve of LineStringSegments, or a
// CompositeCurve.
func curvePoints(n *xmlNode, ctx gmlCoords, depth int) ([]orb.Point, error) {
	if depth > 16 {
		return nil, errors.New("geometry nested too deep")
	}
	switch n.name.Local {
	case "LineString":
		return pointsOf(n, ctx)
	case "Curve":
		var pts []orb.Point
		for _, segs := range n.kids {
			if segs.name.Local != "segments" {
				continue
			}
			for _, s := range segs.kids {
				if s.name.Local != "LineStringSegment" {
					return nil, fmt.Errorf("curve segment %s not supported (only straight LineStringSegment)", s.name.Local)
				}
				sp, err := pointsOf(s, coordsContext(s, ctx))
				if err != nil {
					return nil, err
				}
				pts = joinPoints(pts, sp)
			}
		}
		return pts, nil
	case "CompositeCurve":
		return memberCurves(n, ctx, depth)
	}
	return nil, fmt.Errorf("%s is not a curve", n.name.Local)
}

// memberCurves concatenates the curves of the member elements of n (a
// CompositeCurve, or a Ring of curveMembers).
func memberCurves(n *xmlNode, ctx gmlCoords, depth int) ([]orb.Point, error) {
	var pts []orb.Point
	for _, m := range n.kids {
		for _, c := range m.kids {
			if !isGeometryNode(c) {
				continue
			}
			cp, err := curvePoints(c, coordsContext(c, ctx), depth+1)
			if err != nil {
				return nil, err
			}
			pts = joinPoints(pts, cp)
		}
	}
	return pts, nil
}

// joinPoints appends the points of the next segment, dropping its first
// when it repeats the last one.
func joinPoints(pts, next []orb.Point) []orb.Point {
	if len(pts) > 0 && len(next) > 0 && pts[len(pts)-1] == next[0] {
		next = next[1:]
	}
	return append(pts, next...)
}

// pointsOf reads the positions of a simple element: posList, a sequence of
// pos (or pointProperty/Point), or GML 2 coordinates.
func pointsOf(n *xmlNode, ctx gmlCoords) ([]orb.Point, error) {
	var pts []orb.Point
	for _, k := range n.kids {
		kctx := coordsContext(k, ctx)
		switch k.name.Local {
		case "posList":
			vals, err := parseNumbers(k.text)
			if err != nil {
				return nil, fmt.Errorf("posList: %w", err)
			}
			dim := kctx.dim
			if dim < 2 {
				return nil, fmt.Errorf("posList has dimension %d, want at least 2", dim)
			}
			if len(vals)%dim != 0 {
				return nil, fmt.Errorf("posList has %d numbers, not a multiple of its dimension %d", len(vals), dim)
			}
			for i := 0; i+dim <= len(vals); i += dim {
				pts = append(pts, axisPoint(vals[i], vals[i+1], kctx))
			}
		case "pos":
			vals, err := parseNumbers(k.text)
			if err != nil {
				return nil, fmt.Errorf("pos: %w", err)
			}
			if len(vals) < 2 {
				return nil, fmt.Errorf("pos has %d numbers, want at least 2", len(vals))
			}
			pts = append(pts, axisPoint(vals[0], vals[1], kctx))
		case "pointProperty", "pointRep":
			for _, pn := range k.kids {
				if pn.name.Local == "Point" {
					pp, err := pointsOf(pn, coordsContext(pn, kctx))
					if err != nil {
						return nil, err
					}
					pts = append(pts, pp...)
				}
			}
		case "coordinates":
			cp, err := parseGML2Coordinates(k, kctx)
			if err != nil {
				return nil, err
			}
			pts = append(pts, cp...)
		case "coord":
			// GML 2 <coord><X/><Y/></coord>.
			var x, y float64
			var hx, hy bool
			for _, c := range k.kids {
				v, err := strconv.ParseFloat(strings.TrimSpace(string(c.text)), 64)
				if err != nil {
					return nil, fmt.Errorf("coord %s: %q is not a number", c.name.Local, strings.TrimSpace(string(c.text)))
				}
				switch c.name.Local {
				case "X":
					x, hx = v, true
				case "Y":
					y, hy = v, true
				}
			}
			if !hx || !hy {
				return nil, errors.New("coord without X and Y")
			}
			pts = append(pts, axisPoint(x, y, kctx))
		}
	}
	return pts, nil
}

// axisPoint applies the axis rule: lat-first CRSs are swapped to x/y.
// Extra ordinates (z, m) are dropped.
func axisPoint(a, b float64, ctx gmlCoords) orb.Point {
	if ctx.latFirst {
		return orb.Point{b, a}
	}
	return orb.Point{a, b}
}

// maxGMLNumbers bounds one coordinate list (20 million ordinates, 160 MB).
const maxGMLNumbers = 20_000_000

func parseNumbers(b []byte) ([]float64, error) {
	fields := bytes.Fields(b)
	if len(fields) > maxGMLNumbers {
		return nil, fmt.Errorf("%d numbers in one coordinate list, more than %d", len(fields), maxGMLNumbers)
	}
	out := make([]float64, 0, len(fields))
	for _, f := range fields {
		v, err := strconv.ParseFloat(string(f), 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("%q is not a number", truncate(string(f), 40))
		}
		out = append(out, v)
	}
	return out, nil
}

var spaceRun = regexp.MustCompile(`\s+`)

func parseGML2Coordinates(n *xmlNode, ctx gmlCoords) ([]orb.Point, error) {
	// GML 2 defaults: comma between ordinates, space between tuples.
	cs, ts, dec := ",", " ", "."
	if v, ok := n.attrValue("cs"); ok && v != "" {
		cs = v
	}
	if v, ok := n.attrValue("ts"); ok && v != "" {
		ts = v
	}
	if v, ok := n.attrValue("decimal"); ok && v != "" {
		dec = v
	}
	text := strings.TrimSpace(string(n.text))
	if strings.TrimSpace(ts) == "" {
		text = spaceRun.ReplaceAllString(text, " ")
		ts = " "
	}
	var pts []orb.Point
	for _, tuple := range strings.Split(text, ts) {
		tuple = strings.TrimSpace(tuple)
		if tuple == "" {
			continue
		}
		parts := strings.Split(tuple, cs)
		if len(parts) < 2 {
			return nil, fmt.Errorf("coordinates: tuple %q has fewer than 2 values", truncate(tuple, 40))
		}
		var v [2]float64
		for i := 0; i < 2; i++ {
			s := strings.TrimSpace(parts[i])
			if dec != "." {
				s = strings.ReplaceAll(s, dec, ".")
			}
			f, err := strconv.ParseFloat(s, 64)
			if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
				return nil, fmt.Errorf("coordinates: %q is not a number", truncate(parts[i], 40))
			}
			v[i] = f
		}
		pts = append(pts, axisPoint(v[0], v[1], ctx))
	}
	return pts, nil
}

// claimsGML: a .gml file is always read as GML; an .xml file only when it
// uses the GML namespace.
func claimsGML(p string, head []byte) bool {
	return strings.EqualFold(filepath.Ext(p), ".gml") || sniffGML(head)
}
