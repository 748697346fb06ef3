package certificates

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/paulmach/orb"

	"github.com/sit-gis/sit/access"
	"github.com/sit-gis/sit/internal/dbtest"
	"github.com/sit-gis/sit/internal/httpx"
	"github.com/sit-gis/sit/layers"
	"github.com/sit-gis/sit/planning"
	"github.com/sit-gis/sit/reports"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

var fixedNow = time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)

func rect(x1, y1, x2, y2 float64) orb.Polygon {
	return orb.Polygon{{{x1, y1}, {x2, y1}, {x2, y2}, {x1, y2}, {x1, y1}}}
}

// fixture: parcel 37/125 near Lucca, a zoning plan "po" whose boundary
// between B1 and E1 crosses it at split of its width, and the plan's
// rules (Art. 12 for B1, Art. 26 for E1).
type fixture struct {
	pool  *pgxpool.Pool
	store *layers.Store
	cat   *layers.Catalog
	plans *planning.Store
	svc   *Service
}

const x0, y0, w = 10.5, 43.84, 0.0005

func (f *fixture) importZoning(t testing.TB, day string, split float64) {
	t.Helper()
	d, _ := layers.ParseDay(day)
	from := layers.StartOfDay(d)
	x := x0 + split*w
	feats := []layers.Feature{
		{Record: int64(1), Geometry: rect(x0-0.001, y0-0.001, x, y0+w), Props: map[string]any{"zone_code": "B1", "description": "Zona B1", "norm_ref": "Art. 12 NTA", "plan": "PO"}},
		{Record: int64(2), Geometry: rect(x, y0-0.001, x0+0.002, y0+w), Props: map[string]any{"zone_code": "E1", "description": "Zona E1", "norm_ref": "Art. 26 NTA", "plan": "PO"}},
	}
	if _, err := f.store.Import(context.Background(), layers.ImportSpec{Layer: "zone_po", Kind: layers.KindZoning, SRID: 4326,
		Roles: []string{layers.RoleZoning}, Source: layers.SourceInfo{Name: "zone-" + day + ".gpkg"}, ValidFrom: &from}, layers.NewSliceReader(feats)); err != nil {
		t.Fatal(err)
	}
	if err := f.cat.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	ctx := context.Background()
	pool := dbtest.Pool(t)
	if err := layers.Migrate(ctx, pool); err != nil {
		t.Fatal(err)
	}
	f := &fixture{pool: pool, store: layers.NewStore(pool, nil), cat: layers.NewCatalog(pool, nil), plans: planning.NewStore(pool)}
	since := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	parcel := layers.Feature{Record: int64(1), Geometry: rect(x0, y0, x0+w, y0+w), Props: map[string]any{"comune": "E715", "foglio": "37",
		"particella": "125", "allegato": "0", "sviluppo": "0", "ref": "E715_003700.125"}}
	if _, err := f.store.Import(ctx, layers.ImportSpec{Layer: "catasto", Kind: layers.KindCadastral, SRID: 4326, Roles: []string{layers.RoleCadastre},
		Source: layers.SourceInfo{Name: "catasto.gml"}, ValidFrom: &since}, layers.NewSliceReader([]layers.Feature{parcel})); err != nil {
		t.Fatal(err)
	}
	f.importZoning(t, "2024-01-01", 0.3)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	d := func(s string) time.Time { v, _ := layers.ParseDay(s); return v }
	must(f.plans.AddPlan(ctx, planning.Plan{Code: "po", Name: "Piano Operativo", Kind: planning.KindPO}))
	must(f.plans.AddAct(ctx, "po", planning.Act{Kind: planning.ActAdoption, Number: "12", Date: d("2019-03-10"), Body: "Consiglio comunale"}))
	must(f.plans.AddAct(ctx, "po", planning.Act{Kind: planning.ActApproval, Number: "40", Date: d("2019-11-20"), Body: "Consiglio comunale"}))
	must(f.plans.Attach(ctx, "po", "zone_po", layers.RoleZoning))
	arts, err := planning.ParseNTA(strings.NewReader("## Art. 12 – Zona B1\nZone: B1\nNella zona B1 sono ammessi interventi di completamento.\n\n## Art. 26 – Zona E1\nZone: E1\nLa zona E1 è agricola.\n"))
	must(err)
	_, err = f.plans.ImportNTA(ctx, planning.NTAImport{Plan: "po", Articles: arts, SourceName: "nta.md"})
	must(err)
	rep := reports.New(pool, access.NewCatalog(f.cat), reports.Options{Comune: "Comune di Prova", MaxParcels: 10, Planning: f.plans,
		Now: func() time.Time { return fixedNow }})
	f.svc = New(pool, rep, Options{Software: "sit test", Now: func() time.Time { return fixedNow }})
	return f
}

