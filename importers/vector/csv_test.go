package vector

import (
	"fmt"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/sit-gis/sit/importers"
	"github.com/sit-gis/sit/importers/importertest"
)

func TestCSV(t *testing.T) {
	type rec struct {
		geom  orb.Geometry
		props map[string]any
	}
	type recErr struct {
		record int64
		text   string
	}
	cases := []struct {
		name     string
		file     string
		content  string
		opt      importers.Options
		srid     int
		geomType string
		fields   []string
		want     []rec
		errs     []recErr
	}{
		{
			name: "WKT column, comma, QGIS export",
			file: "zone.csv",
			content: "WKT,zona,descrizione\n" +
				"\"POLYGON ((10.50 43.84,10.51 43.84,10.51 43.85,10.50 43.84))\",B1,\"Città, centro storico\"\n" +
				"\"Point Z (10.5 43.8 19.5)\",F2,\"nota su\ndue righe\"\n" +
				",E,senza geometria\n" +
				"\"POLYGON ((10.5 43.8, oops))\",X,rotta\n" +
				"\"MULTIPOINT (10.1 43.1, 10.2 43.2)\",Y,\n",
			srid:   4326,
			fields: []string{"zona", "descrizione"},
			want: []rec{
				{orb.Polygon{{{10.50, 43.84}, {10.51, 43.84}, {10.51, 43.85}, {10.50, 43.84}}}, map[string]any{"zona": "B1", "descrizione": "Città, centro storico"}},
				{orb.Point{10.5, 43.8}, map[string]any{"zona": "F2", "descrizione": "nota su\ndue righe"}},
				{nil, map[string]any{"zona": "E", "descrizione": "senza geometria"}},
				{orb.MultiPoint{{10.1, 43.1}, {10.2, 43.2}}, map[string]any{"zona": "Y", "descrizione": nil}},
			},
			errs: []recErr{{4, "line 6: invalid WKT in column WKT"}},
		},
		{
			name: "semicolon, decimal commas, Latin-1",
			file: "scuole.csv",
			content: latin1("denominazione;indirizzo;LATITUDINE;LONGITUDINE;alunni\n" +
				"Scuola \"G. Pascoli\";Località Sant'Anna;43,8429;10,4835;120\n" +
				"Scuola della Pietà;Via del Fosso 1;43,8401;10,5079;\n" +
				"Senza posizione;Piazza Grande;;;30\n" +
				"Posizione rotta;Via Roma;43,84;dieci;5\n" +
				"Mezza posizione;Via Roma;43,84;;5\n"),
			srid:     4326,
			geomType: "Point",
			fields:   []string{"denominazione", "indirizzo", "LATITUDINE", "LONGITUDINE", "alunni"},
			want: []rec{
				{orb.Point{10.4835, 43.8429}, map[string]any{"denominazione": `Scuola "G. Pascoli"`, "indirizzo": "Località Sant'Anna", "LATITUDINE": "43,8429", "LONGITUDINE": "10,4835", "alunni": "120"}},
				{orb.Point{10.5079, 43.8401}, map[string]any{"denominazione": "Scuola della Pietà", "indirizzo": "Via del Fosso 1", "LATITUDINE": "43,8401", "LONGITUDINE": "10,5079", "alunni": nil}},
				{nil, map[string]any{"denominazione": "Senza posizione", "indirizzo": "Piazza Grande", "LATITUDINE": nil, "LONGITUDINE": nil, "alunni": "30"}},
			},
			errs: []recErr{{4, `line 5: invalid coordinate "dieci" in column LONGITUDINE`}, {5, `line 6: invalid coordinate "" in column LONGITUDINE`}},
		},
		{
			name:     "TAB, UTF-8 BOM, x/y columns",
			file:     "civici.tsv",
			content:  "\ufeffvia\tcivico\tX\tY\n" + "Via Fillungo\t12\t10.5046\t43.8445\n" + "Via Fillungo\t14/A\t10.5047\t43.8446\n",
			srid:     4326,
			geomType: "Point",
			fields:   []string{"via", "civico", "X", "Y"},
			want: []rec{
				{orb.Point{10.5046, 43.8445}, map[string]any{"via": "Via Fillungo", "civico": "12", "X": "10.5046", "Y": "43.8445"}},
				{orb.Point{10.5047, 43.8446}, map[string]any{"via": "Via Fillungo", "civico": "14/A", "X": "10.5047", "Y": "43.8446"}},
			},
		},
		{
			name:     "Gauss-Boaga coordinates without --srid leave the SRID unknown",
			file:     "civici_gb.csv",
			content:  "CodiceVia;Civico;CoordX;CoordY\n101;1;1620345,2;4850312,1\n",
			srid:     0,
			geomType: "Point",
			fields:   []string{"CodiceVia", "Civico", "CoordX", "CoordY"},
			want:     []rec{{orb.Point{1620345.2, 4850312.1}, map[string]any{"CodiceVia": "101", "Civico": "1", "CoordX": "1620345,2", "CoordY": "4850312,1"}}},
		},
		{
			name:     "Gauss-Boaga coordinates with --srid",
			file:     "civici_gb.csv",
			content:  "CodiceVia;Civico;CoordX;CoordY\n101;1;1620345,2;4850312,1\n",
			opt:      importers.Options{SRID: 3003},
			srid:     3003,
			geomType: "Point",
			fields:   []string{"CodiceVia", "Civico", "CoordX", "CoordY"},
			want:     []rec{{orb.Point{1620345.2, 4850312.1}, map[string]any{"CodiceVia": "101", "Civico": "1", "CoordX": "1620345,2", "CoordY": "4850312,1"}}},
		},
		{
			name:     "options name the columns and the delimiter",
			file:     "punti.txt",
			content:  "a|est_m|nord_m|b\nuno|10.1|43.1|\n",
			opt:      importers.Options{Delimiter: '|', LonColumn: "EST_M", LatColumn: "nord_m"},
			srid:     4326,
			geomType: "Point",
			fields:   []string{"a", "est_m", "nord_m", "b"},
			want:     []rec{{orb.Point{10.1, 43.1}, map[string]any{"a": "uno", "est_m": "10.1", "nord_m": "43.1", "b": nil}}},
		},
		{
			name:    "WKT column by option, EWKT",
			file:    "strade.csv",
			content: "nome,forma\nVia Elisa,\"SRID=3003;LINESTRING(1620000 4850000,1620100 4850050)\"\n",
			opt:     importers.Options{WKTColumn: "forma", SRID: 3003},
			srid:    3003,
			fields:  []string{"nome"},
			want:    []rec{{orb.LineString{{1620000, 4850000}, {1620100, 4850050}}, map[string]any{"nome": "Via Elisa"}}},
		},
		{
			name:    "no geometry, ragged rows, duplicate and empty headers",
			file:    "tabella.csv",
			content: "nome,nome,,note\nuno,due,tre,quattro\ncorta\nlunga,a,b,c,d\nvuote,a,b,c,,\n",
			srid:    0,
			fields:  []string{"nome", "nome_2", "column_3", "note"},
			want: []rec{
				{nil, map[string]any{"nome": "uno", "nome_2": "due", "column_3": "tre", "note": "quattro"}},
				{nil, map[string]any{"nome": "corta", "nome_2": nil, "column_3": nil, "note": nil}},
				{nil, map[string]any{"nome": "vuote", "nome_2": "a", "column_3": "b", "note": "c"}},
			},
			errs: []recErr{{3, "line 4: 5 fields but the header has 4"}},
		},
		{
			name:     "lon/lat out of range with the default SRID",
			file:     "misto.csv",
			content:  "id,lon,lat\n" + strings.Repeat("1,10.5,43.8\n", 100) + "2,1620345,4850312\n",
			srid:     4326,
			geomType: "Point",
			fields:   []string{"id", "lon", "lat"},
			errs:     []recErr{{101, "line 102: coordinates outside longitude/latitude range"}},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := importertest.WriteFile(t, t.TempDir(), tc.file, tc.content)
			src, err := open(path, tc.opt)
			if err != nil {
				t.Fatal(err)
			}
			defer src.Close()
			info := src.Datasets[0].Info
			var names []string
			for _, f := range info.Fields {
				names = append(names, f.Name)
				if f.Type != "" {
					t.Errorf("field %s has type %q; CSV fields are inferred", f.Name, f.Type)
				}
			}
			if src.Format != "csv" || info.SRID != tc.srid || info.GeometryType != tc.geomType || fmt.Sprint(names) != fmt.Sprint(tc.fields) {
				t.Errorf("format %s, info %+v; want srid %d, type %q, fields %v", src.Format, info, tc.srid, tc.geomType, tc.fields)
			}
			r, err := src.Datasets[0].Open()
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			feats, recErrs, err := importertest.ReadAll(t, r)
			if err != nil {
				t.Fatal(err)
			}
			if tc.want != nil {
				if len(feats) != len(tc.want) {
					t.Fatalf("got %d features, want %d: %+v", len(feats), len(tc.want), feats)
				}
				for i, w := range tc.want {
					if fmt.Sprintf("%#v", feats[i].Geometry) != fmt.Sprintf("%#v", w.geom) {
						t.Errorf("feature %d geometry = %#v, want %#v", i, feats[i].Geometry, w.geom)
					}
					if fmt.Sprint(feats[i].Props) != fmt.Sprint(w.props) {
						t.Errorf("feature %d props = %v, want %v", i, feats[i].Props, w.props)
					}
				}
			}
			if len(recErrs) != len(tc.errs) {
				t.Fatalf("record errors = %v, want %v", recErrs, tc.errs)
			}
			for i, e := range tc.errs {
				if recErrs[i].Record != e.record || !strings.Contains(recErrs[i].Reason, e.text) {
					t.Errorf("record error %d = %v, want record %d with %q", i, recErrs[i], e.record, e.text)
				}
			}
			if got, want := src.Meter.Done(), src.Datasets[0].Info.Size; got != want {
				t.Errorf("progress after a full read: %d of %d", got, want)
			}
		})
	}
}

