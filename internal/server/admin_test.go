package server

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"strings"
	"testing"

	"github.com/sit-gis/sit/internal/config"
	"github.com/sit-gis/sit/internal/httpx"
)

// TestAdminAuthorization: /admin/… without credentials is 401, with a
// wrong or revoked token 401, for a professional 403, for an
// administrator of another comune than the URL's 404; every refusal is
// problem+json.
func TestAdminAuthorization(t *testing.T) {
	s := newSite(t, config.DefaultServer())
	s.tokens["wrong"] = "sit_" + strings.Repeat("x", 43)
	s.tokens["revoked"] = s.revoked
	s.tokens["not bearer"] = ""
	tests := []struct {
		who, method, path string
		status            int
	}{
		{anon, "GET", "/admin/layers", 401},
		{anon, "GET", "/admin/nowhere", 401},
		{anon, "POST", "/admin/uploads", 401},
		{anon, "GET", "/c/lucca/admin/audit", 401},
		{"wrong", "GET", "/admin/layers", 401},
		{"revoked", "GET", "/admin/layers", 401},
		{"wrong", "GET", "/collections", 401},
		{pro, "GET", "/admin/layers", 403},
		{pro, "GET", "/admin/me", 403},
		{pro, "POST", "/admin/cache/purge", 403},
		{editor, "GET", "/admin/layers", 200},
		{editor, "GET", "/admin/accounts", 403},
		{editor, "GET", "/admin/audit", 403},
		{editor, "DELETE", "/admin/layers/zone", 403},
		{adminLU, "GET", "/admin/layers", 200},
		{adminLU, "GET", "/admin/audit", 200},
		{adminLU, "GET", "/admin/layers/cap_interno", 404},
		{adminLU, "GET", "/c/capannori/admin/layers", 404},
		{adminLU, "GET", "/c/capannori/admin/audit", 404},
		{adminLU, "DELETE", "/admin/layers/cap_interno", 404},
		{adminCAP, "GET", "/admin/layers/particelle", 404},
		{adminCAP, "GET", "/c/lucca/admin/accounts", 404},
		{adminInst, "GET", "/c/capannori/admin/layers/cap_interno", 200},
		{adminInst, "GET", "/admin/layers/cap_interno", 200},
		{adminLU, "GET", "/admin/nowhere", 404},
	}
	for _, tc := range tests {
		t.Run(tc.who+" "+tc.method+" "+tc.path, func(t *testing.T) {
			res, body := s.do(tc.who, tc.method, tc.path, nil)
			if res.StatusCode != tc.status {
				t.Fatalf("status %d, want %d: %s", res.StatusCode, tc.status, body)
			}
			if tc.status >= 400 && res.Header.Get("Content-Type") != httpx.ProblemType {
				t.Fatalf("not a problem: %s %s", res.Header.Get("Content-Type"), body)
			}
		})
	}
	// The admin of Lucca sees Lucca's layers and the shared ones, not Capannori's.
	_, body := s.do(adminLU, "GET", "/admin/layers", nil)
	if !strings.Contains(string(body), `"copertura"`) || strings.Contains(string(body), "cap_") {
		t.Errorf("Lucca's admin layers: %s", body)
	}
}

