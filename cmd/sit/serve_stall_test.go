package main

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/sit-gis/sit/internal/dbhealth/outagetest"
)

// stallClients opens n connections that each ask for target and never
// read a byte of the answer (a receive buffer of 4 KiB, so the server's
// writes block as soon as its own socket buffer is full).
func stallClients(t *testing.T, base, target string, n int) []net.Conn {
	t.Helper()
	host := strings.TrimPrefix(base, "http://")
	d := net.Dialer{Control: func(_, _ string, c syscall.RawConn) error {
		var serr error
		err := c.Control(func(fd uintptr) { serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 4096) })
		if err != nil {
			return err
		}
		return serr
	}}
	conns := make([]net.Conn, 0, n)
	for i := 0; i < n; i++ {
		c, err := d.Dial("tcp", host)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := fmt.Fprintf(c, "GET %s HTTP/1.1\r\nHost: %s\r\n\r\n", target, host); err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
	}
	t.Cleanup(func() {
		for _, c := range conns {
			_ = c.Close()
		}
	})
	return conns
}

// probe gets a URL and returns its status (the body is read).
func probe(t *testing.T, url string) int {
	t.Helper()
	resp, err := client.Get(url)
	if err != nil {
		t.Fatalf("probe %s: %v", url, err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// answered counts the stalled connections whose response has begun: each
// reads its status line (12 bytes) and nothing more, so the rest of the
// answer still blocks the server's writes. Counting them, rather than the
// responses in flight at one instant, holds on a busy machine where the
// first stalled answers may reach the write deadline before the last one
// starts. A status other than 200 is kept in other, so that the test says
// so at once instead of waiting for a count that cannot come.
func answered(conns []net.Conn) (ok *atomic.Int32, other *atomic.Value) {
	ok, other = &atomic.Int32{}, &atomic.Value{}
	for _, c := range conns {
		go func() {
			b := make([]byte, 12)
			if _, err := io.ReadFull(c, b); err == nil && string(b) == "HTTP/1.1 200" {
				ok.Add(1)
			} else if err == nil {
				other.Store(string(b))
			}
		}()
	}
	return ok, other
}

// coldTile is a tile of the demo's parcels not asked before (i differs).
func coldTile(base, layer string, i int) string {
	return fmt.Sprintf("%s/tiles/%s/17/%d/%d.mvt", base, layer, 69340+i%40, 47725+i/40)
}

// TestServeStalledClients: 64 clients ask for the largest page and never
// read. No database connection waits on them: a probe still gets a small
// page and cold tiles, every pool connection is back while the 64 are
// still stuck, and the write deadline then cuts them off. Then SIGTERM,
// with 32 stalled clients, a client halfway through its headers and one
// that never finishes its body, ends the process with exit code 0.
//
// The write deadline is 20 s (not the default 30 s): the test waits it out
// once, and it is still far longer than a scrape of /metrics on a busy
// machine (the 64th response, once begun, stays in flight that long). The
// request deadline is long: on a busy machine, beside the package's other
// tests, the last of the 64 pages (two produced at a time) may wait minutes
// for its turn, and a page that gave up waiting would not be the stalled
// answer this test is about.
func TestServeStalledClients(t *testing.T) {
	t.Parallel()
	db := demoDatabase(t, 12000)
	srv := startServe(t, db.Reader, "--max-conns", "8", "--write-timeout", "20s", "--request-timeout", "15m", "--shutdown-grace", "2s")
	p := readCatalog(t, srv.base).byKind["cadastral"]
	items := "/collections/" + p + "/items?limit=10000"
	started, other := answered(stallClients(t, srv.base, items, 64))
	for i := 0; i < 20; i++ {
		if s := probe(t, srv.base+"/collections/"+p+"/items?limit=10"); s != 200 {
			t.Fatalf("probe page: %d", s)
		}
		if s := probe(t, coldTile(srv.base, p, i)); s != 200 && s != 204 {
			t.Fatalf("probe tile: %d", s)
		}
	}
	// Every stalled request is answered and blocked on its client's
	// socket (or already cut off by the write deadline), and not one
	// holds a database connection.
	eventuallyWithin(t, 10*time.Minute, "64 stalled responses begun, holding no database connection", func() bool {
		if s := other.Load(); s != nil {
			t.Fatalf("a stalled page answered %q, not 200", s)
		}
		return started.Load() == 64 && metric(t, srv.base, "sit_http_requests_in_flight") > 1 && metric(t, srv.base, "sit_db_connections_acquired") == 0
	})
	for i := 20; i < 30; i++ {
		if s := probe(t, coldTile(srv.base, p, i)); s != 200 && s != 204 {
			t.Fatalf("probe tile while stalled: %d", s)
		}
	}
	// Past the write deadline the server gives up on them.
	eventually(t, "the stalled clients cut off by the write deadline", func() bool {
		return metric(t, srv.base, "sit_http_requests_in_flight") == 1 // this scrape
	})
	shutdownWithStalledClients(t, srv, items)
}

// shutdownWithStalledClients sends SIGTERM while clients stall in every
// way: the process must exit 0, within its grace.
func shutdownWithStalledClients(t *testing.T, srv *liveServer, items string) {
	stallClients(t, srv.base, items, 32)
	host := strings.TrimPrefix(srv.base, "http://")
	for _, start := range []string{"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ",
		"POST /reports/zoning HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\nparcel="} {
		c, err := net.Dial("tcp", host)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if _, err := io.WriteString(c, start); err != nil {
			t.Fatal(err)
		}
	}
	eventually(t, "stalled responses in flight", func() bool {
		return metric(t, srv.base, "sit_http_requests_in_flight") >= 33
	})
	start := time.Now()
	if err := srv.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-srv.done:
		if srv.err != nil {
			t.Fatalf("exit: %v\n%s", srv.err, srv.logs)
		}
	case <-time.After(2 * time.Minute):
		t.Fatalf("sit serve still running after SIGTERM:\n%s", srv.logs)
	}
	t.Logf("exited 0 %s after SIGTERM (grace 2s)", time.Since(start).Round(time.Millisecond))
	if !strings.Contains(srv.logs.String(), "shutting down") {
		t.Fatalf("no shutdown in the log:\n%s", srv.logs)
	}
}

// TestServeDatabaseOutage: the database goes away under a live server and
// comes back. Meanwhile every data route answers 503 problem+json with
// Retry-After (never 500), the log gets one line for the outage and one
// for the recovery, /metrics counts it, and service resumes.
func TestServeDatabaseOutage(t *testing.T) {
	t.Parallel()
	db := demoDatabase(t, 1500)
	proxy := outagetest.New(t, db.Reader)
	// At debug level the catalog listener's failed reconnections show.
	srv := startServe(t, proxy.URL(), "--tile-cache-bytes", "0", "--log-level", "debug")
	p := readCatalog(t, srv.base).byKind["cadastral"]
	targets := []string{"/collections/" + p + "/items?limit=5", "/parcels/at?lon=10.5047&lat=43.8430", "/readyz"}
	for _, tg := range targets[:1] {
		if s := probe(t, srv.base+tg); s != 200 {
			t.Fatalf("%s before the outage: %d", tg, s)
		}
	}
	before := len(strings.Split(srv.logs.String(), "\n"))
	proxy.Stop()
	for i := 0; i < 100; i++ {
		for _, u := range append(targets, strings.TrimPrefix(coldTile("", p, i), "")) {
			resp, err := client.Get(srv.base + u)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode == 200 || resp.StatusCode == 204 {
				continue // a tile with nothing there, or a cached answer
			}
			if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
				t.Fatalf("%s during the outage: %d (Retry-After %q) %.200s", u, resp.StatusCode, resp.Header.Get("Retry-After"), body)
			}
			if _, err := readProblem(resp, body); err != nil {
				t.Fatalf("%s: %v", u, err)
			}
		}
	}
	if up := metric(t, srv.base, "sit_db_up"); up != 0 {
		t.Fatalf("sit_db_up %v during the outage", up)
	}
	// An outage long enough for several failed reconnections of the
	// catalog listener, each of which must stay out of the log.
	eventually(t, "the catalog listener to fail reconnecting twice", func() bool {
		return strings.Count(srv.logs.String(), "catalog listener: reconnection failed") >= 2
	})
	proxy.Start()
	back := time.Now()
	eventually(t, "service back", func() bool { return probe(t, srv.base+targets[0]) == 200 })
	t.Logf("items answered 200 %s after the database came back", time.Since(back).Round(time.Millisecond))
	eventually(t, "the monitor sees the database back", func() bool { return metric(t, srv.base, "sit_db_up") == 1 })
	eventually(t, "the catalog listener back", func() bool { return strings.Contains(srv.logs.String(), "catalog listener back") })
	for _, tg := range targets {
		if s := probe(t, srv.base+tg); s != 200 {
			t.Fatalf("%s after the outage: %d", tg, s)
		}
	}
	logs := strings.Split(srv.logs.String(), "\n")[before-1:]
	outageLines := 0
	for _, l := range logs {
		if strings.Contains(l, "msg=request ") {
			continue // the access log: one line per request by design (--access-log)
		}
		if strings.Contains(l, "level=WARN") || strings.Contains(l, "level=ERROR") || strings.Contains(l, "level=INFO") {
			outageLines++
		}
		if strings.Contains(l, "request failed") {
			t.Fatalf("a request logged during the outage: %s", l)
		}
	}
	all := strings.Join(logs, "\n")
	if strings.Count(all, "database unavailable") != 1 || strings.Count(all, "database available again") != 1 || outageLines >= 20 ||
		strings.Count(all, "catalog listener lost") != 1 || strings.Count(all, "catalog listener back") != 1 {
		t.Fatalf("want one line down, one up (database, catalog listener) and fewer than 20 in all, got %d:\n%s", outageLines, all)
	}
	if n := metric(t, srv.base, "sit_db_outages_total"); n != 1 {
		t.Fatalf("sit_db_outages_total %v", n)
	}
}
