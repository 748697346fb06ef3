package tiles

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"sort"
	"sync"
	"testing"

	"github.com/sit-gis/sit/access"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/maptile"

	"github.com/sit-gis/sit/internal/httpx"
	"github.com/sit-gis/sit/layers"
	"github.com/sit-gis/sit/tiles/internal/fixture"
)

// decode reads a tile body (gzip or not) into its layers.
func decode(t *testing.T, resp *Response) mvt.Layers {
	t.Helper()
	if resp.Status == http.StatusNoContent {
		return nil
	}
	if resp.Status != http.StatusOK {
		t.Fatalf("status %d", resp.Status)
	}
	var ls mvt.Layers
	var err error
	if resp.Header.Get("Content-Encoding") == "gzip" {
		ls, err = mvt.UnmarshalGzipped(resp.Body)
	} else {
		ls, err = mvt.Unmarshal(resp.Body)
	}
	if err != nil {
		t.Fatalf("decode tile: %v", err)
	}
	return ls
}

func layerByName(ls mvt.Layers, name string) *mvt.Layer {
	for _, l := range ls {
		if l.Name == name {
			return l
		}
	}
	return nil
}

// tileAt is the tile of zoom z that holds the centre of the test box.
func tileAt(z int) TileID {
	mt := maptile.At(small.Center(), maptile.Zoom(z))
	return TileID{Z: z, X: int(mt.X), Y: int(mt.Y)}
}

func TestTileCountsEqualPostGIS(t *testing.T) {
	db := newTestDB(t)
	svc := New(db.pool, access.NewCatalog(db.cat), Options{CacheBytes: 1 << 20})
	ctx := context.Background()
	for _, z := range []int{14, 16, 17} {
		tile := tileAt(z)
		t.Run(tile.String(), func(t *testing.T) {
			resp, err := svc.Tile(ctx, TileRequest{Layers: "parcels", Tile: tile, AcceptEncoding: "gzip"})
			if err != nil {
				t.Fatal(err)
			}
			l := layerByName(decode(t, resp), "parcels")
			if l == nil {
				t.Fatal("no parcels layer in the tile")
			}
			if l.Extent != Extent {
				t.Errorf("extent %d, want %d", l.Extent, Extent)
			}
			if tile.Z < parcelOutlineZoom {
				checkOutlines(t, db, tile, l)
				return
			}
			// Every parcel that meets the buffered tile is in it...
			var buffered, inner int
			err = db.pool.QueryRow(ctx, `SELECT
				count(*) FILTER (WHERE ST_Intersects(geom_3857, ST_TileEnvelope($1, $2, $3, margin => $4))),
				count(*) FILTER (WHERE ST_Intersects(geom_3857, ST_TileEnvelope($1, $2, $3)))
				FROM sit_data.parcels`, tile.Z, tile.X, tile.Y, bufferMargin).Scan(&buffered, &inner)
			if err != nil {
				t.Fatal(err)
			}
			if len(l.Features) != buffered {
				t.Errorf("tile has %d parcels, PostGIS counts %d meeting the buffered tile", len(l.Features), buffered)
			}
			// ...and those that meet the tile itself are the ones drawn inside 0..4096.
			drawn := 0
			for _, f := range l.Features {
				b := f.Geometry.Bound()
				if b.Max[0] > 0 && b.Min[0] < Extent && b.Max[1] > 0 && b.Min[1] < Extent {
					drawn++
				}
			}
			if drawn != inner {
				t.Errorf("%d parcels drawn inside the tile, PostGIS counts %d intersecting it", drawn, inner)
			}
			if inner == 0 {
				t.Fatal("test tile has no parcels: the fixture box moved?")
			}
			// Label points: one per parcel whose point on surface is in the tile.
			var labels int
			if err := db.pool.QueryRow(ctx, `SELECT count(*) FROM sit_data.parcels
				WHERE ST_Intersects(ST_PointOnSurface(geom_3857), ST_TileEnvelope($1, $2, $3))`, tile.Z, tile.X, tile.Y).Scan(&labels); err != nil {
				t.Fatal(err)
			}
			lr, err := svc.Tile(ctx, TileRequest{Layers: LabelLayer("parcels"), Tile: tile})
			if err != nil {
				t.Fatal(err)
			}
			ll := layerByName(decode(t, lr), LabelLayer("parcels"))
			switch {
			case tile.Z < 17 && ll != nil:
				t.Errorf("label points below z17")
			case tile.Z >= 17 && (ll == nil || len(ll.Features) != labels):
				t.Errorf("label points: %v, PostGIS counts %d", ll, labels)
			}
		})
	}
}

