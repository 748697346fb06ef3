package ingest

import (
	"archive/zip"
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/sit-gis/sit/importers/bulk/bulktest"
	"github.com/sit-gis/sit/layers"
)

// count runs a count query on the owner's pool.
func count(t *testing.T, store *layers.Store, q string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := store.Pool().QueryRow(context.Background(), q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

func totals(cs []bulktest.Comune) (parcels, sheets int64) {
	for _, c := range cs {
		parcels += int64(c.Parcels())
		sheets += int64(c.Fogli)
	}
	return
}

func TestBulkRegionInOneImport(t *testing.T) {
	cs := bulktest.Tuscany()
	for _, method := range []uint16{zip.Store, zip.Deflate} {
		t.Run(map[uint16]string{zip.Store: "stored", zip.Deflate: "compressed"}[method], func(t *testing.T) {
			store := newStore(t)
			path := bulktest.Write(t, t.TempDir(), bulktest.Layout{Region: "TOSCANA", Nested: method}, cs)
			rep, err := run(t, store, Request{Path: path, Layer: "catasto"})
			if err != nil {
				t.Fatalf("run: %v %v", err, rep.errs)
			}
			if len(rep.begun) != 1 || rep.begun[0] != "catasto_particelle + catasto_fogli" {
				t.Errorf("progress bars %v; want one over both layers", rep.begun)
			}
			parcels, sheets := totals(cs)
			if txt := rep.noticeText(); !strings.Contains(txt, fmt.Sprintf("layers catasto_particelle, catasto_fogli: %d features in one transaction in ", parcels+sheets)) {
				t.Errorf("notices:\n%s", txt)
			}
			if n := count(t, store, "SELECT count(*) FROM sit_data.catasto_particelle"); n != parcels {
				t.Errorf("%d parcels, want %d", n, parcels)
			}
			if n := count(t, store, "SELECT count(*) FROM sit_data.catasto_fogli"); n != sheets {
				t.Errorf("%d sheets, want %d", n, sheets)
			}
			// Exactly the members' parcels: every (comune, foglio, particella) once.
			for _, c := range cs {
				n := count(t, store, "SELECT count(DISTINCT (foglio, particella)) FROM sit_data.catasto_particelle WHERE comune = $1 AND ref LIKE $1 || '\\_%'", c.Belfiore)
				if n != int64(c.Parcels()) {
					t.Errorf("%s: %d distinct parcels, want %d", c.Belfiore, n, c.Parcels())
				}
			}
			if n := count(t, store, "SELECT count(*) FROM sit_data.catasto_fogli WHERE comune IS NULL OR foglio IS NULL"); n != 0 {
				t.Errorf("%d sheets without comune or foglio", n)
			}
			p, _ := layers.GetLayer(context.Background(), store.Pool(), "catasto_particelle")
			f, _ := layers.GetLayer(context.Background(), store.Pool(), "catasto_fogli")
			if !p.HasRole(layers.RoleCadastre) || !f.HasRole(layers.RoleSheets) || p.Kind != layers.KindCadastral || f.Kind != layers.KindCadastral {
				t.Errorf("parcels %s %v, sheets %s %v", p.Kind, p.Roles, f.Kind, f.Roles)
			}
			if d, err := store.VersionRelease(context.Background(), "catasto_particelle", p.Version); err != nil || d.Format("2006-01-02") != "2025-06-30" {
				t.Errorf("release date %v %v, want the archive's 2025-06-30", d, err)
			}
		})
	}
}

func TestBulkComuneSelection(t *testing.T) {
	store := newStore(t)
	path := bulktest.Write(t, t.TempDir(), bulktest.Layout{Region: "TOSCANA", Nested: zip.Deflate}, bulktest.Tuscany())
	rep, err := run(t, store, Request{Path: path, Layer: "cap", Comuni: []string{"Capannori", "G702"}})
	if err != nil {
		t.Fatalf("run: %v %v", err, rep.errs)
	}
	if n := count(t, store, "SELECT count(*) FROM sit_data.cap_particelle WHERE comune NOT IN ('B648', 'G702')"); n != 0 {
		t.Errorf("%d parcels of comuni not selected", n)
	}
	if n := count(t, store, "SELECT count(*) FROM sit_data.cap_particelle"); n != 30+20 {
		t.Errorf("%d parcels, want 50", n)
	}
	if _, err := Prepare(Request{Path: comuniFile, Comuni: []string{"E715"}}); err == nil || !strings.Contains(err.Error(), "not an archive") {
		t.Errorf("--comune on a GeoJSON: %v", err)
	}
	// For another file, --comune is the comune owning a new layer.
	p, err := Prepare(Request{Path: comuniFile, Comuni: []string{"lucca"}})
	if err != nil || p.req.Comune != "lucca" || len(p.req.Comuni) != 0 {
		t.Errorf("--comune lucca on a GeoJSON: %v", err)
	} else {
		p.Close()
	}
	if _, err := Prepare(Request{Path: comuniFile, Comuni: []string{"lucca", "porcari"}}); err == nil || !strings.Contains(err.Error(), "give one --comune") {
		t.Errorf("two --comune on a GeoJSON: %v", err)
	}
}

// versionOf is the current version of a layer.
func versionOf(t *testing.T, store *layers.Store, layer string) int64 {
	t.Helper()
	return count(t, store, "SELECT version FROM sit.layers WHERE name = $1", layer)
}

func TestBulkDamagedMemberWritesNothing(t *testing.T) {
	store := newStore(t)
	dir := t.TempDir()
	cs := bulktest.Tuscany()
	if _, err := run(t, store, Request{Path: bulktest.Write(t, dir, bulktest.Layout{Region: "TOSCANA", Nested: zip.Store}, cs), Layer: "catasto"}); err != nil {
		t.Fatal(err)
	}
	// The next release: Lucca changed, and Pisa's sheets file is cut short.
	cs[0].Variant = 1
	edit := func(member string, b []byte) []byte {
		if strings.HasSuffix(member, "G702_PISA_map.gml") {
			return b[:len(b)*2/3]
		}
		return b
	}
	path := bulktest.Write(t, t.TempDir(), bulktest.Layout{Region: "TOSCANA", Nested: zip.Store, Edit: edit}, cs)
	rep, err := run(t, store, Request{Path: path, Layer: "catasto"})
	if err == nil {
		t.Fatal("a damaged member was imported")
	}
	var msgs []string
	for _, e := range rep.errs {
		if e != nil {
			msgs = append(msgs, e.Error())
		}
	}
	all := strings.Join(msgs, "\n")
	if !strings.Contains(all, "TOSCANA.zip/PI.zip/G702_PISA.zip/G702_PISA_map.gml: line ") {
		t.Errorf("errors %q do not name the member", all)
	}
	if !strings.Contains(all, "not imported: the import is all or nothing") {
		t.Errorf("errors %q do not say the parcels were not imported either", all)
	}
	for _, l := range []string{"catasto_particelle", "catasto_fogli"} {
		if v := versionOf(t, store, l); v != 1 {
			t.Errorf("%s at version %d after a failed import, want 1", l, v)
		}
	}
	if n := count(t, store, "SELECT count(*) FROM sit.imports WHERE status = 'failed'"); n != 2 {
		t.Errorf("%d failed imports recorded, want 2 (one per layer)", n)
	}
}

// rowHashes are the fid and the md5 of the whole row of every feature of
// a version's table (every column, geometry bytes included; as jsonb, so
// the order of the columns does not count), for the comuni given (or all
// but them when not in).
func rowHashes(t *testing.T, store *layers.Store, table string, comuni []string, in bool) map[string]string {
	t.Helper()
	op := "= ANY($1)"
	if !in {
		op = "<> ALL($1)"
	}
	rows, err := store.Pool().Query(context.Background(), "SELECT fid::text, md5(to_jsonb(t)::text || ST_AsEWKB(geom)::text || ST_AsEWKB(geom_3857)::text) FROM sit_versions."+table+" t WHERE comune "+op, comuni)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var fid, h string
		if err := rows.Scan(&fid, &h); err != nil {
			t.Fatal(err)
		}
		out[fid] = h
	}
	return out
}

func TestBulkReleaseTouchesOnlyChangedComuni(t *testing.T) {
	store := newStore(t)
	cs := bulktest.Tuscany()
	v1 := bulktest.Write(t, t.TempDir(), bulktest.Layout{Region: "TOSCANA", Nested: zip.Deflate}, cs)
	if _, err := run(t, store, Request{Path: v1, Layer: "catasto"}); err != nil {
		t.Fatal(err)
	}
	cs[1].Variant = 1 // Capannori moves: the next release
	v2 := bulktest.Write(t, t.TempDir(), bulktest.Layout{Region: "TOSCANA", Nested: zip.Deflate}, cs)
	rep, err := run(t, store, Request{Path: v2, Layer: "catasto", ReleaseDate: "2025-12-31"})
	if err != nil {
		t.Fatalf("run: %v %v", err, rep.errs)
	}
	if txt := rep.noticeText(); !strings.Contains(txt, "layer catasto_particelle, comuni: 1 changed (B648 CAPANNORI); 2 unchanged") {
		t.Errorf("notices:\n%s", txt)
	}
	if res := rep.results[0]; res.Loaded != 30 || res.Kept != 80 {
		t.Errorf("loaded %d kept %d, want 30 reloaded and 80 kept", res.Loaded, res.Kept)
	}
	for _, l := range []string{"catasto_particelle", "catasto_fogli"} {
		if v := versionOf(t, store, l); v != 2 {
			t.Fatalf("%s at version %d, want 2", l, v)
		}
		// The others' rows: same fids, same content, geometry bytes included.
		before := rowHashes(t, store, l+"_v1", []string{"B648"}, false)
		after := rowHashes(t, store, l+"_v2", []string{"B648"}, false)
		if len(before) == 0 || len(before) != len(after) {
			t.Fatalf("%s: %d rows of unchanged comuni before, %d after", l, len(before), len(after))
		}
		for fid, h := range before {
			if after[fid] != h {
				t.Fatalf("%s: row %s of an unchanged comune changed", l, fid)
			}
		}
		changedBefore := rowHashes(t, store, l+"_v1", []string{"B648"}, true)
		for fid, h := range rowHashes(t, store, l+"_v2", []string{"B648"}, true) {
			if changedBefore[fid] == h {
				t.Fatalf("%s: row %s of the changed comune is the old one", l, fid)
			}
		}
	}
	recs, err := store.Imports(context.Background(), "catasto_particelle", 1)
	if err != nil || len(recs) != 1 || recs[0].Message != "changed: B648 CAPANNORI; unchanged: 2" {
		t.Errorf("history %+v %v", recs, err)
	}
	if d, _ := store.VersionRelease(context.Background(), "catasto_particelle", 2); d.Format("2006-01-02") != "2025-12-31" {
		t.Errorf("release date %v, want --release-date's", d)
	}
	// The same release again: nothing to do.
	rep, err = run(t, store, Request{Path: v2, Layer: "catasto"})
	if err != nil || !strings.Contains(rep.noticeText(), "nothing changed") || versionOf(t, store, "catasto_particelle") != 2 {
		t.Errorf("re-import of the same release: %v\n%s", err, rep.noticeText())
	}
	// One comune alone adds to the layer; --replace makes the layer exactly it.
	rep, err = run(t, store, Request{Path: v2, Layer: "catasto", Comuni: []string{"E715"}, Replace: true})
	if err != nil {
		t.Fatalf("--replace: %v %v", err, rep.errs)
	}
	if n := count(t, store, "SELECT count(*) FROM sit_data.catasto_particelle WHERE comune <> 'E715'"); n != 0 {
		t.Errorf("--replace kept %d rows of other comuni", n)
	}
}
