package cadastre

import (
	"testing"
)

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
