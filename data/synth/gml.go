package synth

import (
	"bufio"
	"io"
	"strconv"

	"github.com/paulmach/orb"
)

// gmlWriter writes an AdE INSPIRE CadastralParcels GML file (the MapServer
// schema of the WFS and the bulk download: wfs:FeatureCollection of
// wfs:member, flat CP: properties, EPSG:6706 with latitude first). The
// first write error sticks in err; later writes do nothing.
type gmlWriter struct {
	w        *bufio.Writer
	b        []byte // the feature being written
	id       []byte // scratch: gml:id, local id and label of a feature
	localID  []byte
	label    []byte
	err      error
	features int64
	bytes    int64
}

func newGMLWriter(w io.Writer) *gmlWriter {
	return &gmlWriter{w: bufio.NewWriterSize(w, 1<<20), b: make([]byte, 0, 8192)}
}

func (g *gmlWriter) write(b []byte) {
	if g.err != nil {
		return
	}
	n, err := g.w.Write(b)
	g.bytes += int64(n)
	g.err = err
}

func (g *gmlWriter) flush() error {
	if g.err == nil {
		g.err = g.w.Flush()
	}
	return g.err
}

// header opens the collection: typ names the feature type in the schema
// location, n is the number of features that follow.
func (g *gmlWriter) header(p *Plan, typ string, n int) {
	b := append(g.b[:0], `<?xml version='1.0' encoding="UTF-8" ?>
<!-- SYNTHETIC data written by sit gen (github.com/sit-gis/sit), not Agenzia delle Entrate data: the layout and schema of the AdE INSPIRE download, invented parcels. -->
<wfs:FeatureCollection
   xmlns:CP="http://mapserver.gis.umn.edu/mapserver"
   xmlns:gml="http://www.opengis.net/gml/3.2"
   xmlns:wfs="http://www.opengis.net/wfs/2.0"
   xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
   xsi:schemaLocation="http://mapserver.gis.umn.edu/mapserver https://wfs.cartografia.agenziaentrate.gov.it/inspire/wfs/owfs01.php?SERVICE=WFS&amp;VERSION=2.0.0&amp;REQUEST=DescribeFeatureType&amp;TYPENAME=CP:`...)
	b = append(b, typ...)
	b = append(b, `&amp;OUTPUTFORMAT=application%2Fgml%2Bxml%3B%20version%3D3.2 http://www.opengis.net/wfs/2.0 http://schemas.opengis.net/wfs/2.0/wfs.xsd http://www.opengis.net/gml/3.2 http://schemas.opengis.net/gml/3.2.1/gml.xsd"
   timeStamp="`...)
	b = bulkRelease.AppendFormat(b, "2006-01-02T15:04:05")
	b = append(b, `" numberMatched="`...)
	b = strconv.AppendInt(b, int64(n), 10)
	b = append(b, `" numberReturned="`...)
	b = strconv.AppendInt(b, int64(n), 10)
	b = append(b, "\">\n      <wfs:boundedBy>\n"...)
	// Every parcel lies within the grid of blocks.
	lo := p.fr.toLonLat(orb.Point{p.colX[0], p.rowY[len(p.rowY)-1]})
	hi := p.fr.toLonLat(orb.Point{p.colX[len(p.colX)-1], p.rowY[0]})
	b = appendEnvelope(b, orb.Bound{Min: lo, Max: hi}, "      \t")
	b = append(b, "      </wfs:boundedBy>\n"...)
	g.b = b
	g.write(b)
}

func (g *gmlWriter) footer() {
	g.write([]byte("</wfs:FeatureCollection>\n"))
}

// appendEnvelope writes a gml:Envelope (latitude first) with its indent.
func appendEnvelope(b []byte, bd orb.Bound, indent string) []byte {
	b = append(b, indent...)
	b = append(b, `<gml:Envelope srsName="`+inspireSRS+`">`+"\n"...)
	b = append(b, indent...)
	b = append(b, "\t<gml:lowerCorner>"...)
	b = appendLatLon(b, bd.Min)
	b = append(b, "</gml:lowerCorner>\n"...)
	b = append(b, indent...)
	b = append(b, "\t<gml:upperCorner>"...)
	b = appendLatLon(b, bd.Max)
	b = append(b, "</gml:upperCorner>\n"...)
	b = append(b, indent...)
	return append(b, "</gml:Envelope>\n"...)
}

// appendLatLon writes a lon/lat point as "lat lon" (EPSG:6706 axis order).
func appendLatLon(b []byte, p orb.Point) []byte {
	b = appendFixed(b, p[1], 8) // the AdE files' precision, about a millimetre
	b = append(b, ' ')
	return appendFixed(b, p[0], 8)
}

// appendPosList writes a closed ring as a gml:LinearRing posList.
func appendPosList(b []byte, r orb.Ring) []byte {
	b = append(b, `<gml:LinearRing><gml:posList srsDimension="2">`...)
	for i, p := range r {
		if i > 0 {
			b = append(b, ' ')
		}
		b = appendLatLon(b, p)
	}
	if len(r) > 0 && r[0] != r[len(r)-1] {
		b = append(b, ' ')
		b = appendLatLon(b, r[0])
	}
	return append(b, `</gml:posList></gml:LinearRing>`...)
}

