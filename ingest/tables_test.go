package ingest

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/sit-gis/sit/importers/importertest"
	"github.com/sit-gis/sit/layers"
)

// writeLuccaGPKG writes a GeoPackage of three tables in Gauss-Boaga.
func writeLuccaGPKG(t *testing.T) string {
	t.Helper()
	sq := func(x, y float64) orb.Polygon {
		return orb.Polygon{{{x, y}, {x + 50, y}, {x + 50, y + 50}, {x, y + 50}, {x, y}}}
	}
	p := filepath.Join(t.TempDir(), "Piano Lucca.gpkg")
	importertest.WriteGeoPackage(t, p,
		importertest.Table{Name: "zone", SRID: 3003, Geoms: []orb.Geometry{sq(1620000, 4854000), sq(1620100, 4854000)}},
		importertest.Table{Name: "vincoli", SRID: 3003, Geoms: []orb.Geometry{sq(1620200, 4854000)}},
		importertest.Table{Name: "civici", SRID: 3003, Geoms: []orb.Geometry{orb.Point{1620010, 4854010}}})
	return p
}

func targetsOf(t *testing.T, req Request) ([]string, error) {
	t.Helper()
	p, err := Prepare(req)
	if err != nil {
		return nil, err
	}
	defer p.Close()
	var out []string
	for _, tg := range p.Targets() {
		out = append(out, tg.Layer+":"+string(tg.Kind)+":"+strings.Join(tg.roles, "+"))
	}
	return out, nil
}

func TestTablesOfAGeoPackage(t *testing.T) {
	path := writeLuccaGPKG(t)
	tests := []struct {
		name    string
		req     Request
		want    string
		wantErr []string
	}{
		{name: "every table, named after the file", req: Request{},
			want: "[piano_lucca_civici:generic: piano_lucca_vincoli:generic: piano_lucca_zone:generic:]"},
		// The same layer name with --table: re-importing one table replaces
		// its layer instead of creating a second one (issue 19).
		{name: "one table keeps its name", req: Request{Table: "ZONE"}, want: "[piano_lucca_zone:generic:]"},
		{name: "one table into a named layer", req: Request{Table: "zone", Layer: "zone_po", Kind: "zoning", Roles: []string{"zoning"}}, want: "[zone_po:zoning:zoning]"},
		{name: "a prefix for every table", req: Request{Layer: "po"}, want: "[po_civici:generic: po_vincoli:generic: po_zone:generic:]"},
		{name: "kinds and roles per table", req: Request{Kind: "zone=zoning,vincoli=constraint", Roles: []string{"zone=zoning", "vincoli=constraints"}},
			want: "[piano_lucca_civici:generic: piano_lucca_vincoli:constraint:constraints piano_lucca_zone:zoning:zoning]"},
		// One kind for three tables would silently make all of them zoning (issue 14).
		{name: "one kind for every table", req: Request{Kind: "zoning"},
			wantErr: []string{"holds 3 tables (civici, vincoli, zone)", "--kind zoning would apply to every one", "--table civici", "--kind civici=…"}},
		{name: "one role for every table", req: Request{Roles: []string{"zones"}}, wantErr: []string{"--role zones would apply"}},
		{name: "unknown table", req: Request{Table: "strade"}, wantErr: []string{`no table "strade" (it holds: civici, vincoli, zone)`}},
		{name: "kind for an unknown table", req: Request{Kind: "strade=zoning"}, wantErr: []string{`no table "strade"`}},
		{name: "unknown role", req: Request{Roles: []string{"zone=zonning"}}, wantErr: []string{"did you mean zoning?"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.req.Path = path
			got, err := targetsOf(t, tc.req)
			if tc.wantErr != nil {
				var fe *FieldError
				if !errors.As(err, &fe) {
					t.Fatalf("got %v, %v; want a field error", got, err)
				}
				for _, w := range tc.wantErr {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("%v lacks %q", err, w)
					}
				}
				return
			}
			if err != nil || strings.Join(got, " ") != strings.Trim(tc.want, "[]") {
				t.Fatalf("got %v, %v; want %s", got, err, tc.want)
			}
		})
	}
}

// CXF families: the format gives the kinds (bordi cadastral, the rest
// generic), --table picks one by its family name.
func TestTablesOfACXFSheet(t *testing.T) {
	got, err := targetsOf(t, Request{Path: "../data/sources/H501D076700.CTF", SRID: "3004", Table: "bordi", Roles: []string{"cadastre"}})
	if err != nil || len(got) != 1 || got[0] != "h501d076700_bordi:cadastral:cadastre" {
		t.Fatalf("got %v, %v", got, err)
	}
	if _, err := targetsOf(t, Request{Path: "../data/sources/H501D076700.CTF", Kind: string(layers.KindCadastral)}); err == nil ||
		!strings.Contains(err.Error(), "bordi, testi, simboli, fiduciali, linee") {
		t.Fatalf("one kind for five families: %v", err)
	}
}
