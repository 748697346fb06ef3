package cadastre

import (
	"context"
	"fmt"
	"net/url"
	"testing"
	"time"

	"github.com/sit-gis/sit/layers"
)

// TestLookupAt: the cadastre re-imported with 37/125 merged into 37/128:
// at= the first version's instant finds 37/125 and not 37/128, now the
// reverse; a date before the cadastre existed is a 404 naming at.
func TestLookupAt(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	var v1 time.Time
	if err := f.pool.QueryRow(ctx, `SELECT valid_from FROM sit.layer_versions WHERE layer = 'test_parcels' ORDER BY version DESC LIMIT 1`).Scan(&v1); err != nil {
		t.Fatal(err)
	}
	_, err := layers.NewStore(f.pool, nil).Import(ctx, layers.ImportSpec{Layer: "test_parcels", Kind: layers.KindCadastral, SRID: 4326,
		Roles: []string{layers.RoleCadastre}, Source: layers.SourceInfo{Name: "test_parcels_v2.mem"}},
		layers.NewSliceReader([]layers.Feature{parcelFeature(1, square(0, 0), map[string]any{"foglio": "37", "particella": "128", "ref": "E715_003700.128", "tipo": "particella"})}))
	if err != nil {
		t.Fatal(err)
	}
	if err := f.cat.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	at := "at=" + url.QueryEscape(v1.Format(time.RFC3339Nano))
	c := centre(0, 0)
	runHandlerCases(t, f.svc, []handlerCase{
		{name: "125 then", path: "/parcels/E715_003700.125?" + at, wantStatus: 200, wantType: GeoJSONType, check: wantID("E715_003700.125")},
		{name: "125 now", path: "/parcels/E715_003700.125", wantStatus: 404, wantParam: "ref"},
		{name: "128 then", path: "/parcels/E715_003700.128?" + at, wantStatus: 404, wantParam: "ref"},
		{name: "128 now", path: "/parcels/E715_003700.128", wantStatus: 200, wantType: GeoJSONType, check: wantID("E715_003700.128")},
		{name: "point then", path: fmt.Sprintf("/parcels/at?lon=%v&lat=%v&%s", c[0], c[1], at), wantStatus: 200, wantType: GeoJSONType, check: wantID("E715_003700.125")},
		{name: "point now", path: fmt.Sprintf("/parcels/at?lon=%v&lat=%v", c[0], c[1]), wantStatus: 200, wantType: GeoJSONType, check: wantID("E715_003700.128")},
		{name: "search then", path: "/parcels/search?q=37/125&" + at, wantStatus: 200, wantType: GeoJSONType},
		{name: "before the cadastre", path: "/parcels/E715_003700.125?at=2001-01-01", wantStatus: 404, wantParam: "at"},
		{name: "bad date", path: "/parcels/E715_003700.125?at=ieri", wantStatus: 400, wantParam: "at"},
		{name: "future date", path: "/parcels/search?q=37/125&at=2999-01-01", wantStatus: 400, wantParam: "at"},
	})
}
