package profile

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/sit-gis/sit/importers"
	"github.com/sit-gis/sit/importers/importertest"
	"github.com/sit-gis/sit/importers/vector"
	"github.com/sit-gis/sit/layers"
)

func TestProfileSynonyms(t *testing.T) {
	date := time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		name    string
		kind    layers.Kind
		mapping map[string]string
		in      map[string]any
		want    map[string]any // canonical and kept attributes that must be there
		gone    []string       // attributes that must have been renamed away
	}{
		// Cadastral.
		{"gter parcels", layers.KindCadastral, nil,
			map[string]any{"Id": int64(1), "sezione": "A", "foglio": int64(12), "mappale": "125", "supcat": 540.0},
			map[string]any{"sezione": "A", "foglio": "12", "particella": "125", "Id": int64(1), "supcat": 540.0, "tipo": "particella"},
			[]string{"mappale"}},
		{"upper case", layers.KindCadastral, nil,
			map[string]any{"FOGLIO": "0037", "PARTICELLA": "125", "ALLEGATO": "A", "SVILUPPO": "0", "SEZIONE": "B"},
			map[string]any{"foglio": "37", "particella": "125", "allegato": "A", "sviluppo": "0", "sezione": "B"},
			[]string{"FOGLIO", "PARTICELLA"}},
		{"numero and fg", layers.KindCadastral, nil,
			map[string]any{"fg": 7.0, "numero": int64(44)},
			map[string]any{"foglio": "7", "particella": "44"},
			[]string{"fg", "numero"}},
		{"CDU tools", layers.KindCadastral, nil,
			map[string]any{"COMUNE": "E715", "foglio": "3", "allegato": "0", "mappale": "9", "Area1": 12.5},
			map[string]any{"comune": "E715", "foglio": "3", "particella": "9", "Area1": 12.5},
			[]string{"COMUNE"}},
		{"NCR gives every part", layers.KindCadastral, nil,
			map[string]any{"NATIONALCADASTRALREFERENCE": "E715_012300.456", "ADMINISTRATIVEUNIT": "E715", "LABEL": "456"},
			map[string]any{"ref": "E715_012300.456", "comune": "E715", "foglio": "123", "particella": "456", "allegato": "0", "sviluppo": "0", "LABEL": "456"},
			[]string{"NATIONALCADASTRALREFERENCE", "ADMINISTRATIVEUNIT"}},
		{"NCR with letter foglio and sezione", layers.KindCadastral, nil,
			map[string]any{"nationalcadastralreference": "G273A0033A0.1298"},
			map[string]any{"comune": "G273", "sezione": "A", "foglio": "33", "allegato": "A", "particella": "1298"},
			nil},
		{"canonical value wins over NCR", layers.KindCadastral, nil,
			map[string]any{"foglio": "5", "NATIONALCADASTRALREFERENCE": "E715_012300.456"},
			map[string]any{"foglio": "5", "particella": "456"},
			nil},
		{"canonical name wins over synonym", layers.KindCadastral, nil,
			map[string]any{"particella": "10", "mappale": "11"},
			map[string]any{"particella": "10", "mappale": "11"},
			nil},
		{"INSPIRE local id only", layers.KindCadastral, nil,
			map[string]any{"INSPIREID_LOCALID": "IT.AGE.PLA.E715_000100.ACQUA005"},
			map[string]any{"comune": "E715", "foglio": "1", "particella": "ACQUA005", "tipo": "acqua", "ref": "E715_000100.ACQUA005"},
			nil},
		{"mapping file name", layers.KindCadastral, map[string]string{"NUM_MAPP": "particella", "num_fg": "foglio"},
			map[string]any{"num_mapp": "77", "NUM_FG": "0008"},
			map[string]any{"particella": "77", "foglio": "8"},
			[]string{"num_mapp", "NUM_FG"}},
		// Zoning and constraints.
		{"PRG ZTO only", layers.KindZoning, nil,
			map[string]any{"ZTO": "B2", "ART_NTA": "art. 12", "DEST_PREV": "Residenziale di completamento"},
			map[string]any{"zone_code": "B2", "zone_class": "B", "norm_ref": "art. 12", "description": "Residenziale di completamento"},
			[]string{"ZTO", "ART_NTA", "DEST_PREV"}},
		{"SIGLA finer than ZONA_OMOGE", layers.KindZoning, nil,
			map[string]any{"SIGLA": "Bc1", "ZONA_OMOGE": "B", "ZONA_DESC": "Zona di completamento"},
			map[string]any{"zone_code": "Bc1", "zone_class": "B", "ZONA_OMOGE": "B", "description": "Zona di completamento"},
			[]string{"SIGLA", "ZONA_DESC"}},
		{"FVG mosaic lower case", layers.KindZoning, nil,
			map[string]any{"zona_omoge": "E4", "zona_desc": "agricola"},
			map[string]any{"zone_code": "E4", "zone_class": "E", "description": "agricola"},
			nil},
		{"ZONA_OM and SOTTOZONA", layers.KindZoning, nil,
			map[string]any{"ZONA_OM": "D", "SOTTOZONA": "D1", "LEGENDA": "Produttiva"},
			map[string]any{"zone_code": "D1", "zone_class": "D", "description": "Produttiva"},
			nil},
		{"ZONA", layers.KindZoning, nil,
			map[string]any{"ZONA": "F"},
			map[string]any{"zone_code": "F", "zone_class": "F"},
			nil},
		{"Piemonte ZN_*", layers.KindZoning, nil,
			map[string]any{"ZN_SIGLA": "R3", "ZN_ZTO": "02", "ZN_NTA": "art. 21"},
			map[string]any{"zone_code": "R3", "zone_class": "B", "norm_ref": "art. 21"},
			[]string{"ZN_SIGLA", "ZN_ZTO", "ZN_NTA"}},
		{"Piemonte ZN_ZTO 06", layers.KindZoning, nil,
			map[string]any{"ZN_ZTO": "06"},
			map[string]any{"zone_class": "F"},
			nil},
		{"not a DM 1444 class", layers.KindZoning, nil,
			map[string]any{"SIGLA": "AT3"},
			map[string]any{"zone_code": "AT3"},
			nil},
		{"CDU planning layers", layers.KindConstraint, nil,
			map[string]any{"tema": "Vincolo idrogeologico", "zona": "V1", "descrizion": "Aree boscate"},
			map[string]any{"plan": "Vincolo idrogeologico", "zone_code": "V1", "description": "Aree boscate"},
			[]string{"tema", "zona", "descrizion"}},
		{"gter vincoli", layers.KindConstraint, nil,
			map[string]any{"nome": "x", "descrizione": "Fascia di rispetto", "riferimento legislativo": "D.Lgs. 42/2004", "articolo": "art. 142"},
			map[string]any{"nome": "x", "description": "Fascia di rispetto", "norm_ref": "art. 142", "riferimento legislativo": "D.Lgs. 42/2004"},
			[]string{"descrizione", "articolo"}},
		// Broadband.
		{"address points", layers.KindBroadband, nil,
			map[string]any{"tecnologia": "fibra", "velocita": "1 Gbps", "upload": "300", "operatore": "Open Fiber", "indirizzo": "VIA ROMA 1, LUCCA", "data": "30/06/2025"},
			map[string]any{"technology": "FTTH", "max_down_mbps": 1000.0, "max_up_mbps": 300.0, "operator": "Open Fiber", "address": "VIA ROMA 1, LUCCA", "snapshot": date, "speed_band": ">=1000"},
			[]string{"tecnologia", "velocita", "upload", "operatore", "indirizzo", "data"}},
		{"download numeric, colour", layers.KindBroadband, nil,
			map[string]any{"TECNOLOGIA": "VDSL", "DOWNLOAD": int64(100), "colore": "g"},
			map[string]any{"technology": "FTTC", "max_down_mbps": 100.0, "area_class": "grey", "speed_band": "100-1000"},
			nil},
		{"speed that is no number stays", layers.KindBroadband, nil,
			map[string]any{"velocita": "veloce", "download": "30,5"},
			map[string]any{"velocita": "veloce", "max_down_mbps": 30.5, "speed_band": "30-100"},
			nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := Apply(c.kind, c.mapping)(layers.Feature{Props: c.in})
			for k, v := range c.want {
				if !reflect.DeepEqual(f.Props[k], v) {
					t.Errorf("%s = %#v, want %#v (props %v)", k, f.Props[k], v, f.Props)
				}
			}
			for _, k := range c.gone {
				if _, ok := f.Props[k]; ok {
					t.Errorf("%s should have been renamed (props %v)", k, f.Props)
				}
			}
			// Idempotent: the reader and the CLI may both apply it.
			again := Apply(c.kind, c.mapping)(layers.Feature{Props: cloneProps(f.Props)})
			if !reflect.DeepEqual(again.Props, f.Props) {
				t.Errorf("second application changed %v into %v", f.Props, again.Props)
			}
		})
	}
}

