package cadastre

import (
	"testing"

	"github.com/sit-gis/sit/internal/httpx/httpxtest"
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
	httpxtest.Run(t, f.svc, []httpxtest.Case{
		{Name: "addresses", Path: "/parcels/suggest?q=via+del+f", Status: 200, Type: JSONType, CheckJSON: count(2)},
		{Name: "parcels", Path: "/parcels/suggest?q=37/1", Status: 200, Type: JSONType, CheckJSON: count(3)},
		{Name: "limit", Path: "/parcels/suggest?q=37/1&limit=1", Status: 200, Type: JSONType, CheckJSON: count(1)},
		{Name: "none is an empty list", Path: "/parcels/suggest?q=zzz", Status: 200, Type: JSONType, CheckJSON: count(0)},
		{Name: "no q", Path: "/parcels/suggest?q=", Status: 400, Param: "q"},
		{Name: "bad limit", Path: "/parcels/suggest?q=via&limit=0", Status: 400, Param: "limit"},
	})
}