// appendPolygon writes a gml:Polygon with id (exterior, then interiors).
func appendPolygon(b []byte, poly orb.Polygon, id []byte, n int) []byte {
	b = append(b, `<gml:Polygon gml:id="`...)
	b = append(b, id...)
	b = append(b, '.')
	b = strconv.AppendInt(b, int64(n), 10)
	b = append(b, `" srsName="`+inspireSRS+`">`...)
	for i, r := range poly {
		if i == 0 {
			b = append(b, "<gml:exterior>"...)
		} else {
			b = append(b, "<gml:interior>"...)
		}
		b = appendPosList(b, r)
		if i == 0 {
			b = append(b, "</gml:exterior>"...)
		} else {
			b = append(b, "</gml:interior>"...)
		}
	}
	return append(b, "</gml:Polygon>"...)
}

// beginFeature opens a member: the feature element with its gml:id, its
// envelope and the start of its geometry property.
func beginFeature(b []byte, typ string, id []byte, bd orb.Bound) []byte {
	b = append(b, "    <wfs:member>\n      <CP:"...)
	b = append(b, typ...)
	b = append(b, ` gml:id="`...)
	b = append(b, id...)
	b = append(b, "\">\n        <gml:boundedBy>\n"...)
	b = appendEnvelope(b, bd, "        \t")
	return append(b, "        </gml:boundedBy>\n        <CP:msGeometry>\n          "...)
}

func appendProp(b []byte, name string, val []byte) []byte {
	b = append(b, "        <CP:"...)
	b = append(b, name...)
	b = append(b, '>')
	b = append(b, val...)
	b = append(b, "</CP:"...)
	b = append(b, name...)
	return append(b, ">\n"...)
}

// parcel writes one CadastralParcel: ring in lon/lat, ref its national
// cadastral reference (E715_003700.125).
func (g *gmlWriter) parcel(ring orb.Ring, ref []byte, code string, particella int) {
	g.localID = append(append(g.localID[:0], "IT.AGE.PLA."...), ref...)
	g.id = append(append(g.id[:0], "CadastralParcel."...), g.localID...)
	b := beginFeature(g.b[:0], "CadastralParcel", g.id, ring.Bound())
	b = appendPolygon(b, orb.Polygon{ring}, g.id, 1)
	b = g.appendIdentity(b, "IT.AGE.PLA.", g.localID, particella)
	b = appendProp(b, "NATIONALCADASTRALREFERENCE", ref)
	g.end(b, "CadastralParcel", code)
}

// appendIdentity closes the geometry and appends the INSPIRE identifier
// and the label (particella or foglio number).
func (g *gmlWriter) appendIdentity(b []byte, namespace string, localID []byte, label int) []byte {
	b = append(b, "\n        </CP:msGeometry>\n"...)
	b = appendProp(b, "INSPIREID_LOCALID", localID)
	b = appendProp(b, "INSPIREID_NAMESPACE", []byte(namespace))
	g.label = strconv.AppendInt(g.label[:0], int64(label), 10)
	return appendProp(b, "LABEL", g.label)
}

// end appends the administrative unit, closes the feature and writes it.
func (g *gmlWriter) end(b []byte, typ, code string) {
	b = appendProp(b, "ADMINISTRATIVEUNIT", []byte(code))
	b = append(b, "      </CP:"...)
	b = append(b, typ...)
	b = append(b, ">\n    </wfs:member>\n"...)
	g.b = b
	g.features++
	g.write(b)
}

// foglio writes one CadastralZoning (a sheet of the cadastral map): mp in
// lon/lat, ref its national zoning reference (E715_003700).
func (g *gmlWriter) foglio(mp orb.MultiPolygon, ref []byte, code string, foglio int) {
	var b []byte
	localID := append([]byte("IT.AGE.MAP."), ref...)
	id := append([]byte("CadastralZoning."), localID...)
	b = beginFeature(g.b[:0], "CadastralZoning", id, mp.Bound())
	if len(mp) == 1 {
		b = appendPolygon(b, mp[0], id, 1)
	} else {
		b = append(b, `<gml:MultiSurface gml:id="`...)
		b = append(b, id...)
		b = append(b, `.0" srsName="`+inspireSRS+`">`...)
		for i, poly := range mp {
			b = append(b, "<gml:surfaceMember>"...)
			b = appendPolygon(b, poly, id, i+1)
			b = append(b, "</gml:surfaceMember>"...)
		}
		b = append(b, "</gml:MultiSurface>"...)
	}
	b = g.appendIdentity(b, "IT.AGE.MAP.", localID, foglio)
	b = appendProp(b, "LEVEL", []byte("3rdOrder"))
	b = appendProp(b, "LEVELNAME", []byte("Mappa Catastale"))
	b = appendProp(b, "NATIONALCADASTRALZONINGREFERENCE", ref)
	g.end(b, "CadastralZoning", code)
}
