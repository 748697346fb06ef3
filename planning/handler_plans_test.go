package planning

import (
	"testing"
	"time"

	"github.com/sit-gis/sit/internal/httpx/httpxtest"
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
	httpxtest.Run(t, svc, []httpxtest.Case{
		{Name: "today", Path: "/plans", Status: 200, CheckJSON: statuses("in_force", "adopted")},
		{Name: "before the variant", Path: "/plans?at=2025-01-31", Status: 200, CheckJSON: statuses("in_force", "not_adopted")},
		{Name: "Italian date", Path: "/plans?at=01/02/2019", Status: 200, CheckJSON: statuses("not_adopted", "not_adopted")},
		{Name: "bad date", Path: "/plans?at=ieri", Status: 400, Param: "at"},
		{Name: "future", Path: "/plans?at=2099-01-01", Status: 400, Param: "at"},
		{Name: "unknown parameter", Path: "/plans?foo=1", Status: 400, Param: "foo"},
	})
}

func TestHandlePlan(t *testing.T) {
	f := newFixture(t)
	f.register(t)
	svc := NewService(f.pool, Options{Now: func() time.Time { return fixedNow }})
	httpxtest.Run(t, svc, []httpxtest.Case{
		{Name: "one plan", Path: "/plans/var-centro", Status: 200, CheckJSON: func(t *testing.T, b map[string]any) {
			if b["code"] != "var-centro" || b["parent"] != "po" || b["status"] != "adopted" || b["safeguard_until"] == nil || len(b["acts"].([]any)) != 1 {
				t.Fatalf("%v", b)
			}
		}},
		{Name: "unknown", Path: "/plans/nope", Status: 404, Param: "code"},
		{Name: "bad articles", Path: "/plans/po?articles=yes", Status: 400, Param: "articles"},
	})
}
