package catasto

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/planar"

	"github.com/sit-gis/sit/importers"
	"github.com/sit-gis/sit/importers/importertest"
)

const sampleGML = "../../data/sources/ade_wfs_particella_A000W000200.gml"

// luccaBoundary returns the ISTAT boundary of the comune with the given
// Belfiore code from the bundled openpolis file (Provincia di Lucca).
func comuneBoundary(t *testing.T, belfiore string) orb.Geometry {
	t.Helper()
	b, err := os.ReadFile("../../data/admin/openpolis_limits_P_46_municipalities.geojson")
	if err != nil {
		t.Fatal(err)
	}
	fc, err := geojson.UnmarshalFeatureCollection(b)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fc.Features {
		if f.Properties["com_catasto_code"] == belfiore {
			return f.Geometry
		}
	}
	t.Fatalf("no comune %s in the boundaries", belfiore)
	return nil
}

func containsPoint(g orb.Geometry, p orb.Point) bool {
	switch x := g.(type) {
	case orb.Polygon:
		return planar.PolygonContains(x, p)
	case orb.MultiPolygon:
		return planar.MultiPolygonContains(x, p)
	}
	return false
}

// TestGMLSample reads the real AdE WFS response: a road "parcel" of
// comune A000, sheet W0002, in EPSG:6706 latitude first.
func TestGMLSample(t *testing.T) {
	src, err := open(sampleGML, importers.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	if src.Format != "gml" || len(src.Datasets) != 1 {
		t.Fatalf("format %s, %d datasets", src.Format, len(src.Datasets))
	}
	ds := src.Datasets[0]
	if ds.Info.SRID != 6706 || ds.Info.Count != 1 || ds.Info.Name != "ade_wfs_particella_A000W000200" {
		t.Errorf("info %+v", ds.Info)
	}
	feats, skipped := importertest.ReadDataset(t, ds)
	if len(feats) != 1 || len(skipped) != 0 {
		t.Fatalf("%d features, %d skipped", len(feats), len(skipped))
	}
	f := feats[0]
	if f.ID != "CadastralParcel.IT.AGE.PLA.A000W000200.STRADA001" {
		t.Errorf("id %q", f.ID)
	}
	want := map[string]any{
		"comune": "A000", "sezione": "W", "foglio": "2", "allegato": "0", "sviluppo": "0",
		"particella": "STRADA001", "tipo": "strada", "ref": "A000W000200.STRADA001", "LABEL": "STRADA001",
		"INSPIREID_LOCALID": "IT.AGE.PLA.A000W000200.STRADA001",
	}
	for k, v := range want {
		if f.Props[k] != v {
			t.Errorf("%s = %v, want %v", k, f.Props[k], v)
		}
	}
	mp, ok := f.Geometry.(orb.MultiPolygon)
	if !ok || len(mp) != 1 || len(mp[0][0]) != 4 {
		t.Fatalf("geometry %#v", f.Geometry)
	}
	// The file says 39.54843572 9.13011880 (lat lon): lon/lat comes out.
	if mp[0][0][0] != (orb.Point{9.13011880, 39.54843572}) {
		t.Errorf("first vertex %v, want lon/lat (9.1301188, 39.54843572)", mp[0][0][0])
	}
	// A000 is no Belfiore code of a living comune, so the check is against
	// the ISTAT region: the bounding box of Sardegna in the openpolis
	// regions file is lon 8.13–9.83, lat 38.86–41.31.
	b := mp.Bound()
	if b.Min[0] < 8.13 || b.Max[0] > 9.83 || b.Min[1] < 38.86 || b.Max[1] > 41.31 {
		t.Errorf("parcel bound %v is outside Sardegna: axes swapped?", b)
	}
}

// gmlParcel writes one CadastralParcel of Lucca with the given srsName and
// coordinate order.
func gmlParcel(srsName string, latFirst bool, ring []orb.Point) string {
	var pos []string
	for _, p := range ring {
		if latFirst {
			pos = append(pos, fmt.Sprintf("%.8f %.8f", p[1], p[0]))
		} else {
			pos = append(pos, fmt.Sprintf("%.8f %.8f", p[0], p[1]))
		}
	}
	return `<?xml version="1.0" encoding="UTF-8"?>
<wfs:FeatureCollection xmlns:CP="http://mapserver.gis.umn.edu/mapserver" xmlns:gml="http://www.opengis.net/gml/3.2" xmlns:wfs="http://www.opengis.net/wfs/2.0">
  <wfs:member>
    <CP:CadastralParcel gml:id="CadastralParcel.IT.AGE.PLA.E715_012300.456">
      <CP:msGeometry>
        <gml:Polygon gml:id="p1" srsName="` + srsName + `">
          <gml:exterior><gml:LinearRing><gml:posList srsDimension="2">` + strings.Join(pos, " ") + `</gml:posList></gml:LinearRing></gml:exterior>
        </gml:Polygon>
      </CP:msGeometry>
      <CP:LABEL>456</CP:LABEL>
      <CP:NATIONALCADASTRALREFERENCE>E715_012300.456</CP:NATIONALCADASTRALREFERENCE>
      <CP:ADMINISTRATIVEUNIT>E715</CP:ADMINISTRATIVEUNIT>
    </CP:CadastralParcel>
  </wfs:member>
</wfs:FeatureCollection>
`
}

// TestGMLAxisOrder writes the same Lucca parcel in every axis convention:
// whatever the file's order, it must land inside Lucca's ISTAT boundary.
func TestGMLAxisOrder(t *testing.T) {
	lucca := comuneBoundary(t, "E715")
	// A 20 m square near Piazza Napoleone, lon/lat.
	ring := []orb.Point{{10.5030, 43.8420}, {10.5032, 43.8420}, {10.5032, 43.8422}, {10.5030, 43.8422}, {10.5030, 43.8420}}
	if !containsPoint(lucca, ring[0]) {
		t.Fatal("fixture point is not in Lucca")
	}
	cases := []struct {
		name     string
		srs      string
		latFirst bool
		srid     int
	}{
		{"URN 6706 lat/lon (AdE WFS)", "urn:ogc:def:crs:EPSG::6706", true, 6706},
		{"URN 4258 lat/lon", "urn:ogc:def:crs:EPSG::4258", true, 4258},
		{"URN 4326 lat/lon", "urn:ogc:def:crs:EPSG::4326", true, 4326},
		{"OGC URI 6706 lat/lon", "http://www.opengis.net/def/crs/EPSG/0/6706", true, 6706},
		{"short EPSG:4326 lon/lat", "EPSG:4326", false, 4326},
		{"epsg.xml# lon/lat", "http://www.opengis.net/gml/srs/epsg.xml#4326", false, 4326},
		{"CRS84 lon/lat", "urn:ogc:def:crs:OGC:1.3:CRS84", false, 4326},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := importertest.WriteFile(t, t.TempDir(), "E715_ple.gml", gmlParcel(c.srs, c.latFirst, ring))
			src, err := open(p, importers.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer src.Close()
			if got := src.Datasets[0].Info.SRID; got != c.srid {
				t.Errorf("SRID %d, want %d", got, c.srid)
			}
			feats, skipped := importertest.ReadDataset(t, src.Datasets[0])
			if len(feats) != 1 {
				t.Fatalf("%d features, skipped %v", len(feats), skipped)
			}
			mp := feats[0].Geometry.(orb.MultiPolygon)
			for _, v := range mp[0][0] {
				if !containsPoint(lucca, v) {
					t.Fatalf("vertex %v is outside Lucca (axes swapped?)", v)
				}
			}
			if f := feats[0].Props; f["comune"] != "E715" || f["foglio"] != "123" || f["particella"] != "456" || f["tipo"] != "particella" || f["sezione"] != nil {
				t.Errorf("cadastral columns %v", f)
			}
		})
	}
}