// TestVisibilityChangeReachesCachedTiles: a tile the public fetched (and
// the server cached) before its layer was made professional is never
// served to the public after, not even as a 304 to its old ETag.
func TestVisibilityChangeReachesCachedTiles(t *testing.T) {
	s := newSite(t, config.DefaultServer())
	path := "/tiles/zone/" + tileOf(15, 10.505, 43.845) + ".mvt"
	res, _ := s.do(anon, "GET", path, nil)
	etag := res.Header.Get("ETag")
	if res.StatusCode != 200 || etag == "" || !strings.Contains(res.Header.Get("Cache-Control"), "public") {
		t.Fatalf("public tile: %d %q %q", res.StatusCode, etag, res.Header.Get("Cache-Control"))
	}
	if res, _ := s.do(anon, "GET", path, nil, "If-None-Match", etag); res.StatusCode != 304 {
		t.Fatalf("revalidation: %d", res.StatusCode)
	}
	res, body := s.do(adminLU, "PATCH", "/admin/layers/zone", strings.NewReader(`{"visibility": "professional"}`), "Content-Type", "application/json")
	if res.StatusCode != 200 {
		t.Fatalf("patch: %d %s", res.StatusCode, body)
	}
	for _, h := range [][]string{nil, {"If-None-Match", etag}} {
		if res, body := s.do(anon, "GET", path, nil, h...); res.StatusCode != 404 {
			t.Fatalf("after the change the public gets %d %s", res.StatusCode, body)
		}
	}
	res, _ = s.do(pro, "GET", path, nil, "If-None-Match", etag)
	if res.StatusCode != 200 || res.Header.Get("ETag") == etag || res.Header.Get("Cache-Control") != "private, no-cache" {
		t.Fatalf("professional: %d etag %q (was %q) cache %q", res.StatusCode, res.Header.Get("ETag"), etag, res.Header.Get("Cache-Control"))
	}
	// The editor given zone edits its title, not who sees it, nor other layers.
	for _, tc := range []struct {
		path, body string
		status     int
	}{{"/admin/layers/zone", `{"title": "Zone del PO"}`, 200}, {"/admin/layers/zone", `{"visibility": "public"}`, 403},
		{"/admin/layers/particelle", `{"title": "x"}`, 403}, {"/admin/layers/zone", `{"titel": "x"}`, 400}} {
		res, body := s.do(editor, "PATCH", tc.path, strings.NewReader(tc.body), "Content-Type", "application/json")
		if res.StatusCode != tc.status {
			t.Errorf("editor PATCH %s %s: %d %s", tc.path, tc.body, res.StatusCode, body)
		}
	}
}

// TestUploadJob: an administrator uploads a file over HTTP; the job
// reports progress and then the counts; the new layer is served (to the
// staff: an upload's new layer starts internal); the audit log has it.
func TestUploadJob(t *testing.T) {
	s := newSite(t, config.DefaultServer())
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("file", "piano città.geojson")
	fw.Write([]byte(`{"type":"FeatureCollection","features":[
		{"type":"Feature","properties":{"nome":"uno"},"geometry":{"type":"Point","coordinates":[10.5,43.84]}},
		{"type":"Feature","properties":{"nome":"due"},"geometry":{"type":"Point","coordinates":[10.51,43.85]}},
		{"type":"Feature","properties":{"nome":"tre"},"geometry":null}]}`))
	mw.WriteField("layer", "caricato")
	mw.WriteField("title", "Caricato dal browser")
	mw.Close()
	res, body := s.do(adminLU, "POST", "/admin/uploads", &buf, "Content-Type", mw.FormDataContentType())
	if res.StatusCode != 202 {
		t.Fatalf("upload: %d %s", res.StatusCode, body)
	}
	var job struct {
		ID       string `json:"id"`
		Status   string `json:"status"`
		Progress struct {
			Results []struct {
				Layer    string `json:"layer"`
				Loaded   int64  `json:"loaded"`
				Rejected int64  `json:"rejected"`
				Rejects  []struct {
					Record int64 `json:"record"`
				} `json:"rejects"`
			} `json:"results"`
		} `json:"progress"`
	}
	if err := json.Unmarshal(body, &job); err != nil || res.Header.Get("Location") == "" {
		t.Fatalf("job %s: %v", body, err)
	}
	body = s.awaitJob(adminLU, body, &job)
	r := job.Progress.Results
	if len(r) != 1 || r[0].Layer != "caricato" || r[0].Loaded != 2 || r[0].Rejected != 1 || len(r[0].Rejects) != 1 || r[0].Rejects[0].Record != 3 {
		t.Fatalf("results: %s", body)
	}
	if res, _ := s.do(adminLU, "GET", "/collections/caricato/items", nil); res.StatusCode != 200 {
		t.Errorf("the new layer is not served to its comune's admin: %d", res.StatusCode)
	}
	if res, _ := s.do(anon, "GET", "/collections/caricato/items", nil); res.StatusCode != 404 {
		t.Errorf("an upload's new layer is public at once: %d", res.StatusCode)
	}
	if res, _ := s.do(adminCAP, "GET", "/admin/jobs/"+job.ID, nil); res.StatusCode != 404 {
		t.Errorf("another comune's admin sees the job: %d", res.StatusCode)
	}
	_, body = s.do(adminLU, "GET", "/admin/audit", nil)
	for _, want := range []string{`"action":"upload"`, `"action":"import"`, `"target":"caricato"`} {
		if !strings.Contains(string(body), want) {
			t.Errorf("audit log lacks %s: %s", want, body)
		}
	}
	// An editor may not create a layer; a raw upload needs its name.
	res, body = s.do(editor, "POST", "/admin/uploads?filename=x.geojson&layer=nuovo", strings.NewReader(`{"type":"FeatureCollection","features":[]}`))
	if res.StatusCode != 403 {
		t.Errorf("editor creating a layer: %d %s", res.StatusCode, body)
	}
	res, _ = s.do(adminLU, "POST", "/admin/uploads", strings.NewReader("x"))
	if res.StatusCode != 400 {
		t.Errorf("raw upload without filename: %d", res.StatusCode)
	}
}

