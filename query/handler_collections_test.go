package query

import (
	"encoding/json"
	"testing"
)

func TestCollections(t *testing.T) {
	s := catalogService(t, Options{CollectionLinks: collectionTilesLink})
	rec := serve(t, s, "/collections", "Accept", "application/json")
	var doc CollectionsDoc
	if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Collections) != 2 || doc.Collections[0].ID != "copertura" || doc.Collections[1].ID != "particelle" {
		t.Fatalf("collections = %+v", doc.Collections)
	}
	if len(doc.CRS) < 9 || doc.CRS[0] != CRS84.URI {
		t.Errorf("crs = %v", doc.CRS)
	}
	if doc.Collections[1].Extent.Spatial.BBox[0] != [4]float64{10.4, 43.8, 10.6, 43.9} {
		t.Errorf("extent = %+v", doc.Collections[1].Extent)
	}
	if doc.Collections[1].Extent.Temporal != nil || doc.Collections[0].Extent.Temporal == nil {
		t.Error("temporal extents wrong")
	}
}