func TestCSVOpenErrors(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		name, content string
		opt           importers.Options
		want          string
	}{
		{"empty file", "", importers.Options{}, "empty CSV file"},
		{"missing WKT column", "a,b\n1,2\n", importers.Options{WKTColumn: "geom"}, `no column "geom" for WKT geometry (columns: a, b)`},
		{"only one coordinate column", "a,b\n1,2\n", importers.Options{LonColumn: "a"}, "give both the longitude and the latitude column"},
		{"missing latitude column", "a,b\n1,2\n", importers.Options{LonColumn: "a", LatColumn: "c"}, `no column "c" for latitude`},
		{"unknown encoding", "a,b\n1,2\n", importers.Options{Encoding: "klingon"}, "unknown text encoding"},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := importertest.WriteFile(t, dir, fmt.Sprintf("f%d.csv", i), tc.content)
			_, err := open(path, tc.opt)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), path) {
				t.Errorf("err = %v, want %q naming the file", err, tc.want)
			}
		})
	}
}

func TestDetectDelimiter(t *testing.T) {
	cases := []struct {
		line string
		want rune
	}{
		{"a,b,c", ','},
		{"a;b;c", ';'},
		{"a\tb\tc", '\t'},
		{`"Comune, Provincia";codice;"x,y"`, ';'},
		{"solo", ','},
		{"a;b,c;d", ';'},
	}
	for _, tc := range cases {
		t.Run(tc.line, func(t *testing.T) {
			if got := detectDelimiter([]byte(tc.line)); got != tc.want {
				t.Errorf("detectDelimiter = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestParseWKTGeometry(t *testing.T) {
	cases := []struct {
		in      string
		want    orb.Geometry
		wantErr bool
	}{
		{"POINT (10.5 43.8)", orb.Point{10.5, 43.8}, false},
		{"point(1e5 -2.5E3)", orb.Point{100000, -2500}, false},
		{"POINT Z (1 2 3)", orb.Point{1, 2}, false},
		{"PointZ (1 2 3)", orb.Point{1, 2}, false},
		{"POINT(1 2 3)", orb.Point{1, 2}, false},
		{"LINESTRING ZM (0 0 1 2, 1 1 3 4)", orb.LineString{{0, 0}, {1, 1}}, false},
		{"SRID=6706;MULTIPOINT (10 43, 11 44)", orb.MultiPoint{{10, 43}, {11, 44}}, false},
		{"GEOMETRYCOLLECTION Z (POINT Z (1 2 3), LINESTRING Z (0 0 0, 1 1 1))", orb.Collection{orb.Point{1, 2}, orb.LineString{{0, 0}, {1, 1}}}, false},
		{"POLYGON EMPTY", nil, false},
		{"POINT Z EMPTY", nil, false},
		{"POLYGON ((0 0, 1 0, 1 1, 0 0)), extra", nil, true},
		{"CIRCULARSTRING (0 0, 1 1, 2 0)", nil, true},
		{"POINT (nan 1)", nil, true},
		{"43.8, 10.5", nil, true},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			g, err := parseWKTGeometry(tc.in)
			if tc.wantErr {
				if err == nil {
					t.Fatalf("got %#v, want an error", g)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprintf("%#v", g) != fmt.Sprintf("%#v", tc.want) {
				t.Errorf("got %#v, want %#v", g, tc.want)
			}
		})
	}
}
