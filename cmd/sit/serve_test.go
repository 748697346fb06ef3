package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sit-gis/sit/internal/dbtest"
	"github.com/sit-gis/sit/internal/logtest"
)

// liveServer is `sit serve` running as its own process (the test binary
// run as main), as an operator runs it.
type liveServer struct {
	base string
	cmd  *exec.Cmd
	logs *logtest.Buffer
	// done is closed when the process has exited, with err its outcome.
	done chan struct{}
	err  error
}

var servingLine = regexp.MustCompile(`msg=serving url=(http://[^ ]+)/ `)

// startServe starts `sit serve` as the reader on a free port with the
// given flags and waits until it listens. It is stopped (SIGTERM) when the
// test ends.
func startServe(t *testing.T, readerURL string, flags ...string) *liveServer {
	t.Helper()
	args := append([]string{"serve", "--reader-url", readerURL, "--addr", "127.0.0.1:0"}, flags...)
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "SIT_TEST_RUN_MAIN=1")
	s := &liveServer{cmd: cmd, logs: &logtest.Buffer{}, done: make(chan struct{})}
	cmd.Stderr, cmd.Stdout = s.logs, s.logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		s.err = cmd.Wait()
		close(s.done)
	}()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-s.done:
		case <-time.After(2 * time.Minute):
			_ = cmd.Process.Kill()
		}
	})
	deadline := time.Now().Add(2 * time.Minute)
	for {
		if m := servingLine.FindStringSubmatch(s.logs.String()); m != nil {
			s.base = m[1]
			return s
		}
		select {
		case <-s.done:
			t.Fatalf("sit serve exited (%v):\n%s", s.err, s.logs)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("sit serve did not start:\n%s", s.logs)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// demoDatabase is a fresh database with SIT's roles and the demo data (n
// synthetic parcels), imported as the owner.
func demoDatabase(t *testing.T, parcels int) dbtest.RoleURLs {
	t.Helper()
	roles := dbtest.Roles(t)
	dir := t.TempDir()
	_, errOut, code := runSit(t, "demo", "--no-serve", "--parcels", strconv.Itoa(parcels), "--database-url", roles.Owner, "--data-dir", filepath.Join(dir, "pg"))
	if code != 0 {
		t.Fatalf("sit demo: %s", errOut)
	}
	return roles
}

// catalog reads /layers: name by kind, and feature counts.
type catalogInfo struct {
	byKind map[string]string
	count  map[string]int64
}

func readCatalog(t *testing.T, base string) catalogInfo {
	t.Helper()
	var doc struct {
		Layers []struct {
			Name     string `json:"name"`
			Kind     string `json:"kind"`
			Features int64  `json:"features"`
		} `json:"layers"`
	}
	getJSON(t, base+"/layers", &doc)
	c := catalogInfo{byKind: map[string]string{}, count: map[string]int64{}}
	for _, l := range doc.Layers {
		if _, ok := c.byKind[l.Kind]; !ok {
			c.byKind[l.Kind] = l.Name
		}
		c.count[l.Name] = l.Features
	}
	for _, k := range []string{"cadastral", "zoning", "broadband", "boundary"} {
		if c.byKind[k] == "" {
			t.Fatalf("the demo has no %s layer: %+v", k, doc.Layers)
		}
	}
	return c
}

func getJSON(t *testing.T, url string, v any) {
	t.Helper()
	resp, err := client.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("%s: %d %s", url, resp.StatusCode, b)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("%s: %v", url, err)
	}
}

// metric reads one sample of /metrics (the first line starting with name).
func metric(t *testing.T, base, name string) float64 {
	t.Helper()
	resp, err := client.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, name+" ") {
			v, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimPrefix(line, name)), 64)
			if err != nil {
				t.Fatalf("%s: %v", line, err)
			}
			return v
		}
	}
	t.Fatalf("/metrics has no %s", name)
	return 0
}

// eventually polls cond until it holds, failing after a generous deadline
// (a busy machine is slow, not wrong).
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	eventuallyWithin(t, 2*time.Minute, what, cond)
}

// eventuallyWithin is eventually with a deadline of the caller's, for a
// state that takes much work to reach.
func eventuallyWithin(t *testing.T, limit time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("never: %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// problemOf decodes a problem+json answer.
type problemDoc struct {
	Status    int    `json:"status"`
	Title     string `json:"title"`
	Detail    string `json:"detail"`
	Parameter string `json:"parameter"`
}

func readProblem(resp *http.Response, body []byte) (problemDoc, error) {
	var p problemDoc
	if ct := resp.Header.Get("Content-Type"); ct != "application/problem+json" {
		return p, fmt.Errorf("content type %q, want application/problem+json", ct)
	}
	if err := json.Unmarshal(body, &p); err != nil {
		return p, err
	}
	if p.Status != resp.StatusCode || p.Detail == "" {
		return p, fmt.Errorf("problem %+v for status %d", p, resp.StatusCode)
	}
	return p, nil
}

// client never decompresses by itself, so that tests see the encoding.
var client = &http.Client{Transport: &http.Transport{DisableCompression: true, MaxIdleConnsPerHost: 16}}
