package planning

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/go-chi/chi/v5"

	"github.com/sit-gis/sit/internal/httpx"
)

// handlerCase is one request to the mounted routes and what must come back.
type handlerCase struct {
	name       string
	path       string
	wantStatus int
	wantParam  string // for problems
	check      func(t *testing.T, body map[string]any)
}

func runHandlerCases(t *testing.T, m httpx.Mounter, cases []handlerCase) {
	t.Helper()
	r := chi.NewRouter()
	m.Mount(r)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			r.ServeHTTP(w, httptest.NewRequest(http.MethodGet, tc.path, nil))
			if w.Code != tc.wantStatus {
				t.Fatalf("status %d, want %d: %s", w.Code, tc.wantStatus, w.Body)
			}
			var body map[string]any
			if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil {
				t.Fatalf("body: %v", err)
			}
			if w.Code >= 400 {
				if ct := w.Header().Get("Content-Type"); ct != httpx.ProblemType || body["parameter"] != tc.wantParam {
					t.Fatalf("problem %s (%s), want parameter %q", w.Body, ct, tc.wantParam)
				}
				return
			}
			if tc.check != nil {
				tc.check(t, body)
			}
		})
	}
}