func TestGMLAxisRule(t *testing.T) {
	cases := []struct {
		srs      string
		code     int
		latFirst bool
	}{
		{"urn:ogc:def:crs:EPSG::6706", 6706, true},
		{"urn:ogc:def:crs:EPSG:6.6:4326", 4326, true},
		{"http://www.opengis.net/def/crs/EPSG/0/4258", 4258, true},
		{"http://www.opengis.net/def/crs/EPSG/0/3035", 3035, true},
		{"urn:ogc:def:crs:EPSG::3003", 3003, false},
		{"urn:ogc:def:crs:EPSG::6707", 6707, false},
		{"urn:ogc:def:crs:EPSG::32632", 32632, false},
		{"urn:ogc:def:crs:EPSG::4978", 4978, false},
		{"EPSG:4326", 4326, false},
		{"EPSG:6706", 6706, false},
		{"http://www.opengis.net/gml/srs/epsg.xml#3003", 3003, false},
		{"CRS84", 4326, false},
		{"", 0, false},
		{"unknown", 0, false},
	}
	for _, c := range cases {
		t.Run(c.srs, func(t *testing.T) {
			code, lf := gmlAxis(c.srs)
			if code != c.code || lf != c.latFirst {
				t.Errorf("gmlAxis(%q) = %d, %v; want %d, %v", c.srs, code, lf, c.code, c.latFirst)
			}
		})
	}
}

