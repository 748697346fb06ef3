package admin

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// TestAccountsAndTokens: creating, changing and removing accounts and
// tokens, who may, and the errors of bad bodies; no answer ever holds a
// password hash, and a token's secret only the answer that made it.
func TestAccountsAndTokens(t *testing.T) {
	f := newFixture(t)
	lu := fmt.Sprint(f.luAccount)
	tests := []struct {
		name, who, method, path, body string
		status                        int
		contains                      string
	}{
		{"create", adminLU, "POST", "/admin/accounts", `{"username":"geom.rossi","password":"una password lunga","role":"professional"}`, 201, `"comune":"lucca"`},
		{"create twice", adminLU, "POST", "/admin/accounts", `{"username":"geom.rossi","password":"una password lunga","role":"professional"}`, 409, ""},
		{"no role", adminLU, "POST", "/admin/accounts", `{"username":"x.y"}`, 400, `"parameter":"body"`},
		{"bad role", adminLU, "POST", "/admin/accounts", `{"username":"x.y","role":"king"}`, 400, `"parameter":"role"`},
		{"bad username", adminLU, "POST", "/admin/accounts", `{"username":"Mario Rossi","role":"editor"}`, 400, `"parameter":"body"`},
		{"short password", adminLU, "POST", "/admin/accounts", `{"username":"x.y","role":"editor","password":"corta"}`, 400, `"parameter":"body"`},
		{"unknown member", adminLU, "POST", "/admin/accounts", `{"username":"x.y","role":"editor","admin":true}`, 400, `"parameter":"body"`},
		{"editor creates", editor, "POST", "/admin/accounts", `{"username":"x.y","role":"admin"}`, 403, ""},
		{"disable", adminLU, "PATCH", "/admin/accounts/" + lu, `{"disabled":true}`, 200, `"disabled":true`},
		{"rename username", adminLU, "PATCH", "/admin/accounts/" + lu, `{"username":"altro"}`, 400, `"parameter":"username"`},
		{"bad id", adminLU, "GET", "/admin/accounts/abc", "", 404, `"parameter":"id"`},
		{"list", adminLU, "GET", "/admin/accounts", "", 200, `"username":"geom.rossi"`},
		{"token", adminLU, "POST", "/admin/tokens", `{"name":"notturno","role":"editor","layers":["zone"],"ttlSeconds":86400}`, 201, `"secret":"sit_`},
		{"token twice", adminLU, "POST", "/admin/tokens", `{"name":"notturno","role":"editor"}`, 409, ""},
		{"token bad role", adminLU, "POST", "/admin/tokens", `{"name":"x","role":"king"}`, 400, `"parameter":"body"`},
		{"token negative ttl", adminLU, "POST", "/admin/tokens", `{"name":"x","role":"editor","ttlSeconds":-1}`, 400, `"parameter":"ttlSeconds"`},
		{"editor token", editor, "POST", "/admin/tokens", `{"name":"x","role":"editor"}`, 403, ""},
		{"token list", adminLU, "GET", "/admin/tokens", "", 200, `"name":"notturno"`},
		{"delete", adminLU, "DELETE", "/admin/accounts/" + lu, "", 204, ""},
		{"deleted", adminLU, "GET", "/admin/accounts/" + lu, "", 404, ""},
		{"audit limit", adminLU, "GET", "/admin/audit?limit=0", "", 400, `"parameter":"limit"`},
		{"audit before", adminLU, "GET", "/admin/audit?before=x", "", 400, `"parameter":"before"`},
		{"imports limit", adminLU, "GET", "/admin/imports?limit=501", "", 400, `"parameter":"limit"`},
		{"imports of a layer", adminLU, "GET", "/admin/imports?layer=zone", "", 200, `"layer":"zone"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, body := f.do(tc.who, tc.method, tc.path, tc.body)
			if res.StatusCode != tc.status || !strings.Contains(body, tc.contains) {
				t.Fatalf("%d %s; want %d with %s", res.StatusCode, body, tc.status, tc.contains)
			}
			if strings.Contains(body, "argon2") || strings.Contains(body, "una password lunga") {
				t.Errorf("the answer holds a password or its hash: %s", body)
			}
			for _, secret := range f.tokens {
				if strings.Contains(body, secret) {
					t.Errorf("the answer holds a token's secret: %s", body)
				}
			}
		})
	}
	var list struct {
		Tokens []struct {
			ID      int64
			Name    string
			Revoked *string
		}
	}
	_, body := f.do(adminLU, "GET", "/admin/tokens", "")
	if err := json.Unmarshal([]byte(body), &list); err != nil {
		t.Fatal(err)
	}
	for _, k := range list.Tokens {
		if k.Name != "notturno" {
			continue
		}
		if res, body := f.do(adminLU, "DELETE", fmt.Sprint("/admin/tokens/", k.ID), ""); res.StatusCode != 204 {
			t.Fatalf("revoke: %d %s", res.StatusCode, body)
		}
	}
	if _, body := f.do(adminLU, "GET", "/admin/tokens", ""); !strings.Contains(body, `"revoked":"`) {
		t.Errorf("the revoked token is not listed as revoked: %s", body)
	}
}
