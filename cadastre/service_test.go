package cadastre

import (
	"context"
	"errors"
	"math"
	"net/http"
	"strings"
	"testing"

	"github.com/sit-gis/sit/internal/httpx"
)

func problemOf(t *testing.T, err error) *httpx.Problem {
	t.Helper()
	var p *httpx.Problem
	if !errors.As(err, &p) {
		t.Fatalf("error %v is not a problem", err)
	}
	return p
}

// TestByRefEverySpelling: every spelling of the reference finds the same parcel.
func TestByRefEverySpelling(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	spellings := []string{
		"foglio 37 particella 125", "F.37 p.125", "fg 37 part 125", "37/125", "37-125", "E715_003700.125",
		"E715 37/125", "fg. 037 mapp. 125", "comune E715 foglio 37 allegato 0 particella 125", "IT.AGE.PLA.E715_003700.125",
	}
	for _, s := range spellings {
		t.Run(s, func(t *testing.T) {
			lk, err := f.svc.ByRef(ctx, s, "ref", 10)
			if err != nil {
				t.Fatal(err)
			}
			if len(lk.Parcels) != 1 {
				t.Fatalf("%d parcels, want 1", len(lk.Parcels))
			}
			p := lk.Parcels[0]
			if p.Ref != "E715_003700.125" || p.FID != int64(1) {
				t.Fatalf("found %s (fid %v), want E715_003700.125 (fid 1)", p.Ref, p.FID)
			}
			// Area on the spheroid, as ST_Area(geography) computes it independently.
			var want float64
			if err := f.pool.QueryRow(ctx, "SELECT ST_Area(geom::geography) FROM sit_data.test_parcels WHERE fid = 1").Scan(&want); err != nil {
				t.Fatal(err)
			}
			if math.Abs(p.AreaM2-want) > 1e-6 || p.AreaM2 < 2000 {
				t.Fatalf("area %v, want %v", p.AreaM2, want)
			}
			c := centre(0, 0)
			if math.Abs(p.Centroid[0]-c[0]) > 1e-9 || math.Abs(p.Centroid[1]-c[1]) > 1e-9 {
				t.Fatalf("centroid %v, want %v", p.Centroid, c)
			}
			if p.BBox[0] != x0 || p.BBox[1] != y0 || math.Abs(p.BBox[2]-(x0+cell)) > 1e-12 {
				t.Fatalf("bbox %v", p.BBox)
			}
		})
	}
}

func TestByRefCandidatesAndErrors(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	tests := []struct {
		name       string
		in         string
		wantRefs   []string
		wantStatus int
	}{
		{"ambiguous allegato gives candidates", "12/5", []string{"E715_0012A0.5", "E715_0012B0.5"}, 0},
		{"allegato given picks one", "fg 12 all. B part 5", []string{"E715_0012B0.5"}, 0},
		{"national reference is exact", "E715_0012A0.5", []string{"E715_0012A0.5"}, 0},
		{"foglio only lists its parcels", "foglio 37", []string{"E715_003700.125", "E715_003700.126", "E715_003700.127"}, 0},
		{"no such parcel", "37/999", nil, http.StatusNotFound},
		{"other comune", "F205 37/125", nil, http.StatusNotFound},
		{"allegato none excludes allegati", "E715_001200.5", nil, http.StatusNotFound},
		{"not a reference", "casa mia", nil, http.StatusBadRequest},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			lk, err := f.svc.ByRef(ctx, tc.in, "ref", 10)
			if tc.wantStatus != 0 {
				p := problemOf(t, err)
				if p.Status != tc.wantStatus || p.Parameter != "ref" {
					t.Fatalf("problem %+v, want status %d naming ref", p, tc.wantStatus)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, p := range lk.Parcels {
				got = append(got, p.Ref)
			}
			if strings.Join(got, ",") != strings.Join(tc.wantRefs, ",") {
				t.Fatalf("got %v, want %v", got, tc.wantRefs)
			}
		})
	}
}

