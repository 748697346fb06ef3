package reports

import (
	"bytes"
	"context"
	"html"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"

	"github.com/sit-gis/sit/domain"
)

// Distinct zones get distinct swatches from the map's palette: the first
// code of a class its class colour, the others shades of it; what touches
// the parcel comes first.
func TestBuildLegend(t *testing.T) {
	z := func(layer, code, class string) MapFeature {
		return MapFeature{Layer: layer, Code: code, Class: class, Label: "zona " + code}
	}
	m := &MapData{
		Zones:       []MapFeature{z("po", "E1", "E"), z("po", "E3", "E"), z("po", "E2", "E"), z("po", "B1", "B"), z("po", "E3", "E"), z("po", "X", "")},
		Constraints: []MapFeature{z("v", "P2", ""), z("v", "136", "paesaggistico"), z("v", "P3", "")},
	}
	pr := ParcelReport{
		Zoning:            []Piece{{Layer: "po", ZoneCode: "E3"}},
		ZoningBorder:      []Piece{{Layer: "po", ZoneCode: "B1"}},
		Constraints:       []Piece{{Layer: "v", ZoneCode: "136"}},
		ConstraintsBorder: []Piece{},
	}
	items := buildLegend(m, pr)
	var got []string
	for _, it := range items {
		got = append(got, it.Code)
	}
	if want := "E3 136 B1 E1 E2 X P2 P3"; strings.Join(got, " ") != want {
		t.Fatalf("legend order %v, want %s (touching first, zones before constraints, by code)", got, want)
	}
	for _, it := range items {
		if wantTouch := it.Code == "E3" || it.Code == "136"; (it.Group == Touches) != wantTouch {
			t.Errorf("%s: group %v", it.Code, it.Group)
		}
		if it.BorderEffect != (it.Code == "B1") {
			t.Errorf("%s: border effect %v", it.Code, it.BorderEffect)
		}
	}
	zoneColours := map[[3]int]string{}
	for _, it := range items {
		if it.Constraint {
			if it.Colour != domain.RGB(domain.ColorConstraint) {
				t.Errorf("constraint %s colour %v, the map's is %s", it.Code, it.Colour, domain.ColorConstraint)
			}
			continue
		}
		if other, dup := zoneColours[it.Colour]; dup {
			t.Errorf("zones %s and %s share the swatch %v", other, it.Code, it.Colour)
		}
		zoneColours[it.Colour] = it.Code
	}
	if items[0].Colour != domain.RGB(domain.ZoneClassLegend().Color("E")) {
		t.Errorf("E3, the first E zone, is %v, not the class colour", items[0].Colour)
	}
	hatches := map[int]bool{}
	for _, it := range items {
		if it.Constraint {
			hatches[it.Hatch] = true
		}
	}
	if len(hatches) != 3 {
		t.Errorf("three constraints, %d hatches", len(hatches))
	}
}

var (
	htmlLegendRe = regexp.MustCompile(`<div class="lg-(head|item)">(?:<span[^>]*></span>)?([^<]*)</div>`)
	spacesRe     = regexp.MustCompile(`\s+`)
)

// The HTML and the PDF list the same legend, in the same order, whole:
// for a parcel in F1 and under the flood constraint P3 whose map frame
// also shows the zone E1, F1 and P3 touch it and E1 is only nearby.
func TestZoningLegendHTMLEqualsPDF(t *testing.T) {
	f := newZoningFixture(t)
	rep, err := f.svc.Zoning(context.Background(), ZoningRequest{Parcels: []string{"37/127"}, WithMap: true})
	if err != nil {
		t.Fatal(err)
	}
	pr := rep.Parcels[0]
	groups := map[string]LegendGroup{}
	for _, it := range pr.Map.Legend {
		groups[it.Code] = it.Group
	}
	if len(groups) != 3 || groups["F1"] != Touches || groups["P3"] != Touches || groups["E1"] != Nearby {
		t.Fatalf("legend groups %v: want F1 and P3 touching, E1 nearby only", groups)
	}
	var hb, pb bytes.Buffer
	if err := WriteZoningHTML(&hb, rep); err != nil {
		t.Fatal(err)
	}
	if err := WriteZoningPDF(&pb, rep); err != nil {
		t.Fatal(err)
	}
	var htmlLines []string
	for _, m := range htmlLegendRe.FindAllStringSubmatch(hb.String(), -1) {
		htmlLines = append(htmlLines, html.UnescapeString(strings.TrimSpace(m[2])))
	}
	var want []string
	for _, s := range pr.Map.Sections() {
		want = append(want, s.Title)
		for _, it := range s.Items {
			want = append(want, it.Text())
		}
	}
	if strings.Join(htmlLines, "\n") != strings.Join(want, "\n") {
		t.Fatalf("HTML legend:\n%s\nwant:\n%s", strings.Join(htmlLines, "\n"), strings.Join(want, "\n"))
	}
	_, text, _ := parsePDF(t, pb.Bytes())
	utf, err := charmap.Windows1252.NewDecoder().String(text)
	if err != nil {
		t.Fatal(err)
	}
	// Wrapped lines join with a blank.
	pdf := spacesRe.ReplaceAllString(utf, " ")
	at := strings.Index(pdf, "Legenda")
	if at < 0 {
		t.Fatal("the PDF has no legend")
	}
	for _, line := range htmlLines {
		i := strings.Index(pdf[at:], spacesRe.ReplaceAllString(line, " "))
		if i < 0 {
			t.Fatalf("the PDF legend lacks (or cuts) %q:\n%s", line, pdf[at:])
		}
		at += i + len(line)
	}
}

// Times are Italian local time with their zone; roles are named in Italian.
func TestZoningReportLocalTimeAndRoles(t *testing.T) {
	f := newZoningFixture(t)
	rep, err := f.svc.Zoning(context.Background(), ZoningRequest{Parcels: []string{"37/125"}, WithMap: true})
	if err != nil {
		t.Fatal(err)
	}
	var hb bytes.Buffer
	if err := WriteZoningHTML(&hb, rep); err != nil {
		t.Fatal(err)
	}
	page := hb.String()
	// fixedNow is 10:30 UTC in January: 11:30 in Rome, CET.
	for _, want := range []string{"15/01/2026 11:30 CET", "Lucca (E715)", domain.RoleLabel(domain.RoleConstraints), domain.RoleLabel(domain.RoleZoning)} {
		if !strings.Contains(page, want) {
			t.Errorf("the HTML lacks %q", want)
		}
	}
	for _, bad := range []string{"<td>constraints</td>", "<td>zoning</td>", "<td>cadastre</td>", "UTC"} {
		if strings.Contains(page, bad) {
			t.Errorf("the HTML shows %q", bad)
		}
	}
	summer := rep
	summer.GeneratedAt = fixedNow.AddDate(0, 6, 0)
	var pb bytes.Buffer
	if err := WriteZoningPDF(&pb, summer); err != nil {
		t.Fatal(err)
	}
	if _, text, _ := parsePDF(t, pb.Bytes()); !strings.Contains(text, "15/07/2026 12:30 CEST") {
		t.Errorf("the PDF of a July report lacks the summer time 12:30 CEST")
	}
}