func cloneProps(m map[string]any) map[string]any {
	c := make(map[string]any, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}

func TestProfileNilProps(t *testing.T) {
	f := Apply(layers.KindZoning, nil)(layers.Feature{})
	if f.Props == nil || len(f.Props) != 0 {
		t.Errorf("props %v", f.Props)
	}
	f = Apply(layers.KindGeneric, map[string]string{"A": "b"})(layers.Feature{Props: map[string]any{"a": 1}})
	if f.Props["b"] != 1 {
		t.Errorf("generic kind with a mapping renames: %v", f.Props)
	}
}

func TestParseMapping(t *testing.T) {
	cases := []struct {
		name, in string
		want     map[string]string
		err      string
	}{
		{"lines", "# PRG 1998\nNUM_MAPP = particella\n\n\"Sigla zona\" = zone_code\n", map[string]string{"NUM_MAPP": "particella", "Sigla zona": "zone_code"}, ""},
		{"json", `{"NUM_MAPP": "particella"}`, map[string]string{"NUM_MAPP": "particella"}, ""},
		{"bom", "\ufeffa=b", map[string]string{"a": "b"}, ""},
		{"no equals", "NUM_MAPP particella", nil, "line 1"},
		{"empty target", "a =", nil, "line 1"},
		{"twice", "a=b\na=c", nil, "line 2: \"a\" is mapped twice"},
		{"bad json", `{"a": 1}`, nil, "invalid JSON mapping"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, err := ParseMapping([]byte(c.in))
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("error %v, want %q", err, c.err)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(m, c.want) {
				t.Fatalf("%v, %v; want %v", m, err, c.want)
			}
		})
	}
	m, err := ParseMapping([]byte("x = particela\n"))
	if err != nil {
		t.Fatal(err)
	}
	if err := ValidateMapping(layers.KindCadastral, m); err == nil || !strings.Contains(err.Error(), "x = particela") {
		t.Errorf("typo in a target must be an error: %v", err)
	}
	if err := ValidateMapping(layers.KindCadastral, map[string]string{"x": "Particella"}); err != nil {
		t.Errorf("case-insensitive targets: %v", err)
	}
}