// checkOutlines checks a tile of outlined parcels against PostGIS: one
// line feature per foglio meeting the buffered tile, its attributes the
// foglio's key, its parts the boundary rings of the foglio's parcels there
// (not clipped, not dissolved: a shared edge is drawn by both parcels).
func checkOutlines(t *testing.T, db *testDB, tile TileID, l *mvt.Layer) {
	t.Helper()
	rows, err := db.pool.Query(context.Background(), `SELECT comune, foglio, sum(ST_NumGeometries(ST_Multi(ST_Boundary(geom_3857))))
		FROM sit_data.parcels WHERE geom_3857 && ST_TileEnvelope($1, $2, $3, margin => $4) GROUP BY comune, foglio`,
		tile.Z, tile.X, tile.Y, bufferMargin)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{}
	for rows.Next() {
		var comune, foglio string
		var rings int
		if err := rows.Scan(&comune, &foglio, &rings); err != nil {
			t.Fatal(err)
		}
		want[comune+"/"+foglio] = rings
	}
	if rows.Err() != nil {
		t.Fatal(rows.Err())
	}
	if len(want) < 2 {
		t.Fatalf("the test tile meets %d fogli: the fixture box moved?", len(want))
	}
	got := map[string]int{}
	for _, f := range l.Features {
		var parts int
		switch g := f.Geometry.(type) {
		case orb.MultiLineString:
			parts = len(g)
		case orb.LineString:
			parts = 1
		default:
			t.Fatalf("outline feature is a %s", f.Geometry.GeoJSONType())
		}
		if len(f.Properties) != 2 {
			t.Errorf("outline attributes %v, want comune and foglio", f.Properties)
		}
		got[fmt.Sprint(f.Properties["comune"], "/", f.Properties["foglio"])] += parts
	}
	if len(l.Features) != len(want) || !maps.Equal(got, want) {
		t.Errorf("outlines (foglio → rings) %v, PostGIS %v", got, want)
	}
}