// TestGMLBulk reads the bulk-download flavour (GML 3.1 featureMember),
// with parcels and sheets in one file, a hole, a multi-surface, a GML 2
// coordinates ring, a projected CRS and the CRS inherited from the envelope.
func TestGMLBulk(t *testing.T) {
	doc := `<?xml version="1.0" encoding="UTF-8"?>
<gml:FeatureCollection xmlns:CP="http://mapserver.gis.umn.edu/mapserver" xmlns:gml="http://www.opengis.net/gml" xmlns:xlink="http://www.w3.org/1999/xlink">
  <gml:boundedBy><gml:Envelope srsName="EPSG:3003"><gml:lowerCorner>1620000 4850000</gml:lowerCorner><gml:upperCorner>1630000 4860000</gml:upperCorner></gml:Envelope></gml:boundedBy>
  <gml:featureMember>
    <CP:CadastralZoning gml:id="CadastralZoning.IT.AGE.MAP.E715_0033A0">
      <CP:msGeometry><gml:Polygon><gml:exterior><gml:LinearRing><gml:posList>1620000 4850000 1621000 4850000 1621000 4851000 1620000 4850000</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon></CP:msGeometry>
      <CP:LABEL>33A</CP:LABEL>
      <CP:LEVEL>3rdOrder</CP:LEVEL>
      <CP:NATIONALCADASTRALZONINGREFERENCE>E715_0033A0</CP:NATIONALCADASTRALZONINGREFERENCE>
      <CP:ADMINISTRATIVEUNIT>E715</CP:ADMINISTRATIVEUNIT>
    </CP:CadastralZoning>
  </gml:featureMember>
  <gml:featureMember>
    <CP:CadastralParcel gml:id="CadastralParcel.IT.AGE.PLA.E715_0033A0.12">
      <CP:msGeometry><gml:Polygon srsName="EPSG:3003">
        <gml:exterior><gml:LinearRing><gml:posList>0 0 10 0 10 10 0 10 0 0</gml:posList></gml:LinearRing></gml:exterior>
        <gml:interior><gml:LinearRing><gml:pos>2 2</gml:pos><gml:pos>3 2</gml:pos><gml:pos>3 3</gml:pos><gml:pos>2 2</gml:pos></gml:LinearRing></gml:interior>
      </gml:Polygon></CP:msGeometry>
      <CP:NATIONALCADASTRALREFERENCE>E715_0033A0.12</CP:NATIONALCADASTRALREFERENCE>
      <CP:zoning xlink:href="#CadastralZoning.IT.AGE.MAP.E715_0033A0"/>
    </CP:CadastralParcel>
  </gml:featureMember>
  <gml:featureMember>
    <CP:CadastralParcel gml:id="CadastralParcel.IT.AGE.PLA.E715_0033A0.ACQUA005">
      <CP:msGeometry><gml:MultiSurface srsName="EPSG:3003">
        <gml:surfaceMember><gml:Polygon><gml:outerBoundaryIs><gml:LinearRing><gml:coordinates>0,0 1,0 1,1 0,0</gml:coordinates></gml:LinearRing></gml:outerBoundaryIs></gml:Polygon></gml:surfaceMember>
        <gml:surfaceMember><gml:Polygon><gml:exterior><gml:LinearRing><gml:posList>5 5 6 5 6 6 5 5</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon></gml:surfaceMember>
      </gml:MultiSurface></CP:msGeometry>
      <CP:NATIONALCADASTRALREFERENCE>E715_0033A0.ACQUA005</CP:NATIONALCADASTRALREFERENCE>
    </CP:CadastralParcel>
  </gml:featureMember>
</gml:FeatureCollection>`
	src, err := open(importertest.WriteFile(t, t.TempDir(), "E715_LUCCA.gml", doc), importers.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	if len(src.Datasets) != 2 {
		t.Fatalf("%d datasets, want parcels and sheets", len(src.Datasets))
	}
	fogli := importertest.Dataset(t, src, "E715_LUCCA_fogli")
	parts := importertest.Dataset(t, src, "E715_LUCCA_particelle")
	if fogli.Info.Count != 1 || parts.Info.Count != 2 || parts.Info.SRID != 3003 {
		t.Errorf("infos %+v %+v", fogli.Info, parts.Info)
	}
	ff, _ := importertest.ReadDataset(t, fogli)
	if f := ff[0].Props; f["foglio"] != "33" || f["allegato"] != "A" || f["comune"] != "E715" || f["ref"] != "E715_0033A0" || f["particella"] != nil || f["tipo"] != nil {
		t.Errorf("foglio props %v", f)
	}
	// The envelope's EPSG:3003 is inherited: x/y, no swap.
	if p := ff[0].Geometry.(orb.MultiPolygon)[0][0][1]; p != (orb.Point{1621000, 4850000}) {
		t.Errorf("foglio vertex %v", p)
	}
	pf, skipped := importertest.ReadDataset(t, parts)
	if len(pf) != 2 || len(skipped) != 0 {
		t.Fatalf("%d parcels, skipped %v", len(pf), skipped)
	}
	if g := pf[0].Geometry.(orb.MultiPolygon); len(g) != 1 || len(g[0]) != 2 || g[0][1][1] != (orb.Point{3, 2}) {
		t.Errorf("parcel with a hole: %v", g)
	}
	if pf[0].Props["zoning"] != "#CadastralZoning.IT.AGE.MAP.E715_0033A0" || pf[0].Props["particella"] != "12" {
		t.Errorf("parcel props %v", pf[0].Props)
	}
	if g := pf[1].Geometry.(orb.MultiPolygon); len(g) != 2 || g[0][0][1] != (orb.Point{1, 0}) {
		t.Errorf("multi-surface: %v", g)
	}
	if pf[1].Props["tipo"] != "acqua" {
		t.Errorf("ACQUA not flagged: %v", pf[1].Props)
	}
}

func TestGMLGenericFeatures(t *testing.T) {
	doc := `<wfs:FeatureCollection xmlns:wfs="http://www.opengis.net/wfs/2.0" xmlns:gml="http://www.opengis.net/gml/3.2" xmlns:app="urn:app" xmlns:base="urn:base" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<wfs:member><app:Zona gml:id="z1">
  <app:geom><gml:LineString srsName="urn:ogc:def:crs:EPSG::3003"><gml:posList>1 2 3 4</gml:posList></gml:LineString></app:geom>
  <app:inspireId><base:Identifier><base:localId>Z1</base:localId><base:namespace>IT</base:namespace></base:Identifier></app:inspireId>
  <app:sigla>B2</app:sigla><app:sigla>B3</app:sigla>
  <app:note xsi:nil="true"/>
</app:Zona></wfs:member>
<wfs:member><app:Zona gml:id="z2"><app:geom><gml:Point><gml:pos>1 2</gml:pos></gml:Point></app:geom></app:Zona></wfs:member>
</wfs:FeatureCollection>`
	src, err := open(importertest.WriteFile(t, t.TempDir(), "zone.xml", doc), importers.Options{SRID: 3003})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	feats, _ := importertest.ReadDataset(t, src.Datasets[0])
	if len(feats) != 2 {
		t.Fatalf("%d features", len(feats))
	}
	f := feats[0]
	if f.ID != "z1" || f.Props["inspireId_localId"] != "Z1" || f.Props["inspireId_namespace"] != "IT" || f.Props["note"] != nil {
		t.Errorf("props %v", f.Props)
	}
	if l, ok := f.Props["sigla"].([]any); !ok || len(l) != 2 {
		t.Errorf("repeated property: %v", f.Props["sigla"])
	}
	if g := f.Geometry.(orb.LineString); g[1] != (orb.Point{3, 4}) {
		t.Errorf("projected URN must not swap: %v", g)
	}
	if feats[1].Geometry != (orb.Point{1, 2}) {
		t.Errorf("point %v", feats[1].Geometry)
	}
}

func TestGMLErrors(t *testing.T) {
	member := func(geom string) string {
		return `<wfs:FeatureCollection xmlns:wfs="http://www.opengis.net/wfs/2.0" xmlns:gml="http://www.opengis.net/gml/3.2" xmlns:CP="urn:cp">
<wfs:member><CP:CadastralParcel gml:id="a"><CP:msGeometry>` + geom + `</CP:msGeometry></CP:CadastralParcel></wfs:member>
<wfs:member><CP:CadastralParcel gml:id="b"><CP:msGeometry><gml:Point><gml:pos>1 2</gml:pos></gml:Point></CP:msGeometry></CP:CadastralParcel></wfs:member>
</wfs:FeatureCollection>`
	}
	recordCases := []struct{ name, geom, want string }{
		{"odd posList", `<gml:Polygon><gml:exterior><gml:LinearRing><gml:posList>0 0 1 0 1</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon>`, "not a multiple"},
		{"not a number", `<gml:Polygon><gml:exterior><gml:LinearRing><gml:posList>0 0 1 x 1 1 0 0</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon>`, `"x" is not a number`},
		{"open ring", `<gml:Polygon><gml:exterior><gml:LinearRing><gml:posList>0 0 1 0 1 1 0 1</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon>`, "not closed"},
		{"no exterior", `<gml:Polygon></gml:Polygon>`, "no exterior"},
		{"arc", `<gml:Curve><gml:segments><gml:Arc><gml:posList>0 0 1 1 2 0</gml:posList></gml:Arc></gml:segments></gml:Curve>`, "Arc not supported"},
	}
	for _, c := range recordCases {
		t.Run(c.name, func(t *testing.T) {
			src, err := open(importertest.WriteFile(t, t.TempDir(), "e.gml", member(c.geom)), importers.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer src.Close()
			feats, skipped := importertest.ReadDataset(t, src.Datasets[0])
			if len(skipped) != 1 || !strings.Contains(skipped[0].Reason, c.want) || !strings.Contains(skipped[0].Reason, "line 2") {
				t.Fatalf("skipped %v, want one record error at line 2 with %q", skipped, c.want)
			}
			if len(feats) != 1 {
				t.Errorf("the next feature must still be read: %d", len(feats))
			}
		})
	}
	fatal := []struct{ name, doc, want string }{
		{"not XML", "<a><b></a>", "line 1: malformed XML"},
		{"no features", `<wfs:FeatureCollection xmlns:wfs="http://www.opengis.net/wfs/2.0" xmlns:gml="http://www.opengis.net/gml/3.2"/>`, "no features found"},
		{"truncated", "<wfs:FeatureCollection xmlns:wfs=\"http://www.opengis.net/wfs/2.0\" xmlns:gml=\"http://www.opengis.net/gml/3.2\">\n<wfs:member><x gml:id=\"a\">", "line 2: malformed XML"},
	}
	for _, c := range fatal {
		t.Run(c.name, func(t *testing.T) {
			_, err := open(importertest.WriteFile(t, t.TempDir(), "e.gml", c.doc), importers.Options{})
			if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "e.gml") {
				t.Fatalf("error %v, want %q", err, c.want)
			}
		})
	}
}
