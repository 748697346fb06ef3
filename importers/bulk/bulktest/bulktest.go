// Package bulktest builds, inside a test, archives in the layout of the
// Agenzia delle Entrate INSPIRE bulk download (region zip → province zips
// → comune zips → _ple.gml + _map.gml) with the MapServer CP schema of
// the real files (see data/sources/ade_wfs_particella_A000W000200.gml):
// EPSG:6706, latitude first. The features are invented.
package bulktest

import (
	"archive/zip"
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
)

// Comune is one comune of a test archive: Fogli sheets of PerFoglio
// parcels each, laid out on a grid from (Lon, Lat). Variant moves every
// parcel of the comune a little: a new release of it.
type Comune struct {
	Belfiore, Name, Province string
	Fogli, PerFoglio         int
	Lon, Lat                 float64
	Variant                  int
}

// Parcels is how many parcels the comune has.
func (c Comune) Parcels() int { return c.Fogli * c.PerFoglio }

// Stem is <BELFIORE>_<NOME> as the download names the comune's files.
func (c Comune) Stem() string { return c.Belfiore + "_" + strings.ToUpper(c.Name) }

// Layout says how the zips are packed: the real download may compress
// every level, sit gen stores the zips that hold zips.
type Layout struct {
	Region string // TOSCANA
	// Nested is the method of the zips inside zips (zip.Store or zip.Deflate).
	Nested uint16
	// Release is the date the zips give their members.
	Release time.Time
	// Edit, when set, may change a member's bytes before it is zipped
	// (a damaged file): member is its path inside the region zip.
	Edit func(member string, b []byte) []byte
}

const header = `<?xml version='1.0' encoding="UTF-8" ?>
<wfs:FeatureCollection
   xmlns:CP="http://mapserver.gis.umn.edu/mapserver"
   xmlns:gml="http://www.opengis.net/gml/3.2"
   xmlns:wfs="http://www.opengis.net/wfs/2.0"
   xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
   timeStamp="2025-06-04T15:20:11" numberMatched="%d" numberReturned="%d">
`

// cell is the side of a parcel, in degrees.
const cell = 0.0004

// corner is the south-west corner of parcel k of foglio f (lon, lat).
func (c Comune) corner(f, k int) (float64, float64) {
	shift := float64(c.Variant) * 0.00001
	return c.Lon + float64(k)*cell + shift, c.Lat + float64(f)*cell*2 + shift
}

// ring writes a closed square as a posList, latitude first.
func ring(lon, lat, w, h float64) string {
	pts := [][2]float64{{lat, lon}, {lat, lon + w}, {lat + h, lon + w}, {lat + h, lon}, {lat, lon}}
	var b strings.Builder
	for _, p := range pts {
		fmt.Fprintf(&b, "%.8f %.8f ", p[0], p[1])
	}
	return b.String()
}

// member is one feature of a GML file: its type (CadastralParcel,
// CadastralZoning), its INSPIRE namespace (IT.AGE.PLA., IT.AGE.MAP.) and
// local reference, its ring and the elements after the namespace, as the
// download writes them.
type member struct {
	typ, ns, ref, ring, fields string
}

// gml writes a FeatureCollection of members in the download's layout.
func gml(ms []member) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, header, len(ms), len(ms))
	for _, m := range ms {
		fmt.Fprintf(&b, `    <wfs:member>
      <CP:%[1]s gml:id="%[1]s.%[2]s">
        <CP:msGeometry>
          <gml:Polygon gml:id="%[1]s.%[2]s.1" srsName="urn:ogc:def:crs:EPSG::6706">
            <gml:exterior><gml:LinearRing><gml:posList srsDimension="2">%[3]s</gml:posList></gml:LinearRing></gml:exterior>
          </gml:Polygon>
        </CP:msGeometry>
        <CP:INSPIREID_LOCALID>%[2]s</CP:INSPIREID_LOCALID>
        <CP:INSPIREID_NAMESPACE>%[4]s</CP:INSPIREID_NAMESPACE>
%[5]s      </CP:%[1]s>
    </wfs:member>
`, m.typ, m.ns+m.ref, m.ring, m.ns, m.fields)
	}
	b.WriteString("</wfs:FeatureCollection>\n")
	return b.Bytes()
}

