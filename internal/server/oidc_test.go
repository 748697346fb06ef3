package server

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/zitadel/oidc/v3/example/server/exampleop"
	"github.com/zitadel/oidc/v3/example/server/storage"
	"github.com/zitadel/oidc/v3/pkg/op"

	"github.com/sit-gis/sit/access"
	"github.com/sit-gis/sit/auth"
	"github.com/sit-gis/sit/internal/config"
)

// provider runs a real OpenID provider (zitadel's certified op package,
// with its example in-memory storage and login page) on a local port,
// with SIT registered as a confidential web client.
func provider(t *testing.T, redirect string) string {
	t.Helper()
	var h http.Handler
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.ServeHTTP(w, r) }))
	t.Cleanup(srv.Close)
	storage.RegisterClients(storage.WebClient("sit", "sit-secret", redirect))
	st := storage.NewStorage(storage.NewUserStore(srv.URL))
	h = exampleop.SetupServer(srv.URL, st, nil, false, op.WithAllowInsecure())
	return srv.URL
}

var formID = regexp.MustCompile(`name="id" value="([^"]+)"`)

// browse signs in at the provider as a person would: follow the redirects
// to its login page, post the form, follow the redirects back to SIT.
func browse(t *testing.T, c *http.Client, start, user, password string) (*http.Response, []byte) {
	t.Helper()
	res, err := c.Get(start)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	m := formID.FindSubmatch(page)
	if m == nil {
		t.Fatalf("no login form at %s: %d %s", res.Request.URL, res.StatusCode, page)
	}
	login := *res.Request.URL
	res, err = c.PostForm(login.String(), url.Values{"username": {user}, "password": {password}, "id": {string(m[1])}})
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, b
}

// TestOIDCLogin: SIT signs a provider's user in with the code flow
// (state bound to the browser, PKCE, nonce, signed ID token), maps its
// claim to a role in a comune, and refuses a user no mapping lets in.
func TestOIDCLogin(t *testing.T) {
	var issuer string
	s := newSiteWith(t, config.DefaultServer(), func(sitURL string) *auth.OIDCConfig {
		issuer = provider(t, sitURL+"/auth/oidc/callback")
		return &auth.OIDCConfig{Issuer: issuer, ClientID: "sit", ClientSecret: "sit-secret", RedirectURL: sitURL + "/auth/oidc/callback",
			RoleClaim: "email", Map: []auth.ClaimMap{{Value: "test-user@zitadel.ch", Role: access.Admin, Comune: "lucca"}}}
	})
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	host := strings.Split(strings.TrimPrefix(issuer, "http://"), ":")[0]
	res, body := browse(t, c, s.srv.URL+"/auth/oidc/login?return_to=/admin/me", "test-user@"+host, "verysecure")
	if res.StatusCode != 200 || res.Request.URL.Path != "/admin/me" {
		t.Fatalf("after the provider: %s %d %s", res.Request.URL, res.StatusCode, body)
	}
	var me struct {
		Actor, Role, Comune string
	}
	if err := json.Unmarshal(body, &me); err != nil || me.Role != "admin" || me.Comune != "lucca" {
		t.Fatalf("signed in as %+v (%v): %s", me, err, body)
	}
	acc, err := s.auth.AccountByName(t.Context(), me.Actor)
	if err != nil || acc.OIDCIssuer != issuer || acc.OIDCSubject != "id1" || acc.HasPassword {
		t.Fatalf("account %+v: %v", acc, err)
	}
	// The session works like a password one: its CSRF token is at /auth/session.
	res, err = c.Get(s.srv.URL + "/auth/session")
	if err != nil {
		t.Fatal(err)
	}
	var sess auth.SessionDoc
	json.NewDecoder(res.Body).Decode(&sess)
	res.Body.Close()
	if !sess.Authenticated || sess.CSRFToken == "" || !sess.OIDC {
		t.Fatalf("session %+v", sess)
	}
	// A user the mapping does not name is refused (no default role).
	jar2, _ := cookiejar.New(nil)
	res, body = browse(t, &http.Client{Jar: jar2}, s.srv.URL+"/auth/oidc/login", "test-user2", "verysecure")
	if res.StatusCode != 403 {
		t.Fatalf("unmapped user: %d %s", res.StatusCode, body)
	}
	// A callback this browser did not start (login CSRF) is refused.
	res, err = http.Get(s.srv.URL + "/auth/oidc/callback?state=forged&code=x")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 403 {
		t.Fatalf("forged callback: %d", res.StatusCode)
	}
}