// The GeoJSON flavour of the AdE WFS goes through the GeoJSON reader and
// the cadastral profile, which parses its national references.
func TestAdEGeoJSONWithProfile(t *testing.T) {
	src, err := importers.NewRegistry(vector.Formats()).Open("../../data/sources/ade_wfs_particelle_esempio_L439_C209.geojson", importers.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	if src.Format != "geojson" || src.Datasets[0].Info.SRID != 6706 {
		t.Fatalf("format %s SRID %d", src.Format, src.Datasets[0].Info.SRID)
	}
	feats, _ := importertest.ReadDataset(t, src.Datasets[0])
	prof := Apply(layers.KindCadastral, nil)
	type row struct{ comune, foglio, particella, tipo, ref string }
	want := []row{
		{"L439", "21", "STRADA001", "strada", "L439_002100.STRADA001"},
		{"L439", "21", "ACQUA005", "acqua", "L439_002100.ACQUA005"},
		{"C209", "5", "96", "particella", "C209_000500.96"},
		{"C209", "5", "95", "particella", "C209_000500.95"},
	}
	if len(feats) != len(want) {
		t.Fatalf("%d features", len(feats))
	}
	for i, f := range feats {
		f = prof(f)
		got := row{f.Props["comune"].(string), f.Props["foglio"].(string), f.Props["particella"].(string), f.Props["tipo"].(string), f.Props["ref"].(string)}
		if got != want[i] {
			t.Errorf("feature %d: %+v, want %+v", i, got, want[i])
		}
		if _, still := f.Props["NATIONALCADASTRALREFERENCE"]; still {
			t.Errorf("feature %d: NATIONALCADASTRALREFERENCE not renamed to ref", i)
		}
		// GDAL wrote lon/lat: the parcels are in Basilicata (ISTAT region
		// bounding box lon 15.33–16.87, lat 39.89–41.14), not swapped.
		b := f.Geometry.Bound()
		if b.Min[0] < 15.33 || b.Max[0] > 16.87 || b.Min[1] < 39.89 || b.Max[1] > 41.14 {
			t.Errorf("feature %d bound %v outside Basilicata", i, b)
		}
	}
	js, _ := json.Marshal(feats[0].Props)
	if !strings.Contains(string(js), `"gml_id"`) {
		t.Errorf("unknown attributes must be kept: %s", js)
	}
}
