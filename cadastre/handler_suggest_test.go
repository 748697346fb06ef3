package cadastre

import (
	"testing"
)

func TestHandleSuggest(t *testing.T) {
	f := newFixture(t)
	count := func(n int) func(t *testing.T, b map[string]any) {
		return func(t *testing.T, b map[string]any) {
			if got := len(b["suggestions"].([]any)); got != n {
				t.Fatalf("%d suggestions, want %d: %v", got, n, b)
			}
		}
	}
	runHandlerCases(t, f.svc, []handlerCase{
		{name: "addresses", path: "/parcels/suggest?q=via+del+f", wantStatus: 200, wantType: JSONType, check: count(2)},
		{name: "parcels", path: "/parcels/suggest?q=37/1", wantStatus: 200, wantType: JSONType, check: count(3)},
		{name: "limit", path: "/parcels/suggest?q=37/1&limit=1", wantStatus: 200, wantType: JSONType, check: count(1)},
		{name: "none is an empty list", path: "/parcels/suggest?q=zzz", wantStatus: 200, wantType: JSONType, check: count(0)},
		{name: "no q", path: "/parcels/suggest?q=", wantStatus: 400, wantParam: "q"},
		{name: "bad limit", path: "/parcels/suggest?q=via&limit=0", wantStatus: 400, wantParam: "limit"},
	})
}
