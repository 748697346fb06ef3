package server

import (
	"bufio"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sit-gis/sit/internal/config"
	"github.com/sit-gis/sit/internal/httpx"
	"github.com/sit-gis/sit/layers"
)

func TestStrictQueryOnEveryRoute(t *testing.T) {
	h := testHandler()
	tests := []struct {
		name, target, param string
		status              int
	}{
		{"semicolon", "/healthz?a=1;b=2", "a", 400},
		{"bad escape", "/layers?x=%zz", "x", 400},
		{"unknown parameter of an operation", "/healthz?verbose=1", "verbose", 400},
		{"viewer page takes its own", "/map/?lang=en", "", 0},
		{"viewer page with a broken query", "/map/?lang=en;x", "lang", 400},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest("GET", tc.target, nil))
			if tc.status == 0 {
				if rec.Code >= 400 && rec.Code != http.StatusServiceUnavailable {
					t.Fatalf("status %d: %s", rec.Code, rec.Body)
				}
				return
			}
			if rec.Code != tc.status {
				t.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
			var p httpx.Problem
			if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil || p.Parameter != tc.param {
				t.Fatalf("problem %s, want parameter %q", rec.Body, tc.param)
			}
		})
	}
}

func TestHeadAndMethods(t *testing.T) {
	h := testHandler()
	tests := []struct {
		method, target string
		status         int
		allow          string
	}{
		{"HEAD", "/healthz", 200, ""},
		{"HEAD", "/layers", 200, ""},
		{"HEAD", "/metrics", 200, ""},
		{"HEAD", "/map/config.json", 200, ""},
		{"DELETE", "/layers", 405, "GET, HEAD"},
		{"PUT", "/reports/zoning", 405, "GET, HEAD, POST"},
	}
	for _, tc := range tests {
		t.Run(tc.method+" "+tc.target, func(t *testing.T) {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(tc.method, tc.target, nil))
			if rec.Code != tc.status || rec.Header().Get("Allow") != tc.allow {
				t.Fatalf("status %d, Allow %q", rec.Code, rec.Header().Get("Allow"))
			}
		})
	}
}

// limitedServer serves the handler on a real socket with small limits.
func limitedServer(t *testing.T, tune func(*config.Server)) (*httptest.Server, config.Server) {
	t.Helper()
	log := slog.New(slog.DiscardHandler)
	cfg := config.DefaultServer()
	cfg.ReadTimeout, cfg.WriteTimeout, cfg.MaxBodyBytes = 2*time.Second, 2*time.Second, 4096
	if tune != nil {
		tune(&cfg)
	}
	srv := httptest.NewUnstartedServer(New(Deps{Config: cfg, Catalog: layers.NewCatalog(nil, log), Log: log, Version: "test"}))
	srv.Config.ReadHeaderTimeout = cfg.ReadHeaderTimeout
	srv.Start()
	t.Cleanup(srv.Close)
	return srv, cfg
}

func TestBodyLimits(t *testing.T) {
	srv, _ := limitedServer(t, nil)
	tests := []struct {
		name, body, ctype string
		chunked           bool
		status            int
	}{
		{"declared too large", strings.Repeat("a", 5000), "application/x-www-form-urlencoded", false, 413},
		{"streamed too large", "parcel=" + strings.Repeat("a", 5000), "application/x-www-form-urlencoded", true, 413},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var body io.Reader = strings.NewReader(tc.body)
			if tc.chunked {
				body = io.MultiReader(body) // unknown length: sent chunked
			}
			req, _ := http.NewRequest("POST", srv.URL+"/reports/zoning", body)
			req.Header.Set("Content-Type", tc.ctype)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var p httpx.Problem
			if err := json.NewDecoder(resp.Body).Decode(&p); err != nil || resp.StatusCode != tc.status || p.Parameter != "body" {
				t.Fatalf("status %d, problem %+v (%v)", resp.StatusCode, p, err)
			}
		})
	}
}

// A client that sends its body one byte at a time, slower than the read
// timeout allows, is cut off; the server does not wait for it.
func TestSlowBodyIsCutOff(t *testing.T) {
	srv, cfg := limitedServer(t, nil)
	conn, err := net.Dial("tcp", srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_, _ = io.WriteString(conn, "POST /reports/zoning HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\nparcel=")
	done := make(chan error, 1)
	go func() {
		// Keep trickling until the server gives up on us.
		for i := 0; ; i++ {
			if _, err := conn.Write([]byte("1")); err != nil {
				done <- err
				return
			}
			select {
			case <-time.After(cfg.ReadTimeout / 4):
			case <-t.Context().Done():
				return
			}
			if i > 1000 {
				done <- nil
				return
			}
		}
	}()
	// The server answers (or closes) once the read deadline passes.
	_ = conn.SetReadDeadline(time.Now().Add(time.Minute))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	var ne net.Error
	switch {
	case errors.As(err, &ne) && ne.Timeout():
		t.Fatal("the server kept waiting for a trickled body")
	case err == nil:
		resp.Body.Close()
		if resp.StatusCode < 400 {
			t.Fatalf("a trickled body got %d", resp.StatusCode)
		}
	}
	// else: the server closed the connection, which is the point.
}

func TestPerIPLimit(t *testing.T) {
	release := make(chan struct{})
	var entered sync.WaitGroup
	p := newPerIP(2)
	h := p.limit(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		entered.Done()
		<-release
	}))
	do := func(addr string) *httptest.ResponseRecorder {
		r := httptest.NewRequest("GET", "/layers", nil)
		r.RemoteAddr = addr
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w
	}
	entered.Add(3)
	results := make(chan int, 3)
	for _, a := range []string{"10.0.0.1:1000", "10.0.0.1:1001", "10.0.0.2:1000"} {
		go func() { results <- do(a).Code }()
	}
	entered.Wait()
	if w := do("10.0.0.1:1002"); w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") != "1" {
		t.Fatalf("third request from one address: %d", w.Code)
	}
	close(release)
	for i := 0; i < 3; i++ {
		if c := <-results; c != 200 {
			t.Fatalf("status %d", c)
		}
	}
	if len(p.n) != 0 {
		t.Fatalf("counts left: %v", p.n)
	}
}
