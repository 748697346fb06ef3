package auth

import (
	"strings"
	"testing"

	"github.com/sit-gis/sit/access"
)

func TestPasswordHash(t *testing.T) {
	h, err := HashPassword("correct horse battery")
	if err != nil || !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash %q: %v", h, err)
	}
	for _, tc := range []struct {
		pw   string
		want bool
	}{{"correct horse battery", true}, {"correct horse batterY", false}, {"", false}} {
		ok, err := VerifyPassword(h, tc.pw)
		if err != nil || ok != tc.want {
			t.Errorf("%q: %v %v", tc.pw, ok, err)
		}
	}
	if h2, _ := HashPassword("correct horse battery"); h2 == h {
		t.Error("two hashes of a password are equal: no salt")
	}
	for _, bad := range []string{"", "$argon2i$v=19$m=1,t=1,p=1$AA$AA", "$argon2id$v=19$m=99999999,t=2,p=1$AA$AA"} {
		if _, err := VerifyPassword(bad, "x"); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	if CheckPassword("short") == nil || CheckPassword("long enough!") != nil {
		t.Error("password length rule")
	}
}

func TestClaimMap(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want ClaimMap
		err  bool
	}{
		{"sit-admin=admin", ClaimMap{Value: "sit-admin", Role: access.Admin}, false},
		{"gis-lucca=editor@lucca", ClaimMap{Value: "gis-lucca", Role: access.Editor, Comune: "lucca"}, false},
		{"x=root", ClaimMap{}, true},
		{"=admin", ClaimMap{}, true},
		{"admin", ClaimMap{}, true},
	} {
		got, err := ParseClaimMap(tc.in)
		if (err != nil) != tc.err || got.Value != tc.want.Value || got.Role != tc.want.Role || got.Comune != tc.want.Comune {
			t.Errorf("%q: %+v %v", tc.in, got, err)
		}
	}
	cfg := OIDCConfig{Map: []ClaimMap{{"a", access.Professional, "lucca"}, {"b", access.Admin, "lucca"}}}
	if r, c, ok := cfg.resolve([]string{"a", "b", "z"}); !ok || r != access.Admin || c != "lucca" {
		t.Errorf("the most powerful match: %v %v %v", r, c, ok)
	}
	if _, _, ok := cfg.resolve([]string{"z"}); ok {
		t.Error("no match and no default role must refuse")
	}
	cfg.DefaultRole = access.Professional
	if r, _, ok := cfg.resolve(nil); !ok || r != access.Professional {
		t.Error("default role")
	}
}

func TestSafeReturn(t *testing.T) {
	for in, want := range map[string]string{"/c/lucca/map/": "/c/lucca/map/", "": "/map/", "//evil.example/": "/map/",
		"/\\evil.example": "/map/", "https://evil.example/": "/map/", "/x\r\nSet-Cookie: a=b": "/map/"} {
		if got := safeReturn(in); got != want {
			t.Errorf("%q → %q, want %q", in, got, want)
		}
	}
}
