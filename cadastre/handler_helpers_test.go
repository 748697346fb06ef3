package cadastre

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
	wantType   string
	wantParam  string // for problems
	check      func(t *testing.T, body map[string]any)
}

func runHandlerCases(t *testing.T, s *Service, cases []handlerCase) {
	t.Helper()
	r := chi.NewRouter()
	s.Mount(r)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			r.ServeHTTP(w, httptest.NewRequest(http.MethodGet, tc.path, nil))
			if w.Code != tc.wantStatus {
				t.Fatalf("status %d, want %d: %s", w.Code, tc.wantStatus, w.Body)
			}
			ct := w.Header().Get("Content-Type")
			if w.Code >= 400 {
				var p httpx.Problem
				if ct != httpx.ProblemType {
					t.Fatalf("content type %q, want %q", ct, httpx.ProblemType)
				}
				if err := json.Unmarshal(w.Body.Bytes(), &p); err != nil || p.Parameter != tc.wantParam || p.Status != w.Code {
					t.Fatalf("problem %s (%v), want parameter %q", w.Body, err, tc.wantParam)
				}
				return
			}
			if ct != tc.wantType {
				t.Fatalf("content type %q, want %q", ct, tc.wantType)
			}
			var body map[string]any
			if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil {
				t.Fatalf("body: %v", err)
			}
			if tc.check != nil {
				tc.check(t, body)
			}
		})
	}
}

// ids returns the ids of a FeatureCollection's features.
func ids(body map[string]any) []string {
	var out []string
	fs, _ := body["features"].([]any)
	for _, f := range fs {
		out = append(out, f.(map[string]any)["id"].(string))
	}
	return out
}

func wantID(id string) func(t *testing.T, body map[string]any) {
	return func(t *testing.T, body map[string]any) {
		t.Helper()
		if body["type"] != "Feature" || body["id"] != id {
			t.Fatalf("got %v %v, want Feature %s", body["type"], body["id"], id)
		}
		props := body["properties"].(map[string]any)
		if props["area_m2"].(float64) <= 0 || len(body["bbox"].([]any)) != 4 || len(props["centroid"].([]any)) != 2 || body["geometry"] == nil {
			t.Fatalf("area, bbox, centroid or geometry missing: %v", body)
		}
	}
}

func wantIDs(want ...string) func(t *testing.T, body map[string]any) {
	return func(t *testing.T, body map[string]any) {
		t.Helper()
		got := ids(body)
		if len(got) != len(want) {
			t.Fatalf("ids %v, want %v", got, want)
		}
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("ids %v, want %v", got, want)
			}
		}
	}
}
