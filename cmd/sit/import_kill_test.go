package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sit-gis/sit/internal/config"
	"github.com/sit-gis/sit/internal/dbtest"
	"github.com/sit-gis/sit/internal/logtest"
	"github.com/sit-gis/sit/internal/pg"
	"github.com/sit-gis/sit/internal/server"
	"github.com/sit-gis/sit/layers"
)

// TestImportKilledKeepsPreviousVersion kills import processes mid-way —
// SIGKILL while staging, SIGKILL while blocked on a lock a reader holds
// (no chance to clean up: the database sees the connection drop), SIGTERM
// while staging — and checks that the previous version still serves the
// same tiles with the same ETag, and that the very next `sit layers
// imports` shows each import as interrupted, with the phase it died in,
// before any other import runs.
func TestImportKilledKeepsPreviousVersion(t *testing.T) {
	t.Parallel()
	url := dbtest.URL(t)
	big, small := writeBigFile(t, 300000), writeBigFile(t, 2000)
	if _, errOut, code := runSit(t, "import", "--database-url", url, "../../data/admin/openpolis_limits_P_46_municipalities.geojson", "--layer", "strato"); code != 0 {
		t.Fatal(errOut)
	}
	tile := newTileProbe(t, url, "/tiles/strato/8/135/93.mvt")
	before := tile.get(t)
	for _, tc := range []killCase{
		{"SIGKILL while staging", syscall.SIGKILL, big, false},
		{"SIGKILL while waiting for a reader", syscall.SIGKILL, small, true},
		{"SIGTERM while staging", syscall.SIGTERM, big, false},
	} {
		t.Run(tc.name, func(t *testing.T) { tc.run(t, url, tile, before) })
	}
	// The next import closes the books on the killed ones and works.
	if _, errOut, code := runSit(t, "import", "--database-url", url, "../../data/admin/openpolis_limits_P_46_municipalities.geojson", "--layer", "strato"); code != 0 {
		t.Fatal(errOut)
	}
	var interrupted, running int
	var lastStatus string
	queryRow(t, url, `SELECT count(*) FILTER (WHERE status = 'interrupted'), count(*) FILTER (WHERE status = 'running'),
		(SELECT status || ' ' || phase FROM sit.imports ORDER BY id DESC LIMIT 1) FROM sit.imports WHERE layer = 'strato'`,
		&interrupted, &running, &lastStatus)
	if interrupted != 3 || running != 0 || lastStatus != "succeeded done" {
		t.Fatalf("imports: %d interrupted, %d running, the last %q; want 3, 0, succeeded done", interrupted, running, lastStatus)
	}
}

// killCase is one way of killing an import.
type killCase struct {
	name string
	sig  syscall.Signal
	file string
	// blocked: a reader of the layer holds it open, so that the import
	// waits for it when it swaps the new version in.
	blocked bool
}

// run starts the import, signals it where the case says, and checks what
// the history, the catalog and the served tile say after its death.
func (tc killCase) run(t *testing.T, url string, tile *tileProbe, before tileAnswer) {
	var last int64
	queryRow(t, url, "SELECT coalesce(max(id), 0) FROM sit.imports", &last)
	if tc.blocked {
		holdReader(t, url, "sit_data.strato")
	}
	cmd := exec.Command(os.Args[0], "import", "--database-url", url, tc.file, "--layer", "strato", "--replace")
	cmd.Env = append(os.Environ(), "SIT_TEST_RUN_MAIN=1")
	errOut := &logtest.Buffer{}
	cmd.Stderr = errOut
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	// Signal only once this import is observably where the case
	// wants it: its row (newer than any before) is in that phase and
	// it holds its liveness lock — or its backend waits for a lock.
	cond := "phase = 'staging' AND sit.import_alive(i.id)"
	if tc.blocked {
		cond = "EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.pid = i.backend_pid AND a.wait_event_type = 'Lock')"
	}
	var id, pid int64
	var phase string
	waitFor(t, "the import to be under way ("+cond+")", errOut, func() bool {
		select {
		case err := <-exited:
			t.Fatalf("the import ended (%v) before it was signalled: %s", err, errOut)
		default:
		}
		queryRow(t, url, fmt.Sprintf(`SELECT coalesce(max(id), 0), coalesce(max(backend_pid), 0), coalesce(max(phase), '')
			FROM sit.imports i WHERE id > %d AND %s`, last, cond), &id, &pid, &phase)
		return id > 0
	})
	if err := cmd.Process.Signal(tc.sig); err != nil {
		t.Fatal(err)
	}
	if err := <-exited; err == nil {
		t.Fatalf("import exited 0 after %s; stderr: %s", tc.sig, errOut)
	}
	// The database notices a dead client at once when it waits for
	// it, within client_connection_check_interval in a statement.
	waitFor(t, "the dead import's backend to end", errOut, func() bool {
		var gone bool
		queryRow(t, url, fmt.Sprintf("SELECT NOT EXISTS (SELECT 1 FROM pg_stat_activity WHERE pid = %d)", pid), &gone)
		return gone
	})
	// The phase it died in is the last one it recorded: on a busy
	// machine the import may have moved on between the query that saw
	// it under way and the signal.
	queryRow(t, url, fmt.Sprintf("SELECT phase FROM sit.imports WHERE id = %d", id), &phase)
	if !tc.blocked && phase == "committing" {
		t.Fatalf("the import was committing when signalled; the case wants it %s", cond)
	}
	if tc.sig == syscall.SIGTERM && !strings.Contains(errOut.String(), "interrupted while "+phase) {
		t.Fatalf("SIGTERM message does not say interrupted while %s: %s", phase, errOut)
	}
	out, stderr, code := runSit(t, "layers", "imports", "strato", "--database-url", url)
	line := lineWith(out, fmt.Sprintf("%d ", id))
	if code != 0 || !strings.Contains(line, "interrupted") || !strings.Contains(line, phase) {
		t.Fatalf("sit layers imports does not show import %d interrupted while %s:\n%s%s", id, phase, out, stderr)
	}
	var v, n, rows int
	queryRow(t, url, "SELECT version, feature_count, (SELECT count(*) FROM sit_data.strato) FROM sit.layers WHERE name = 'strato'", &v, &n, &rows)
	if v != 1 || n != 33 || rows != 33 {
		t.Fatalf("after %s: version %d, count %d, rows %d; want 1, 33, 33", tc.sig, v, n, rows)
	}
	if after := tile.get(t); after.etag != before.etag || !bytes.Equal(after.body, before.body) {
		t.Fatalf("after %s the tile changed: ETag %s → %s, %d → %d bytes", tc.sig, before.etag, after.etag, len(before.body), len(after.body))
	}
}

