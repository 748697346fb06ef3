package broadband

import (
	"strings"
	"testing"
	"time"

	"github.com/sit-gis/sit/importers"
	"github.com/sit-gis/sit/importers/importertest"
	"github.com/sit-gis/sit/layers"
)

const (
	agcom250630 = "../../data/sources/agcom_Reportistica_250630_Comuni.csv"
	agcom250331 = "../../data/sources/agcom_Reportistica_250331_Comuni.csv"
)

func findProCom(t *testing.T, feats []layers.Feature, code int64) layers.Feature {
	t.Helper()
	for _, f := range feats {
		if f.Props["pro_com"] == code {
			return f
		}
	}
	t.Fatalf("no comune %d", code)
	return layers.Feature{}
}

// TestAGCOMLucca checks the figures of the issue against the real tables:
// Lucca (46017) on 2025-06-30 has 461 446 addresses, 86 636 reached by
// FTTH, 39 213 households and 20 904 households reached by FTTH; on
// 2025-03-31 80 194 FTTH addresses (line 6756 of each file).
func TestAGCOMLucca(t *testing.T) {
	cases := []struct {
		file     string
		snapshot time.Time
		want     map[string]any
	}{
		{agcom250630, time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC), map[string]any{
			"regione": "Toscana", "provincia": "Lucca", "comune": "Lucca", "pro_com": int64(46017),
			"celle_20m": int64(36129), "punti_dichiarati": int64(244206), "punti_distinti": int64(47616), "indirizzi": int64(461446),
			"celle_20m_ftth": int64(6614), "punti_dichiarati_ftth": int64(16976), "punti_distinti_ftth": int64(13043), "indirizzi_ftth": int64(86636),
			"celle_20m_fttc": int64(21903), "famiglie": int64(39213), "famiglie_ftth": int64(20904),
		}},
		{agcom250331, time.Date(2025, 3, 31, 0, 0, 0, 0, time.UTC), map[string]any{
			"pro_com": int64(46017), "indirizzi": int64(461446), "indirizzi_ftth": int64(80194), "famiglie": int64(39213), "famiglie_ftth": int64(19936),
		}},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			src, err := open(c.file, importers.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer src.Close()
			if src.Format != "agcom" {
				t.Fatalf("format %q, want agcom", src.Format)
			}
			feats, skipped := importertest.ReadDataset(t, src.Datasets[0])
			if len(skipped) != 0 {
				t.Errorf("skipped %v", skipped[0])
			}
			// 7896 comuni: the file has 7897 lines with the header.
			if len(feats) != 7896 {
				t.Errorf("%d comuni, want 7896", len(feats))
			}
			f := findProCom(t, feats, 46017)
			if f.Geometry != nil {
				t.Error("AGCOM rows have no geometry")
			}
			for k, v := range c.want {
				if f.Props[k] != v {
					t.Errorf("%s = %#v, want %#v", k, f.Props[k], v)
				}
			}
			if f.Props["snapshot"] != c.snapshot {
				t.Errorf("snapshot %v, want %v", f.Props["snapshot"], c.snapshot)
			}
			if len(f.Props) != 16 {
				t.Errorf("%d properties (want 15 columns + snapshot): %v", len(f.Props), f.Props)
			}
			// An empty count stays empty, not zero (Altino, no FTTH addresses given).
			if a := findProCom(t, feats, 69001); a.Props["indirizzi_ftth"] != nil || a.Props["celle_20m_ftth"] != int64(0) {
				t.Errorf("Altino: %v", a.Props)
			}
			var declared []string
			for _, fd := range src.Datasets[0].Info.Fields {
				declared = append(declared, fd.Name+":"+string(fd.Type))
			}
			if got := strings.Join(declared, ","); !strings.Contains(got, "pro_com:integer") || !strings.Contains(got, "snapshot:date") || !strings.Contains(got, "comune:text") {
				t.Errorf("declared fields %s", got)
			}
		})
	}
	src, err := open(agcom250630, importers.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	if j := src.Join; j == nil || j.Key != "pro_com" || j.BoundaryKey != "com_istat_code_num" {
		t.Errorf("Join = %+v", j)
	}
}

func TestAGCOMColumnNames(t *testing.T) {
	cases := map[string]string{
		"\ufeffRegione":             "regione",
		"pro_com":                   "pro_com",
		"Celle 20m x 20m raggiunte": "celle_20m",
		"Punti dichiarati":          "punti_dichiarati",
		"Punti geograficamente distinti (passo 5m)":                "punti_distinti",
		"Indirizzi postali distinti (se fornito/disponibile)":      "indirizzi",
		"Celle 20m x 20m raggiunte FTTH":                           "celle_20m_ftth",
		"Punti Geograficamente Distinti (passo 5m) FTTH":           "punti_distinti_ftth",
		"Indirizzi postali distinti (se forniti/disponibili) FTTH": "indirizzi_ftth",
		"Celle 20m x 20m raggiunte FTTC":                           "celle_20m_fttc",
		"Famiglie Residenti (calcolato)":                           "famiglie",
		"Famiglie raggiunte FTTH (calcolato)":                      "famiglie_ftth",
		"Unità immobiliari raggiunte FWA":                          "unita_immobiliari_raggiunte_fwa",
		"":                                                         "",
	}
	for in, want := range cases {
		if got := agcomColumnName(in); got != want {
			t.Errorf("agcomColumnName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSnapshotFromName(t *testing.T) {
	cases := []struct {
		name string
		want string
	}{
		{"Reportistica_250630_Comuni.csv", "2025-06-30"},
		{"/x/agcom_Reportistica_250331_Comuni.csv", "2025-03-31"},
		{"copertura_2024-12-31.csv", "2024-12-31"},
		{"copertura_20241231.csv", "2024-12-31"},
		{"Reportistica_251399_Comuni.csv", ""},
		{"infratel2028_civici_LUCCA_LUCCA.json", ""},
	}
	for _, c := range cases {
		got, ok := SnapshotFromName(c.name)
		if c.want == "" {
			if ok {
				t.Errorf("%s: %v, want none", c.name, got)
			}
			continue
		}
		if !ok || got.Format(time.DateOnly) != c.want {
			t.Errorf("%s: %v %v, want %s", c.name, got, ok, c.want)
		}
	}
}

func TestAGCOMBadRows(t *testing.T) {
	content := "\ufeffRegione,Provincia,Comune,pro_com,Celle 20m x 20m raggiunte\n" +
		"Toscana,Lucca,Lucca,46017,10\n" +
		"Toscana,Lucca,Capannori,46007,dieci\n" +
		"Toscana,Lucca,Boh,,3\n" +
		"\n" +
		"Toscana,Lucca,Altopascio,46001,4\n"
	src, err := open(importertest.WriteFile(t, t.TempDir(), "Reportistica_250630_Comuni.csv", content), importers.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	feats, skipped := importertest.ReadDataset(t, src.Datasets[0])
	if len(feats) != 2 || len(skipped) != 2 {
		t.Fatalf("%d features, %d skipped", len(feats), len(skipped))
	}
	if !strings.Contains(skipped[0].Reason, "line 3: column celle_20m: \"dieci\" is not an integer") ||
		!strings.Contains(skipped[1].Reason, "line 4: no pro_com") {
		t.Errorf("reasons: %q / %q", skipped[0].Reason, skipped[1].Reason)
	}
	if _, err := openAGCOM(importertest.WriteFile(t, t.TempDir(), "x.csv", "a,b\n1,2\n"), importers.Options{}); err == nil || !strings.Contains(err.Error(), "no pro_com column") {
		t.Errorf("a CSV without pro_com: %v", err)
	}
}