func TestAt(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	// The road between the columns 0 and 1 of foglio 37.
	road := Point{X: x0 + cell + gap/2, Y: y0 + cell/2, SRID: 4326}
	tests := []struct {
		name       string
		pt         Point
		wantRef    string
		wantRoad   bool
		wantStatus int
		wantDetail string
	}{
		{"inside a parcel", Point{X: centre(1, 0)[0], Y: centre(1, 0)[1], SRID: 4326}, "E715_003700.126", false, 0, ""},
		{"on a corner of a parcel", Point{X: x0, Y: y0, SRID: 4326}, "E715_003700.125", false, 0, ""},
		{"road polygon of the cadastre is flagged", Point{X: centre(0, 4)[0], Y: centre(0, 4)[1], SRID: 4326}, "E715_004000.STRADA001", true, 0, ""},
		{"in a road gap: none, with the nearest", road, "", false, http.StatusNotFound, "nearest parcel is E715_003700.12"},
		{"far away", Point{X: 12, Y: 42, SRID: 4326}, "", false, http.StatusNotFound, "outside the cadastre"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := f.svc.At(ctx, tc.pt)
			if tc.wantStatus != 0 {
				pr := problemOf(t, err)
				if pr.Status != tc.wantStatus || !strings.Contains(pr.Detail, tc.wantDetail) {
					t.Fatalf("problem %+v, want %d saying %q", pr, tc.wantStatus, tc.wantDetail)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if p.Ref != tc.wantRef || p.Road() != tc.wantRoad {
				t.Fatalf("got %s road=%v, want %s road=%v", p.Ref, p.Road(), tc.wantRef, tc.wantRoad)
			}
		})
	}
}

// TestAtProjected looks a point up in Monte Mario / Italy 1 (EPSG:3003),
// transformed by PostGIS first.
func TestAtProjected(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	c := centre(2, 0)
	var x, y float64
	if err := f.pool.QueryRow(ctx, "SELECT ST_X(g), ST_Y(g) FROM ST_Transform(ST_SetSRID(ST_MakePoint($1, $2), 4326), 3003) g", c[0], c[1]).Scan(&x, &y); err != nil {
		t.Fatal(err)
	}
	p, err := f.svc.At(ctx, Point{X: x, Y: y, SRID: 3003})
	if err != nil || p.Ref != "E715_003700.127" {
		t.Fatalf("got %s, %v; want E715_003700.127", p.Ref, err)
	}
	_, err = f.svc.At(ctx, Point{X: x, Y: y, SRID: 999999})
	if pr := problemOf(t, err); pr.Status != 400 || pr.Parameter != "crs" {
		t.Fatalf("unknown srid: %+v", pr)
	}
}

func TestSearch(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	tests := []struct {
		name       string
		q          string
		wantBy     string
		wantRefs   []string
		wantStatus int
	}{
		{"reference", "F.37 p.125", "reference", []string{"E715_003700.125"}, 0},
		{"exact address hides longer numbers", "via del fosso 12", "address", []string{"E715_003700.125"}, 0},
		{"address without street type", "fosso 120", "address", []string{"E715_003700.126"}, 0},
		{"abbreviated street type", "V. del Fosso 12", "address", []string{"E715_003700.125"}, 0},
		{"address prefix lists candidates", "via del fosso", "address", []string{"E715_003700.125", "E715_003700.126"}, 0},
		{"address without parcel_ref found by position", "via dell'anfiteatro 12/a", "address", []string{"E715_003700.127"}, 0},
		{"letter glued to the number", "anfiteatro 12a", "address", []string{"E715_003700.127"}, 0},
		{"accent typed without it", "piazza della liberta 1", "address", []string{"E715_003700.127"}, 0},
		{"accent typed in lower case", "p.zza della libertà 1", "address", []string{"E715_003700.127"}, 0},
		{"nothing", "via roma 1", "", nil, http.StatusNotFound},
		{"empty", " ", "", nil, http.StatusBadRequest},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := f.svc.Search(ctx, tc.q, 10)
			if tc.wantStatus != 0 {
				p := problemOf(t, err)
				if p.Status != tc.wantStatus || p.Parameter != "q" {
					t.Fatalf("problem %+v, want %d naming q", p, tc.wantStatus)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, p := range res.Parcels {
				got = append(got, p.Ref)
			}
			if res.By != tc.wantBy || strings.Join(got, ",") != strings.Join(tc.wantRefs, ",") {
				t.Fatalf("by %s %v, want by %s %v", res.By, got, tc.wantBy, tc.wantRefs)
			}
		})
	}
}

func TestSuggest(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	tests := []struct {
		name       string
		q          string
		limit      int
		wantLabels []string
	}{
		{"particella prefix", "37/12", 10, []string{"Foglio 37 particella 125", "Foglio 37 particella 126", "Foglio 37 particella 127"}},
		{"limit", "37/12", 2, []string{"Foglio 37 particella 125", "Foglio 37 particella 126"}},
		{"street prefix", "via del fo", 10, []string{"VIA DEL FOSSO 12", "VIA DEL FOSSO 120"}},
		{"number prefix", "via del fosso 12", 10, []string{"VIA DEL FOSSO 12", "VIA DEL FOSSO 120"}},
		{"words inside", "anfiteatro", 10, []string{"VIA DELL'ANFITEATRO 12/A"}},
		{"nothing", "zzz", 10, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sg, err := f.svc.Suggest(ctx, tc.q, tc.limit)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, s := range sg {
				got = append(got, s.Label)
			}
			if strings.Join(got, "|") != strings.Join(tc.wantLabels, "|") {
				t.Fatalf("got %q, want %q", got, tc.wantLabels)
			}
		})
	}
}
