package catasto

import (
	"bytes"
	"errors"
	"io"
	"os"
	"testing"

	"github.com/paulmach/orb"

	"github.com/sit-gis/sit/importers"
	"github.com/sit-gis/sit/layers"
)

// FuzzGML feeds arbitrary documents to the GML scan and reader: every
// feature type found is read to the end without a panic, and whatever
// geometry comes out is finite.
func FuzzGML(f *testing.F) {
	if b, err := os.ReadFile(sampleGML); err == nil {
		f.Add(b)
	}
	lucca := []orb.Point{{10.5030, 43.8420}, {10.5032, 43.8420}, {10.5032, 43.8422}, {10.5030, 43.8420}}
	f.Add([]byte(gmlParcel("urn:ogc:def:crs:EPSG::6706", true, lucca)))
	f.Add([]byte(gmlParcel("EPSG:3003", false, lucca)))
	f.Add([]byte(`<gml:FeatureCollection xmlns:gml="http://www.opengis.net/gml" xmlns:a="urn:a"><gml:featureMembers><a:X><a:g><gml:MultiSurface><gml:surfaceMember><gml:Polygon><gml:outerBoundaryIs><gml:LinearRing><gml:coordinates>0,0 1,0 1,1 0,0</gml:coordinates></gml:LinearRing></gml:outerBoundaryIs></gml:Polygon></gml:surfaceMember></gml:MultiSurface></a:g><a:p><a:O><a:q>1</a:q></a:O></a:p></a:X><a:X><a:g><gml:Curve><gml:segments><gml:LineStringSegment><gml:posList>0 0 1 1</gml:posList></gml:LineStringSegment></gml:segments></gml:Curve></a:g></a:X></gml:featureMembers></gml:FeatureCollection>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		scan, err := scanGML("fuzz.gml", bytes.NewReader(data))
		if err != nil {
			return
		}
		for _, typ := range scan.types {
			srid, _ := gmlAxis(scan.srs)
			r := newGMLReader("fuzz.gml", nil, bytes.NewReader(data), typ, srid, false)
			for {
				f, err := r.Next()
				if errors.Is(err, io.EOF) {
					break
				}
				var re *layers.RecordError
				if errors.As(err, &re) {
					continue
				}
				if err != nil {
					break
				}
				if f.Geometry != nil && !importers.Finite(f.Geometry) {
					t.Fatalf("non-finite geometry %v", f.Geometry)
				}
			}
		}
	})
}
