package main

import (
	"context"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sit-gis/sit/internal/dbtest"
)

// roundRobin is a test load balancer: each request goes to the next backend.
func roundRobin(t *testing.T, backends ...string) *httptest.Server {
	t.Helper()
	var proxies []*httputil.ReverseProxy
	for _, b := range backends {
		u, err := url.Parse(b)
		if err != nil {
			t.Fatal(err)
		}
		proxies = append(proxies, httputil.NewSingleHostReverseProxy(u))
	}
	var n atomic.Uint64
	lb := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		proxies[n.Add(1)%uint64(len(proxies))].ServeHTTP(w, r)
	}))
	t.Cleanup(lb.Close)
	return lb
}

// servedVersions is every layer's version in a server's catalog (/layers).
func servedVersions(t *testing.T, base string) map[string]int {
	t.Helper()
	var doc struct {
		Layers []struct {
			Name    string `json:"name"`
			Version int    `json:"version"`
		} `json:"layers"`
	}
	getJSON(t, base+"/layers", &doc)
	out := map[string]int{}
	for _, l := range doc.Layers {
		out[l.Name] = l.Version
	}
	return out
}

// dbVersions is every layer's version in the database's catalog.
func dbVersions(t *testing.T, dbURL string) map[string]int {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	rows, err := conn.Query(ctx, "SELECT name, version FROM sit.layers")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	for rows.Next() {
		var name string
		var v int
		if err := rows.Scan(&name, &v); err != nil {
			t.Fatal(err)
		}
		out[name] = v
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestServeInstancesAgreeAfterImport: two `sit serve` processes on one
// database behind a load balancer agree on every layer version soon after
// each import: well before the catalog's poll (the import's NOTIFY reaches
// both; the delay is logged, tens of milliseconds here, and the bound is
// loose so that a busy machine does not fail it). Through the balancer no
// tile, page or catalog of an older version is served after that (the tile
// caches, warm before the import, are keyed by version), and both servers
// give the same answer and the same tile ETag.
func TestServeInstancesAgreeAfterImport(t *testing.T) {
	t.Parallel()
	// Under the catalog's 15 s poll: only the notification can be this quick.
	const agreeWithin = 5 * time.Second
	db := dbtest.Roles(t)
	dir := t.TempDir()
	if _, errOut, code := sitImport(t, db.Owner, plotsFile(t, dir, "v1", 30), "--layer", "plots"); code != 0 {
		t.Fatalf("import v1: %s", errOut)
	}
	if _, errOut, code := sitImport(t, db.Owner, plotsFile(t, dir, "other", 5), "--layer", "other"); code != 0 {
		t.Fatalf("import other: %s", errOut)
	}
	a := startServe(t, db.Reader)
	b := startServe(t, db.Reader)
	lb := roundRobin(t, a.base, b.base)
	prev := askPlots(t, lb.URL)
	for i := 0; i < 3; i++ {
		if got := askPlots(t, lb.URL); got != prev {
			t.Fatalf("the two servers disagree before any import: %+v and %+v", prev, got)
		}
	}
	for round := 2; round <= 4; round++ {
		label := "v" + strconv.Itoa(round)
		if _, errOut, code := sitImport(t, db.Owner, plotsFile(t, dir, label, 30+round), "--layer", "plots", "--replace"); code != 0 {
			t.Fatalf("import %s: %s", label, errOut)
		}
		imported := time.Now() // the import has committed: sit import has returned
		want := dbVersions(t, db.Owner)
		for _, s := range []*liveServer{a, b} {
			for got := servedVersions(t, s.base); !maps.Equal(got, want); got = servedVersions(t, s.base) {
				if time.Since(imported) > agreeWithin {
					t.Fatalf("round %d: %s still serves %v %v after the import, the database has %v", round, s.base, got, agreeWithin, want)
				}
				time.Sleep(10 * time.Millisecond)
			}
		}
		t.Logf("round %d: both servers on the new version %v after the import", round, time.Since(imported).Round(time.Millisecond))
		first := askPlots(t, lb.URL)
		if first.version != round || first.label != label || first.etag == prev.etag {
			t.Fatalf("round %d through the balancer: %+v (before the import %+v)", round, first, prev)
		}
		for i := 0; i < 3; i++ {
			if got := askPlots(t, lb.URL); got != first {
				t.Fatalf("round %d, request %d: the two servers disagree: %+v and %+v", round, i, first, got)
			}
		}
		prev = first
	}
}