// ParcelsGML is the comune's _ple.gml.
func ParcelsGML(c Comune) []byte {
	var ms []member
	for f := 1; f <= c.Fogli; f++ {
		for k := 1; k <= c.PerFoglio; k++ {
			ncr := fmt.Sprintf("%s_%04d00.%d", c.Belfiore, f, k)
			lon, lat := c.corner(f, k)
			ms = append(ms, member{"CadastralParcel", "IT.AGE.PLA.", ncr, ring(lon, lat, cell*0.95, cell*0.95), fmt.Sprintf(`        <CP:LABEL>%d</CP:LABEL>
        <CP:NATIONALCADASTRALREFERENCE>%s</CP:NATIONALCADASTRALREFERENCE>
        <CP:ADMINISTRATIVEUNIT>%s</CP:ADMINISTRATIVEUNIT>
`, k, ncr, c.Belfiore)})
		}
	}
	return gml(ms)
}

// SheetsGML is the comune's _map.gml: one CadastralZoning per foglio.
func SheetsGML(c Comune) []byte {
	var ms []member
	for f := 1; f <= c.Fogli; f++ {
		ref := fmt.Sprintf("%s_%04d00", c.Belfiore, f)
		lon, lat := c.corner(f, 1)
		ms = append(ms, member{"CadastralZoning", "IT.AGE.MAP.", ref, ring(lon-cell*0.1, lat-cell*0.1, cell*float64(c.PerFoglio+1), cell*1.5),
			fmt.Sprintf(`        <CP:LABEL>%d</CP:LABEL>
        <CP:LEVEL>3rdOrder</CP:LEVEL>
        <CP:LEVELNAME>Mappa Catastale</CP:LEVELNAME>
        <CP:NATIONALCADASTRALZONINGREFERENCE>%s</CP:NATIONALCADASTRALZONINGREFERENCE>
        <CP:ADMINISTRATIVEUNIT>%s</CP:ADMINISTRATIVEUNIT>
`, f, ref, c.Belfiore)})
	}
	return gml(ms)
}

// Write builds <dir>/<Region>.zip holding the comuni, grouped by
// province, and returns its path.
func Write(t testing.TB, dir string, l Layout, cs []Comune) string {
	t.Helper()
	if l.Release.IsZero() {
		l.Release = time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)
	}
	provs := map[string][]Comune{}
	var order []string
	for _, c := range cs {
		if _, ok := provs[c.Province]; !ok {
			order = append(order, c.Province)
		}
		provs[c.Province] = append(provs[c.Province], c)
	}
	var region []entry
	for _, p := range order {
		var comuni []entry
		for _, c := range provs[p] {
			prefix := p + ".zip/" + c.Stem() + ".zip/"
			ple, mp := ParcelsGML(c), SheetsGML(c)
			if l.Edit != nil {
				ple, mp = l.Edit(prefix+c.Stem()+"_ple.gml", ple), l.Edit(prefix+c.Stem()+"_map.gml", mp)
			}
			inner := zipOf(t, l.Release, []entry{{c.Stem() + "_ple.gml", ple, zip.Deflate}, {c.Stem() + "_map.gml", mp, zip.Deflate}})
			comuni = append(comuni, entry{c.Stem() + ".zip", inner, l.Nested})
		}
		region = append(region, entry{p + ".zip", zipOf(t, l.Release, comuni), l.Nested})
	}
	path := dir + "/" + l.Region + ".zip"
	if err := os.WriteFile(path, zipOf(t, l.Release, region), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

type entry struct {
	name   string
	data   []byte
	method uint16
}

func zipOf(t testing.TB, when time.Time, es []entry) []byte {
	t.Helper()
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	for _, e := range es {
		w, err := z.CreateHeader(&zip.FileHeader{Name: e.name, Method: e.method, Modified: when})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(e.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// Tuscany is a small region: Lucca and Capannori in LU, Pisa in PI.
func Tuscany() []Comune {
	return []Comune{
		{Belfiore: "E715", Name: "Lucca", Province: "LU", Fogli: 3, PerFoglio: 20, Lon: 10.50, Lat: 43.84},
		{Belfiore: "B648", Name: "Capannori", Province: "LU", Fogli: 2, PerFoglio: 15, Lon: 10.57, Lat: 43.84},
		{Belfiore: "G702", Name: "Pisa", Province: "PI", Fogli: 2, PerFoglio: 10, Lon: 10.40, Lat: 43.71},
	}
}
