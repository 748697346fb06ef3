package reports

import (
	"context"
	"encoding/csv"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/sit-gis/sit/ingest"
	"github.com/sit-gis/sit/layers"
)

// importFile imports a real file through the import core, as `sit import`
// and `sit demo` do.
func importFile(t testing.TB, f *fixture, req ingest.Request) {
	t.Helper()
	p, err := ingest.Prepare(req)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if err := p.Run(context.Background(), f.store, ingest.Discard{}); err != nil {
		t.Fatalf("import %s: %v", req.Path, err)
	}
	if err := f.cat.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
}

var agcomFiles = map[string]string{
	"2025-03-31": "../data/sources/agcom_Reportistica_250331_Comuni.csv",
	"2025-06-30": "../data/sources/agcom_Reportistica_250630_Comuni.csv",
}

// newAGCOMFixture imports the ISTAT boundaries of the province and both
// AGCOM snapshots of its comuni, joined to the boundaries by ISTAT code.
func newAGCOMFixture(t testing.TB) *fixture {
	t.Helper()
	f := newDB(t)
	importFile(t, f, ingest.Request{Path: "../data/admin/openpolis_limits_P_46_municipalities.geojson",
		Layer: "comuni_lu", Kind: string(layers.KindBoundary), Roles: []string{layers.RoleZones}})
	for _, snap := range []string{"2025-03-31", "2025-06-30"} {
		importFile(t, f, ingest.Request{Path: agcomFiles[snap], Layer: "agcom_comuni", Kind: string(layers.KindBroadband),
			Roles: []string{layers.RoleAGCOM}, Join: "comuni_lu.com_istat_code_num=pro_com", Filters: []string{"provincia=Lucca"}})
	}
	return f
}

// sourceRow is one comune of an AGCOM CSV, read here independently of
// the importer, by header name.
type sourceRow struct {
	comune                          string
	indirizzi, indFTTH, fam, famFTT string
}

func readAGCOMCSV(t *testing.T, path string) map[int64]sourceRow {
	t.Helper()
	fh, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	r := csv.NewReader(fh)
	r.FieldsPerRecord = -1
	head, err := r.Read()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range head {
		col[strings.TrimPrefix(h, "\ufeff")] = i
	}
	out := map[int64]sourceRow{}
	for {
		rec, err := r.Read()
		if err != nil {
			break
		}
		if rec[col["Provincia"]] != "Lucca" {
			continue
		}
		pc, err := strconv.ParseInt(rec[col["pro_com"]], 10, 64)
		if err != nil {
			t.Fatalf("pro_com %q", rec[col["pro_com"]])
		}
		out[pc] = sourceRow{comune: rec[col["Comune"]], indirizzi: rec[col["Indirizzi postali distinti (se fornito/disponibile)"]],
			indFTTH: rec[col["Indirizzi postali distinti (se forniti/disponibili) FTTH"]], fam: rec[col["Famiglie Residenti (calcolato)"]],
			famFTT: rec[col["Famiglie raggiunte FTTH (calcolato)"]]}
	}
	return out
}

func str(v *int64) string {
	if v == nil {
		return ""
	}
	return strconv.FormatInt(*v, 10)
}

// TestAGCOMReproducesTheSource: every comune of the province, both
// snapshots, equal to the CSV figures; Lucca's FTTH addresses go from
// 80 194 to 86 636.
func TestAGCOMReproducesTheSource(t *testing.T) {
	f := newAGCOMFixture(t)
	for snap, path := range agcomFiles {
		t.Run(snap, func(t *testing.T) {
			src := readAGCOMCSV(t, path)
			if len(src) != 33 {
				t.Fatalf("%d comuni of Lucca in %s, want 33", len(src), path)
			}
			rep, err := f.svc.AGCOM(context.Background(), snap, "")
			if err != nil {
				t.Fatal(err)
			}
			if len(rep.Comuni) != len(src) {
				t.Fatalf("%d comuni, want %d", len(rep.Comuni), len(src))
			}
			for _, c := range rep.Comuni {
				s, ok := src[c.ProCom]
				if !ok {
					t.Fatalf("comune %d not in the source", c.ProCom)
				}
				got := sourceRow{comune: c.Comune, indirizzi: str(c.Indirizzi), indFTTH: str(c.IndirizziFTTH), fam: str(c.Famiglie), famFTT: str(c.FamiglieFTTH)}
				if got != s {
					t.Fatalf("comune %d: %+v, source %+v", c.ProCom, got, s)
				}
				if len(c.geometry) == 0 {
					t.Fatalf("comune %d has no geometry", c.ProCom)
				}
			}
		})
	}
	rep, err := f.svc.AGCOM(context.Background(), "2025-06-30", "2025-03-31")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range rep.Comuni {
		if c.ProCom != 46017 {
			continue
		}
		if *c.Indirizzi != 461446 || *c.IndirizziFTTH != 86636 || *c.Famiglie != 39213 || *c.FamiglieFTTH != 20904 ||
			*c.IndirizziFTTHPrev != 80194 || *c.DeltaIndirizziFTTH != 86636-80194 {
			t.Fatalf("Lucca: %+v", c)
		}
		if *c.FTTHAddressesPct != 18.77 || *c.FTTHHouseholdsPct != 53.31 {
			t.Fatalf("Lucca shares %v %v", *c.FTTHAddressesPct, *c.FTTHHouseholdsPct)
		}
		return
	}
	t.Fatal("no Lucca (046017)")
}