func TestTileZoomRulesAndAttributes(t *testing.T) {
	db := newTestDB(t)
	svc := New(db.pool, access.NewCatalog(db.cat), Options{})
	ctx := context.Background()
	tests := []struct {
		name      string
		layers    string
		z         int
		wantLayer map[string][]string // layer → attribute keys (sorted); absent layers must be absent
	}{
		{"parcels hidden below z14", "parcels", 13, nil},
		{"zoning alone at z12", "zoning,parcels", 12, map[string][]string{"zoning": {"zone_class", "zone_code"}}},
		{"parcels at z14 as fogli's outlines", "parcels", 14, map[string][]string{"parcels": {"comune", "foglio"}}},
		{"parcels at z15 with foglio/particella", "parcels", 15, map[string][]string{"parcels": {"foglio", "particella"}}},
		{"parcels at z16 with more", "parcels", 16, map[string][]string{"parcels": {"area_m2", "foglio", "particella", "ref"}}},
		{"zoning in full at z15", "zoning", 15, map[string][]string{"zoning": {"description", "norm_ref", "plan", "zone_class", "zone_code"}}},
		{"parcels at z17, no label points unless asked", "parcels", 17, map[string][]string{"parcels": {"area_m2", "foglio", "particella", "ref"}}},
		{"label points asked for at z17", "parcels:labels,zoning:labels", 17, map[string][]string{
			"parcels:labels": {"particella"}, "zoning:labels": {"zone_code"}}},
		{"no parcel label points before z17", "parcels:labels", 16, nil},
		{"three layers at z16", "zoning,parcels,broadband", 16, map[string][]string{
			"zoning":    {"description", "norm_ref", "plan", "zone_class", "zone_code"},
			"parcels":   {"area_m2", "foglio", "particella", "ref"},
			"broadband": {"area_class", "max_down_mbps", "max_up_mbps", "operator", "snapshot", "speed_band", "technology"},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, err := svc.Tile(ctx, TileRequest{Layers: tc.layers, Tile: tileAt(tc.z)})
			if err != nil {
				t.Fatal(err)
			}
			if tc.wantLayer == nil {
				if resp.Status != http.StatusNoContent {
					t.Fatalf("status %d, want 204", resp.Status)
				}
				if resp.Header.Get("ETag") == "" {
					t.Error("an empty tile needs an ETag too")
				}
				return
			}
			ls := decode(t, resp)
			if len(ls) != len(tc.wantLayer) {
				t.Errorf("tile has %d layers, want %d", len(ls), len(tc.wantLayer))
			}
			for name, want := range tc.wantLayer {
				l := layerByName(ls, name)
				if l == nil || len(l.Features) == 0 {
					t.Fatalf("layer %s missing or empty", name)
				}
				keys := map[string]bool{}
				for _, f := range l.Features {
					for k := range f.Properties {
						keys[k] = true
					}
					if f.ID == nil && tc.z >= parcelOutlineZoom {
						t.Fatalf("layer %s: feature without id", name)
					}
				}
				var got []string
				for k := range keys {
					got = append(got, k)
				}
				sort.Strings(got)
				if !slices.Equal(got, want) {
					t.Errorf("layer %s attributes %v, want %v", name, got, want)
				}
			}
		})
	}
}

func TestTileCacheETagAndReimport(t *testing.T) {
	db := newTestDB(t)
	cdb := &countingDB{DB: db.pool}
	svc := New(cdb, access.NewCatalog(db.cat), Options{CacheBytes: 1 << 20, CacheControl: "public, max-age=5"})
	ctx := context.Background()
	tile := tileAt(16)
	get := func(t *testing.T, layers, inm string) *Response {
		t.Helper()
		resp, err := svc.Tile(ctx, TileRequest{Layers: layers, Tile: tile, AcceptEncoding: "gzip, deflate", IfNoneMatch: inm})
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}
	p1 := get(t, "parcels", "")
	z1 := get(t, "zoning", "")
	if p1.Header.Get("Cache-Control") != "public, max-age=5" || p1.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("headers %v", p1.Header)
	}
	n := cdb.n.Load()
	if again := get(t, "parcels", ""); !bytes.Equal(again.Body, p1.Body) || again.Header.Get("ETag") != p1.Header.Get("ETag") || cdb.n.Load() != n {
		t.Fatalf("a warm tile must come from the cache with the same ETag (queries %d → %d)", n, cdb.n.Load())
	}
	if r := get(t, "parcels", p1.Header.Get("ETag")); r.Status != http.StatusNotModified {
		t.Fatalf("If-None-Match: status %d, want 304", r.Status)
	}

	// Re-import parcels with different features: the window first (the
	// catalog has not heard), then the refresh.
	db.loadNoRefresh(t, "parcels", layers.KindCadastral, fixture.Parcels(500, small, 2))
	svc2 := New(cdb, access.NewCatalog(db.cat), Options{CacheBytes: 1 << 20}) // a cold instance in the window
	w, err := svc2.Tile(ctx, TileRequest{Layers: "parcels", Tile: tile})
	if err != nil {
		t.Fatal(err)
	}
	if w.Header.Get("Cache-Control") != "no-store" || w.Header.Get("ETag") != "" {
		t.Errorf("a tile made in the window must not be cacheable: %v", w.Header)
	}
	if st := svc2.Cache().Stats(); st.Entries != 0 {
		t.Errorf("the window's tile was cached: %+v", st)
	}
	if err := db.cat.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	p2 := get(t, "parcels", p1.Header.Get("ETag"))
	if p2.Status != http.StatusOK || p2.Header.Get("ETag") == p1.Header.Get("ETag") || bytes.Equal(p2.Body, p1.Body) {
		t.Fatalf("after re-import: status %d, ETag %s (was %s): want 200, new ETag, new content", p2.Status, p2.Header.Get("ETag"), p1.Header.Get("ETag"))
	}
	if len(layerByName(decode(t, p2), "parcels").Features) >= len(layerByName(decode(t, p1), "parcels").Features) {
		t.Error("the new import has 4× fewer parcels; the tile should have fewer")
	}
	// The zoning layer did not change: same ETag, 304.
	if r := get(t, "zoning", z1.Header.Get("ETag")); r.Status != http.StatusNotModified || r.Header.Get("ETag") != z1.Header.Get("ETag") {
		t.Fatalf("unchanged layer: status %d ETag %s, want 304 with %s", r.Status, r.Header.Get("ETag"), z1.Header.Get("ETag"))
	}
}

