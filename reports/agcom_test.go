package reports

import (
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/sit-gis/sit/importers"
	"github.com/sit-gis/sit/layers"
)

// filterReader keeps the features whose property equals a value (the
// demo's --filter provincia=Lucca).
type filterReader struct {
	layers.FeatureReader
	key, value string
}

func (f *filterReader) Next() (layers.Feature, error) {
	for {
		ft, err := f.FeatureReader.Next()
		if err != nil || strings.EqualFold(fmt.Sprint(ft.Props[f.key]), f.value) {
			return ft, err
		}
	}
}

// importFile imports every dataset of a real file through importers.Open,
// as `sit import` and `sit demo` do.
func importFile(t testing.TB, f *fixture, path string, spec layers.ImportSpec, filter *filterReader) {
	t.Helper()
	src, err := importers.Open(path, importers.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	for _, ds := range src.Datasets {
		r, err := ds.Open()
		if err != nil {
			t.Fatal(err)
		}
		r = importers.ProfileReader(r, importers.ApplyProfile(spec.Kind, nil))
		if filter != nil {
			filter.FeatureReader = r
			r = filter
		}
		s := spec
		s.SRID = ds.Info.SRID
		if snap, ok := importers.SnapshotFromName(path); ok && spec.Kind == layers.KindBroadband {
			s.Snapshot = snap
		}
		s.Source = layers.SourceInfo{Name: filepath.Base(path), Format: src.Format}
		if _, err := f.store.Import(context.Background(), s, r); err != nil {
			t.Fatalf("import %s: %v", path, err)
		}
		r.Close()
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
	importFile(t, f, "../data/admin/openpolis_limits_P_46_municipalities.geojson",
		layers.ImportSpec{Layer: "comuni_lu", Kind: layers.KindBoundary, Roles: []string{layers.RoleZones}}, nil)
	for _, snap := range []string{"2025-03-31", "2025-06-30"} {
		importFile(t, f, agcomFiles[snap], layers.ImportSpec{Layer: "agcom_comuni", Kind: layers.KindBroadband, Mode: layers.ModeAppend,
			Roles:        []string{layers.RoleAGCOM},
			GeometryJoin: &layers.GeometryJoin{Layer: "comuni_lu", Column: "com_istat_code_num", Property: "pro_com"}},
			&filterReader{key: "provincia", value: "Lucca"})
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
