package query

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/sit-gis/sit/layers"
)

func collectionTilesLink(base string, l layers.Layer) []Link {
	return []Link{{Href: base + "/collections/" + l.Name + "/tiles", Rel: "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector", Type: mtJSON}}
}

func TestCollection(t *testing.T) {
	s := catalogService(t, Options{CollectionLinks: collectionTilesLink})
	tests := []struct {
		name, target string
		status       int
		check        func(t *testing.T, d CollectionDoc)
	}{
		{"broadband with time", "/collections/copertura", 200, func(t *testing.T, d CollectionDoc) {
			iv := d.Extent.Temporal.Interval[0]
			if *iv[0] != "2024-01-01T00:00:00Z" || *iv[1] != "2025-01-01T00:00:00Z" {
				t.Errorf("interval = %v %v", *iv[0], *iv[1])
			}
		}},
		{"links", "/collections/particelle", 200, func(t *testing.T, d CollectionDoc) {
			want := map[string]bool{"self": false, "alternate": false, "items": false,
				"http://www.opengis.net/def/rel/ogc/1.0/queryables": false, "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector": false}
			for _, l := range d.Links {
				if _, ok := want[l.Rel]; ok {
					want[l.Rel] = true
				}
			}
			for rel, ok := range want {
				if !ok {
					t.Errorf("no %s link", rel)
				}
			}
			if d.StorageCRS != CRS84.URI || d.ItemType != "feature" {
				t.Errorf("storageCrs %s itemType %s", d.StorageCRS, d.ItemType)
			}
		}},
		{"unknown", "/collections/nope", http.StatusNotFound, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := serve(t, s, tc.target)
			if rec.Code != tc.status {
				t.Fatalf("status %d: %s", rec.Code, rec.Body.String())
			}
			if tc.check == nil {
				return
			}
			var d CollectionDoc
			if err := json.Unmarshal(rec.Body.Bytes(), &d); err != nil {
				t.Fatal(err)
			}
			tc.check(t, d)
		})
	}
}
