package server

import (
	"bytes"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/sit-gis/sit/internal/config"
	"github.com/sit-gis/sit/layers"
)

func TestMaskQuery(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"limit=10&bbox=1,2,3,4", "limit=10&bbox=1,2,3,4"},
		{"token=abc&limit=10", "token=********&limit=10"},
		{"code=xyz&state=s1&f=json", "code=********&state=********&f=json"},
		{"Access_Token=abc&access%5Ftoken=def", "Access_Token=********&access%5Ftoken=********"},
		{"token", "token=********"},
		{"a=%zz&token=abc", "(unparsable, 15 bytes)"},
	}
	for _, tc := range tests {
		if got := maskQuery(tc.in); got != tc.want {
			t.Errorf("maskQuery(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestAccessLogOff(t *testing.T) {
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	h := New(Deps{Config: config.DefaultServer(), Catalog: layers.NewCatalog(nil, log), Log: log, Version: "test"})
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/healthz", nil))
	if strings.Contains(logs.String(), "msg=request") {
		t.Fatalf("a request logged with the access log off: %s", logs.String())
	}
}