// TestSessions: a JSON login sets an HttpOnly, SameSite, Secure (behind
// HTTPS) cookie; a state-changing request without the CSRF token is 403;
// logout ends the session; failed logins are throttled with one message.
func TestSessions(t *testing.T) {
	cfg := config.DefaultServer()
	cfg.PublicURL = "https://sit.example"
	s := newSite(t, cfg)
	ctx := t.Context()
	if _, err := s.auth.CreateAccount(ctx, newAccount("alice", "correct horse battery")); err != nil {
		t.Fatal(err)
	}
	login := func(c *http.Client, pw string) (*http.Response, map[string]any) {
		req, _ := http.NewRequest("POST", s.srv.URL+"/auth/login", strings.NewReader(`{"username":"alice","password":"`+pw+`"}`))
		req.Header.Set("Content-Type", "application/json")
		res, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var doc map[string]any
		_ = json.NewDecoder(res.Body).Decode(&doc)
		return res, doc
	}
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	res, doc := login(c, "correct horse battery")
	if res.StatusCode != 200 || doc["csrfToken"] == "" || doc["role"] != "admin" {
		t.Fatalf("login: %d %v", res.StatusCode, doc)
	}
	sc := res.Header.Get("Set-Cookie")
	for _, want := range []string{"__Host-sit_session=", "HttpOnly", "Secure", "SameSite=Lax", "Path=/"} {
		if !strings.Contains(sc, want) {
			t.Errorf("cookie %q lacks %s", sc, want)
		}
	}
	// The test server speaks plain HTTP: hand the Secure cookie over by hand.
	cookie := strings.SplitN(sc, ";", 2)[0]
	send := func(method, path, csrf, origin string) int {
		req, _ := http.NewRequest(method, s.srv.URL+path, strings.NewReader(`{"title":"t"}`))
		req.Header.Set("Cookie", cookie)
		req.Header.Set("Content-Type", "application/json")
		if csrf != "" {
			req.Header.Set("X-CSRF-Token", csrf)
		}
		if origin != "" {
			req.Header.Set("Origin", origin)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	csrf := doc["csrfToken"].(string)
	for _, tc := range []struct {
		method, path, csrf, origin string
		status                     int
	}{
		{"GET", "/admin/layers", "", "", 200},
		{"PATCH", "/admin/layers/zone", "", "", 403},
		{"PATCH", "/admin/layers/zone", "wrong", "", 403},
		{"PATCH", "/admin/layers/zone", csrf, "https://evil.example", 403},
		{"PATCH", "/admin/layers/zone", csrf, "", 200},
		{"POST", "/auth/logout", "", "", 403},
		{"POST", "/auth/logout", csrf, "", 204},
		{"GET", "/admin/layers", "", "", 401},
	} {
		if got := send(tc.method, tc.path, tc.csrf, tc.origin); got != tc.status {
			t.Errorf("%s %s csrf %q origin %q: %d, want %d", tc.method, tc.path, tc.csrf, tc.origin, got, tc.status)
		}
	}
	// Wrong passwords: one message, then 429 with Retry-After.
	var last *http.Response
	for i := 0; i < 6; i++ {
		last, doc = login(http.DefaultClient, "wrong password")
		if i < 5 && (last.StatusCode != 401 || doc["detail"] != "invalid username or password") {
			t.Fatalf("failure %d: %d %v", i, last.StatusCode, doc)
		}
	}
	if last.StatusCode != 429 || last.Header.Get("Retry-After") == "" {
		t.Fatalf("after 5 failures: %d %q", last.StatusCode, last.Header.Get("Retry-After"))
	}
	if res, _ := login(http.DefaultClient, "correct horse battery"); res.StatusCode != 429 {
		t.Fatalf("a locked name signs in with the right password: %d", res.StatusCode)
	}
}