// holdReader keeps a transaction open that has read table, until the test
// ends: like a long query of a desktop GIS on the layer.
func holdReader(t *testing.T, url, table string) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(ctx) })
	if _, err := conn.Exec(ctx, "BEGIN; SELECT count(*) FROM "+table); err != nil {
		t.Fatal(err)
	}
}

// writeBigFile writes n small parcels as a GeoJSON sequence: big enough
// that an import is still running when it is killed.
func writeBigFile(t *testing.T, n int) string {
	t.Helper()
	big := filepath.Join(t.TempDir(), fmt.Sprintf("grande_%d.geojsonl", n))
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	// Appended with strconv into one buffer rather than fmt.Fprintf: the
	// same bytes (%d, %f) at a fraction of the CPU under -race, where the
	// 300 000 lines of TestImportKilledKeepsPreviousVersion cost seconds.
	var line []byte
	for i := 0; i < n; i++ {
		x, y := 10.40+float64(i%500)*0.0004, 43.80+float64(i/500)*0.0002
		line = append(line[:0], `{"type":"Feature","id":`...)
		line = strconv.AppendInt(line, int64(i), 10)
		line = append(line, `,"properties":{"n":`...)
		line = strconv.AppendInt(line, int64(i), 10)
		line = append(line, `,"nome":"particella `...)
		line = strconv.AppendInt(line, int64(i), 10)
		line = append(line, `"},"geometry":{"type":"Polygon","coordinates":[[`...)
		for k, p := range [5][2]float64{{x, y}, {x + 0.0003, y}, {x + 0.0003, y + 0.00015}, {x, y + 0.00015}, {x, y}} {
			if k > 0 {
				line = append(line, ',')
			}
			line = append(line, '[')
			line = strconv.AppendFloat(line, p[0], 'f', 6, 64)
			line = append(line, ',')
			line = strconv.AppendFloat(line, p[1], 'f', 6, 64)
			line = append(line, ']')
		}
		line = append(line, "]]}}\n"...)
		if _, err := w.Write(line); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return big
}

// waitFor polls cond until it holds, failing the test after a deadline
// generous enough for a machine under load.
func waitFor(t *testing.T, what string, stderr fmt.Stringer, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s; stderr: %s", what, stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func lineWith(out, prefix string) string {
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, prefix) {
			return l
		}
	}
	return ""
}

// tileProbe fetches one tile from a server over the test database, with
// the tile cache off so that every answer is rendered from the database.
type tileProbe struct {
	srv  *httptest.Server
	cat  *layers.Catalog
	path string
}

type tileAnswer struct {
	etag string
	body []byte
}

func newTileProbe(t *testing.T, url, path string) *tileProbe {
	t.Helper()
	ctx := context.Background()
	pool, err := pg.Open(ctx, url, pg.PoolOptions{ReadOnly: true, MaxConns: 4, AppName: "test serve"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	cat := layers.NewCatalog(pool, nil)
	s := config.DefaultServer()
	s.TileCacheBytes = 0
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	srv := httptest.NewServer(server.New(server.Deps{Config: s, Pool: pool, Catalog: cat, Log: log, Version: "test"}))
	t.Cleanup(srv.Close)
	return &tileProbe{srv: srv, cat: cat, path: path}
}

// get re-reads the catalog as a server does after a notification, then
// fetches the tile.
func (p *tileProbe) get(t *testing.T) tileAnswer {
	t.Helper()
	if err := p.cat.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get(p.srv.URL + p.path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK || len(body) == 0 {
		t.Fatalf("GET %s: %d, %d bytes, %v", p.path, resp.StatusCode, len(body), err)
	}
	return tileAnswer{etag: resp.Header.Get("ETag"), body: body}
}