func (f *fixture) request(protocol string) Request {
	day := time.Date(2026, 2, 20, 0, 0, 0, 0, layers.Rome())
	return Request{Parcels: []string{"37/125"}, Protocol: protocol, Requester: "Mario Rossi", RequesterID: "RSSMRA70A01E715X",
		RequestDate: &day, Purpose: "compravendita", StampID: "01201234567890", StampAmount: 16, Officer: "Arch. Anna Bianchi",
		OfficerTitle: "Il Responsabile del Servizio Urbanistica", IssuedBy: "cli:test", BaseURL: "https://sit.example.org"}
}

func b1Pct(t *testing.T, rep reports.ZoningReport) float64 {
	t.Helper()
	for _, pc := range rep.Parcels[0].Zoning {
		if pc.ZoneCode == "B1" {
			return pc.Pct
		}
	}
	t.Fatalf("no B1 in %+v", rep.Parcels[0].Zoning)
	return 0
}

// TestIssueVerifyAfterImports: a certificate issued on zoning v1 (B1 30 %)
// verifies to the same content after v2 (B1 60 %) and a third import,
// its PDF intact and rebuilt byte for byte; the register lists it with
// its number and protocol; a second one the next day takes number 2.
func TestIssueVerifyAfterImports(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	e, pdf, err := f.svc.Issue(ctx, f.request("2026/0001234"))
	if err != nil {
		t.Fatal(err)
	}
	if e.Number != "1/2026" || !bytes.HasPrefix(pdf, []byte("%PDF-")) || e.LayerVersions["zone_po"] != 1 || e.NTAVersions["po"] != 1 ||
		e.VerifyURL != "https://sit.example.org/verify/"+e.Code {
		t.Fatalf("issued %+v", e)
	}
	if _, ok := NormalizeCode(strings.ToLower(strings.ReplaceAll(e.Code, "-", " "))); !ok {
		t.Fatalf("code %s does not read back", e.Code)
	}
	f.importZoning(t, "2026-03-01", 0.6)
	f.importZoning(t, "2026-03-02", 0.9)
	v, stored, err := f.svc.Verify(ctx, e.Code)
	if err != nil {
		t.Fatal(err)
	}
	if !v.PDFIntact || !v.PDFRebuilt || !v.Recomputed || !bytes.Equal(stored, pdf) {
		t.Fatalf("verification: intact %t rebuilt %t recomputed %t (%s)", v.PDFIntact, v.PDFRebuilt, v.Recomputed, v.Why)
	}
	if pct := b1Pct(t, v.Content); pct < 29.9 || pct > 30.1 {
		t.Fatalf("the certificate's B1 is %.2f %%, want v1's 30 %%", pct)
	}
	arts := v.Content.Parcels[0].Articles
	if len(arts) != 2 || !strings.Contains(arts[0].Articles[0].Body+arts[1].Articles[0].Body, "interventi di completamento") {
		t.Fatalf("articles quoted: %+v", arts)
	}
	if len(v.Content.Instruments) != 1 || v.Content.Instruments[0].Code != "po" {
		t.Fatalf("instruments: %+v", v.Content.Instruments)
	}
	// Issued now, the same parcel shows v3.
	f.svc.opt.Now = func() time.Time { return fixedNow.Add(24 * time.Hour) }
	e2, _, err := f.svc.Issue(ctx, f.request("2026/0001300"))
	if err != nil {
		t.Fatal(err)
	}
	v2, _, err := f.svc.Verify(ctx, e2.Code)
	if err != nil || e2.Number != "2/2026" || e2.LayerVersions["zone_po"] != 3 || b1Pct(t, v2.Content) < 89.9 {
		t.Fatalf("second certificate %+v: %v", e2, err)
	}
	list, err := f.svc.List(ctx, Query{Text: "0001234"})
	if err != nil || len(list) != 1 || list[0].Protocol != "2026/0001234" || list[0].Number != "1/2026" || list[0].Code != e.Code {
		t.Fatalf("register search: %+v %v", list, err)
	}
	all, _ := f.svc.List(ctx, Query{Year: 2026})
	csv := string(RegisterCSV(all))
	if len(all) != 2 || !strings.Contains(csv, "1/2026,2026/0001234,02/03/2026 10:30") || !strings.Contains(csv, "16,00") {
		t.Fatalf("register CSV:\n%s", csv)
	}
	// The same protocol twice is refused, naming it.
	_, _, err = f.svc.Issue(ctx, f.request("2026/0001234"))
	var p *httpx.Problem
	if !errors.As(err, &p) || p.Status != http.StatusConflict || p.Parameter != "protocol" {
		t.Fatalf("duplicate protocol: %v", err)
	}
}

