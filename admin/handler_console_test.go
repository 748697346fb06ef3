package admin

import (
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"

	"github.com/sit-gis/sit/internal/httpx"
)

// TestConsole: the page in Italian by default, in English by ?lang= or
// Accept-Language, a bad lang a 400 naming it; its script and style; no
// other file; /console redirects relatively (so /c/{comune}/console stays
// in its comune).
func TestConsole(t *testing.T) {
	s := New(Options{})
	t.Cleanup(s.Close)
	r := chi.NewRouter()
	s.Mount(r)
	tests := []struct {
		name, target, acceptLang string
		status                   int
		ctype, contains          string
	}{
		{"italian by default", "/console/", "", 200, "text/html; charset=utf-8", `<html lang="it">`},
		{"italian title", "/console/", "", 200, "text/html; charset=utf-8", "Console dell&#39;ufficio"},
		{"english by lang", "/console/?lang=en", "", 200, "text/html; charset=utf-8", `<html lang="en">`},
		{"english by header", "/console/", "en-GB,en;q=0.9", 200, "text/html; charset=utf-8", "Office console"},
		{"lang beats header", "/console/?lang=it", "en", 200, "text/html; charset=utf-8", `<html lang="it">`},
		{"strings for the script", "/console/", "", 200, "text/html; charset=utf-8", `"tab.upload":"Carica dati"`},
		{"unknown lang", "/console/?lang=de", "", 400, httpx.ProblemType, `"parameter":"lang"`},
		{"unknown parameter", "/console/?x=1", "", 400, httpx.ProblemType, `"x"`},
		{"script", "/console/console.js", "", 200, "text/javascript; charset=utf-8", "X-CSRF-Token"},
		{"style", "/console/console.css", "", 200, "text/css; charset=utf-8", "--accent"},
		{"asset takes no query", "/console/console.js?v=1", "", 400, httpx.ProblemType, ""},
		{"no other file", "/console/page.html", "", 404, httpx.ProblemType, ""},
		{"no directory walk", "/console/../service.go", "", 404, httpx.ProblemType, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest("GET", tc.target, nil)
			if tc.acceptLang != "" {
				req.Header.Set("Accept-Language", tc.acceptLang)
			}
			rec := httptest.NewRecorder()
			r.ServeHTTP(rec, req)
			if rec.Code != tc.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tc.status, rec.Body)
			}
			if got := rec.Header().Get("Content-Type"); got != tc.ctype {
				t.Errorf("Content-Type %q, want %q", got, tc.ctype)
			}
			if !strings.Contains(rec.Body.String(), tc.contains) {
				t.Errorf("body lacks %s: %.300s", tc.contains, rec.Body)
			}
			if tc.status == 200 && strings.HasPrefix(tc.ctype, "text/html") {
				if csp := rec.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || !strings.Contains(csp, "frame-ancestors 'none'") {
					t.Errorf("CSP %q", csp)
				}
			}
		})
	}
	rec := httptest.NewRecorder()
	r.ServeHTTP(rec, httptest.NewRequest("GET", "/console?lang=en", nil))
	if rec.Code != http.StatusMovedPermanently || rec.Header().Get("Location") != "console/?lang=en" {
		t.Errorf("/console: %d %q", rec.Code, rec.Header().Get("Location"))
	}
}

// TestConsoleTexts: every string the page and the script name exists in
// both languages, and the families the script names by a value (a role, a
// visibility, a job's status) cover every value.
func TestConsoleTexts(t *testing.T) {
	texts := newConsole().texts
	for k, v := range texts {
		if v[0] == "" || v[1] == "" {
			t.Errorf("%s lacks a language: %q", k, v)
		}
	}
	page, _ := consoleFiles.ReadFile("console/page.html")
	script, _ := consoleFiles.ReadFile("console/console.js")
	var used []string
	for _, m := range regexp.MustCompile(`\.T "([\w.]+)"`).FindAllStringSubmatch(string(page), -1) {
		used = append(used, m[1])
	}
	for _, m := range regexp.MustCompile(`\bt\('([\w.]+)'`).FindAllStringSubmatch(string(script), -1) {
		used = append(used, m[1])
	}
	for _, fam := range []struct {
		prefix string
		values []string
	}{
		{"role.", []string{"admin", "editor", "professional", "anonymous"}},
		{"vis.", []string{"public", "professional", "internal"}},
		{"job.", []string{jobQueued, jobRunning, jobSucceeded, jobFailed, jobInterrupted}},
		{"import.", []string{"running", "succeeded", "failed", "interrupted"}},
		{"result.", []string{"ok", "denied", "failed"}},
		{"col.", []string{"comuneName", "belfiore", "reportHeader", "view"}},
	} {
		for _, v := range fam.values {
			used = append(used, fam.prefix+v)
		}
	}
	if len(used) < 50 {
		t.Fatalf("only %d strings found: the patterns no longer match the sources", len(used))
	}
	for _, k := range used {
		if _, ok := texts[k]; !ok {
			t.Errorf("no text %s", k)
		}
	}
}