func TestTileIdentityForClientsWithoutGzip(t *testing.T) {
	db := newTestDB(t)
	svc := New(db.pool, access.NewCatalog(db.cat), Options{CacheBytes: 1 << 20})
	ctx := context.Background()
	tile := tileAt(15)
	gz, err := svc.Tile(ctx, TileRequest{Layers: "parcels,zoning", Tile: tile, AcceptEncoding: "gzip"})
	if err != nil {
		t.Fatal(err)
	}
	id, err := svc.Tile(ctx, TileRequest{Layers: "parcels,zoning", Tile: tile, AcceptEncoding: "gzip;q=0, identity"})
	if err != nil {
		t.Fatal(err)
	}
	if gz.Header.Get("Content-Encoding") != "gzip" || id.Header.Get("Content-Encoding") != "" {
		t.Fatalf("encodings %q and %q", gz.Header.Get("Content-Encoding"), id.Header.Get("Content-Encoding"))
	}
	raw, err := httpx.Gunzip(gz.Body)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(raw, id.Body) {
		t.Fatal("the identity body is not the gunzipped gzip body")
	}
	if gz.Header.Get("ETag") == id.Header.Get("ETag") {
		t.Error("two encodings of a tile need two strong ETags")
	}
	direct, err := svc.Render(ctx, mustLayers(t, svc, "parcels,zoning"), tile)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(direct, raw) {
		t.Error("Render (used by the export) differs from the served tile")
	}
}

func mustLayers(t *testing.T, s *Service, list string) []layers.Layer {
	t.Helper()
	ls, err := s.ResolveLayers(context.Background(), list)
	if err != nil {
		t.Fatal(err)
	}
	return ls
}

func TestTileSingleFlight(t *testing.T) {
	db := newTestDB(t)
	cdb := &countingDB{DB: db.pool}
	svc := New(cdb, access.NewCatalog(db.cat), Options{CacheBytes: 1 << 20})
	tile := tileAt(14)
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	start := make(chan struct{})
	for i := 0; i < 16; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			resp, err := svc.Tile(context.Background(), TileRequest{Layers: "parcels,zoning,broadband", Tile: tile})
			if err == nil && resp.Status != http.StatusOK {
				err = fmt.Errorf("status %d", resp.Status)
			}
			errs <- err
		}()
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	// Single flight joins the requests that overlap; a late one hits the
	// cache. Either way, one statement.
	if n := cdb.n.Load(); n != 1 {
		t.Fatalf("%d statements for one cold tile asked 16 times at once, want 1", n)
	}
}