// TestVerifyDetectsChanges: a certificate whose stored PDF was altered,
// or whose rules were re-imported under the recorded version, does not
// verify, and says why.
func TestVerifyDetectsChanges(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	e, _, err := f.svc.Issue(ctx, f.request("P-1"))
	if err != nil {
		t.Fatal(err)
	}
	// The owner may do anything; a tampered row is what the checks catch.
	if _, err := f.pool.Exec(ctx, `UPDATE sit_auth.certificates SET pdf = pdf || '\x00'::bytea WHERE code = $1`, e.Code); err != nil {
		t.Fatal(err)
	}
	if _, err := f.pool.Exec(ctx, `UPDATE sit.nta_articles SET body = 'altro testo' WHERE plan = 'po' AND number = '12'`); err != nil {
		t.Fatal(err)
	}
	v, _, err := f.svc.Verify(ctx, e.Code)
	if err != nil {
		t.Fatal(err)
	}
	if v.PDFIntact || v.PDFRebuilt || v.Recomputed || v.Why == "" {
		t.Fatalf("tampered: intact %t rebuilt %t recomputed %t (%s)", v.PDFIntact, v.PDFRebuilt, v.Recomputed, v.Why)
	}
}

// TestRetentionKeepsPinnedVersions: the version a certificate recorded
// outlives the retention policy, so it still recomputes.
func TestRetentionKeepsPinnedVersions(t *testing.T) {
	f := newFixture(t)
	f.store = f.store.WithRetention(layers.Retention{Keep: 1})
	ctx := context.Background()
	e, _, err := f.svc.Issue(ctx, f.request("P-2"))
	if err != nil {
		t.Fatal(err)
	}
	f.importZoning(t, "2026-03-01", 0.6)
	f.importZoning(t, "2026-03-02", 0.9)
	hist, err := layers.History(ctx, f.pool, "zone_po")
	if err != nil || len(hist) != 3 || hist[0].DroppedAt != nil || !hist[0].Pinned || hist[1].DroppedAt == nil {
		t.Fatalf("history: %+v %v", hist, err)
	}
	v, _, err := f.svc.Verify(ctx, e.Code)
	if err != nil || !v.Recomputed {
		t.Fatalf("after retention: %+v %v", v.Why, err)
	}
}

func TestRequestCheck(t *testing.T) {
	ok := Request{Parcels: []string{"1/2"}, Protocol: "1", Requester: "a", Purpose: "b", Officer: "c", StampExemption: "DPR 642/1972 all. B"}
	for _, c := range []struct {
		name, param string
		edit        func(r *Request)
	}{
		{"ok", "", func(*Request) {}},
		{"no protocol", "protocol", func(r *Request) { r.Protocol = " " }},
		{"no officer", "officer", func(r *Request) { r.Officer = "" }},
		{"no stamp", "stamp_id", func(r *Request) { r.StampExemption = "" }},
		{"stamp and exemption", "stamp_exemption", func(r *Request) { r.StampID, r.StampAmount = "x", 16 }},
		{"amount without id", "stamp_id", func(r *Request) { r.StampExemption, r.StampAmount = "", 16 }},
		{"bad amount", "stamp_amount", func(r *Request) { r.StampExemption, r.StampID, r.StampAmount = "", "x", -1 }},
		{"no parcels", "parcels", func(r *Request) { r.Parcels = nil }},
		{"future", "at", func(r *Request) { r.At = fixedNow.Add(time.Hour) }},
		{"newline", "requester", func(r *Request) { r.Requester = "a\nb" }},
	} {
		r := ok
		c.edit(&r)
		err := r.Check(fixedNow)
		var p *httpx.Problem
		if (c.param == "" && err != nil) || (c.param != "" && (!errors.As(err, &p) || p.Parameter != c.param)) {
			t.Errorf("%s: %v", c.name, err)
		}
	}
}
