package planning

import (
	"testing"
	"time"
)

func TestHandlePlans(t *testing.T) {
	f := newFixture(t)
	f.register(t)
	svc := NewService(f.pool, Options{Now: func() time.Time { return fixedNow }})
	statuses := func(want ...string) func(t *testing.T, body map[string]any) {
		return func(t *testing.T, body map[string]any) {
			t.Helper()
			ps := body["plans"].([]any)
			if len(ps) != len(want) {
				t.Fatalf("%d plans, want %d", len(ps), len(want))
			}
			for i, p := range ps {
				if got := p.(map[string]any)["status"]; got != want[i] {
					t.Errorf("plan %d: %v, want %s", i, got, want[i])
				}
			}
		}
	}
	runHandlerCases(t, svc, []handlerCase{
		{name: "today", path: "/plans", wantStatus: 200, check: statuses("in_force", "adopted")},
		{name: "before the variant", path: "/plans?at=2025-01-31", wantStatus: 200, check: statuses("in_force", "not_adopted")},
		{name: "Italian date", path: "/plans?at=01/02/2019", wantStatus: 200, check: statuses("not_adopted", "not_adopted")},
		{name: "bad date", path: "/plans?at=ieri", wantStatus: 400, wantParam: "at"},
		{name: "future", path: "/plans?at=2099-01-01", wantStatus: 400, wantParam: "at"},
		{name: "unknown parameter", path: "/plans?foo=1", wantStatus: 400, wantParam: "foo"},
	})
}

func TestHandlePlan(t *testing.T) {
	f := newFixture(t)
	f.register(t)
	svc := NewService(f.pool, Options{Now: func() time.Time { return fixedNow }})
	runHandlerCases(t, svc, []handlerCase{
		{name: "one plan", path: "/plans/var-centro", wantStatus: 200, check: func(t *testing.T, b map[string]any) {
			if b["code"] != "var-centro" || b["parent"] != "po" || b["status"] != "adopted" || b["safeguard_until"] == nil || len(b["acts"].([]any)) != 1 {
				t.Fatalf("%v", b)
			}
		}},
		{name: "unknown", path: "/plans/nope", wantStatus: 404, wantParam: "code"},
		{name: "bad articles", path: "/plans/po?articles=yes", wantStatus: 400, wantParam: "articles"},
	})
}
