package tiles

import (
	"bytes"
	"context"
	"log"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sit-gis/sit/access"

	"github.com/protomaps/go-pmtiles/pmtiles"
)

// verify runs go-pmtiles' own verifier (what `go-pmtiles verify` runs) and
// fails on an error or an Invalid line.
func verify(t *testing.T, file string) {
	t.Helper()
	var buf bytes.Buffer
	if err := pmtiles.Verify(log.New(&buf, "", 0), file); err != nil {
		t.Fatalf("verify: %v\n%s", err, buf.String())
	}
	if strings.Contains(buf.String(), "Invalid") {
		t.Fatalf("verify:\n%s", buf.String())
	}
}

func TestExportPMTilesSameBytesAsDynamic(t *testing.T) {
	db := newTestDB(t)
	svc := New(db.pool, access.NewCatalog(db.cat), Options{CacheBytes: 1 << 20})
	ctx := context.Background()
	out := filepath.Join(t.TempDir(), "lucca.pmtiles")
	var calls int64
	res, err := svc.ExportPMTiles(ctx, out, ExportOptions{Layers: mustLayers(t, svc, "zoning,parcels"), MinZoom: 8, MaxZoom: 16,
		Workers: 3, Name: "lucca", Generator: "test", Progress: func(done, total int64) { calls = done }})
	if err != nil {
		t.Fatal(err)
	}
	if res.Addressed == 0 || res.Planned < res.Addressed || calls != res.Planned || res.MinZoom != 10 || res.MaxZoom != 16 {
		t.Fatalf("result %+v (progress %d)", res, calls)
	}
	verify(t, out)
	if st, err := os.Stat(out); err != nil || st.Mode().Perm() != 0o644 {
		t.Errorf("archive mode %v, %v: want 0644 for publishing", st.Mode(), err)
	}
	h, meta, err := headerBytes(out)
	if err != nil {
		t.Fatal(err)
	}
	if !h.Clustered || h.TileType != pmtiles.Mvt || h.TileCompression != pmtiles.Gzip || h.MinZoom != 10 || h.MaxZoom != 16 {
		t.Fatalf("header %+v", h)
	}
	vls, _ := meta["vector_layers"].([]any)
	if len(vls) != 2 || !strings.Contains(meta["attribution"].(string), "test parcels") {
		t.Fatalf("metadata %v", meta)
	}

	arch, err := NewArchives(filepath.Dir(out), "public, max-age=1", nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, z := range []int{10, 12, 14, 15, 16} {
		tile := tileAt(z)
		t.Run(tile.String(), func(t *testing.T) {
			dyn, err := svc.Tile(ctx, TileRequest{Layers: "zoning,parcels", Tile: tile, AcceptEncoding: "gzip"})
			if err != nil {
				t.Fatal(err)
			}
			got, err := arch.Tile(ctx, "lucca", tile, "gzip", "")
			if err != nil {
				t.Fatal(err)
			}
			if got.Status != dyn.Status || !bytes.Equal(got.Body, dyn.Body) {
				t.Fatalf("archive: %d, %d bytes; dynamic: %d, %d bytes", got.Status, len(got.Body), dyn.Status, len(dyn.Body))
			}
			if dyn.Status == 200 && len(decode(t, got)) == 0 {
				t.Fatal("archived tile decodes to nothing")
			}
		})
	}
	// Outside the box and outside the zooms: empty.
	for _, tile := range []TileID{{Z: 16, X: 0, Y: 0}, {Z: 18, X: tileAt(18).X, Y: tileAt(18).Y}} {
		if r, err := arch.Tile(ctx, "lucca", tile, "gzip", ""); err != nil || r.Status != 204 {
			t.Errorf("tile %s: %v %v, want 204", tile, r, err)
		}
	}
}

func TestExportPMTilesErrors(t *testing.T) {
	svc := New(bytesDB{body: []byte("x")}, access.NewCatalog(testCatalog()), Options{})
	ls := mustLayers(t, svc, "parcels")
	dir := t.TempDir()
	tests := []struct {
		name string
		o    ExportOptions
		want string
	}{
		{"no layers", ExportOptions{MinZoom: 0, MaxZoom: 1}, "no layers"},
		{"zooms reversed", ExportOptions{Layers: ls, MinZoom: 5, MaxZoom: 3}, "zooms"},
		{"zoom too deep", ExportOptions{Layers: ls, MinZoom: 5, MaxZoom: 30}, "zooms"},
		{"below the layer", ExportOptions{Layers: ls, MinZoom: 0, MaxZoom: 10}, "no layer is drawn"},
		{"bbox elsewhere", ExportOptions{Layers: ls, MinZoom: 14, MaxZoom: 14, BBox: &[4]float64{0, 0, 1, 1}}, "does not meet"},
		{"bbox reversed", ExportOptions{Layers: ls, MinZoom: 14, MaxZoom: 14, BBox: &[4]float64{11, 44, 10, 43}}, "west must be"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := svc.ExportPMTiles(context.Background(), filepath.Join(dir, "x.pmtiles"), tc.o)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
		})
	}
}
