package reports

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"github.com/sit-gis/sit/access"
	"github.com/sit-gis/sit/layers"
)

func sheet(id int64, g orb.Polygon, comune, foglio string) layers.Feature {
	return layers.Feature{Record: id, Geometry: g, Props: map[string]any{"comune": comune, "foglio": foglio}}
}

// The zoning report's map draws the fogli of the layers with the role
// sheets that the request may see: foglio 37 (parcel A's) and 38 (east of
// it, in the window), not 99 (far away), nor the fogli of an internal
// layer or of another comune's layer, which only a view that reads those
// layers gets.
func TestZoningMapSheets(t *testing.T) {
	f := newZoningFixture(t)
	edge := px0 + pw + 0.00005 // 4 m east of parcel A
	f.load(t, layers.ImportSpec{Layer: "t_fogli", Kind: layers.KindCadastral, Roles: []string{layers.RoleSheets}}, []layers.Feature{
		sheet(1, rect(px0-0.002, py0-0.002, edge, py0+0.002), "E715", "37"),
		sheet(2, rect(edge, py0-0.002, px0+0.003, py0+0.002), "E715", "38"),
		sheet(3, rect(px0+0.05, py0, px0+0.051, py0+0.001), "E715", "99"),
	})
	f.load(t, layers.ImportSpec{Layer: "t_fogli_interni", Kind: layers.KindCadastral, Roles: []string{layers.RoleSheets},
		Visibility: layers.Internal}, []layers.Feature{sheet(1, rect(px0-0.001, py0-0.001, px0+0.001, py0+0.001), "E715", "77")})
	for _, c := range []string{"lucca", "pietrasanta"} {
		if err := f.store.AddComune(context.Background(), c, layers.ComunePatch{Name: &c}); err != nil {
			t.Fatal(err)
		}
	}
	f.load(t, layers.ImportSpec{Layer: "t_fogli_g628", Kind: layers.KindCadastral, Roles: []string{layers.RoleSheets},
		Comune: "pietrasanta"}, []layers.Feature{sheet(1, rect(px0-0.001, py0-0.001, px0+0.001, py0+0.001), "G628", "55")})

	public := access.WithView(context.Background(), access.View{Comune: "lucca"})
	rep, err := f.svc.Zoning(public, ZoningRequest{Parcels: []string{"37/125"}, WithMap: true})
	if err != nil {
		t.Fatal(err)
	}
	m := rep.Parcels[0].Map
	var labels []string
	for _, sh := range m.Sheets {
		labels = append(labels, sh.Label)
		if sh.Layer != "t_fogli" {
			t.Errorf("the public's map draws %s of layer %s", sh.Label, sh.Layer)
		}
		if !sh.Geom.Bound().Intersects(m.Frame) || !m.Frame.Contains(sh.At) {
			t.Errorf("%s: outline %v or label at %v outside the map %v", sh.Label, sh.Geom.Bound(), sh.At, m.Frame)
		}
	}
	if strings.Join(labels, ",") != "Fg. 37,Fg. 38" {
		t.Fatalf("map sheets %v, want Fg. 37 and Fg. 38", labels)
	}
	if par, ok := m.Parcel.(orb.MultiPolygon); !ok || planar.MultiPolygonContains(par, m.Sheets[0].At) {
		t.Errorf("foglio 37's number at %v is on the parcel %v", m.Sheets[0].At, m.Parcel)
	}
	var srcs []string
	for _, s := range rep.Sources {
		srcs = append(srcs, s.Layer+":"+s.Role)
	}
	if !slices.Contains(srcs, "t_fogli:sheets") || len(srcs) != 4 {
		t.Errorf("sources %v: want the cadastre, zoning, constraints and t_fogli only", srcs)
	}
	checkSheetsDrawn(t, rep, []string{"Fg. 37", "Fg. 38"}, []string{"Fg. 99", "Fg. 77", "Fg. 55"})

	all := access.WithView(context.Background(), access.View{Principal: access.Operator("test"), Comune: access.AllComuni})
	rep, err = f.svc.Zoning(all, ZoningRequest{Parcels: []string{"E715_003700.125"}, WithMap: true})
	if err != nil {
		t.Fatal(err)
	}
	labels = nil
	for _, sh := range rep.Parcels[0].Map.Sheets {
		labels = append(labels, sh.Label)
	}
	slices.Sort(labels)
	if strings.Join(labels, ",") != "Fg. 37,Fg. 38,Fg. 55 (G628),Fg. 77" {
		t.Errorf("the operator's map sheets %v, want 37, 38, 55 of G628 and 77", labels)
	}
}

// checkSheetsDrawn renders the report as HTML and PDF: both write the
// fogli numbers want, none of absent, and the fogli line of the legend
// right after the parcel's.
func checkSheetsDrawn(t *testing.T, rep ZoningReport, want, absent []string) {
	t.Helper()
	var hb, pb bytes.Buffer
	if err := WriteZoningHTML(&hb, rep); err != nil {
		t.Fatal(err)
	}
	if err := WriteZoningPDF(&pb, rep); err != nil {
		t.Fatal(err)
	}
	page := hb.String()
	svg := page[strings.Index(page, "<svg"):strings.Index(page, "</svg>")]
	_, text, _ := parsePDF(t, pb.Bytes())
	for _, w := range want {
		if !strings.Contains(svg, ">"+w+"</text>") {
			t.Errorf("the HTML map lacks the label %q", w)
		}
		if !strings.Contains(text, w+"\n") {
			t.Errorf("the PDF lacks the label %q", w)
		}
	}
	for _, a := range absent {
		if strings.Contains(page, a) || strings.Contains(text, a) {
			t.Errorf("the report draws %q", a)
		}
	}
	if !strings.Contains(page, "Particella</div>\n   <div><span class=\"sw\"") || !strings.Contains(page, SheetLegendText) {
		t.Errorf("the HTML legend lacks the fogli line")
	}
	if i := strings.Index(text, "Particella\n"+SheetLegendText); i < 0 {
		t.Errorf("the PDF legend lacks the fogli line after the parcel's:\n%s", text)
	}
}
