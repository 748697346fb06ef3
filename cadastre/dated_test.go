package cadastre

import (
	"context"
	"fmt"
	"net/url"
	"testing"
	"time"

	"github.com/sit-gis/sit/internal/httpx/httpxtest"
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
	httpxtest.Run(t, f.svc, []httpxtest.Case{
		{Name: "125 then", Path: "/parcels/E715_003700.125?" + at, Status: 200, Type: GeoJSONType, CheckJSON: wantID("E715_003700.125")},
		{Name: "125 now", Path: "/parcels/E715_003700.125", Status: 404, Param: "ref"},
		{Name: "128 then", Path: "/parcels/E715_003700.128?" + at, Status: 404, Param: "ref"},
		{Name: "128 now", Path: "/parcels/E715_003700.128", Status: 200, Type: GeoJSONType, CheckJSON: wantID("E715_003700.128")},
		{Name: "point then", Path: fmt.Sprintf("/parcels/at?lon=%v&lat=%v&%s", c[0], c[1], at), Status: 200, Type: GeoJSONType, CheckJSON: wantID("E715_003700.125")},
		{Name: "point now", Path: fmt.Sprintf("/parcels/at?lon=%v&lat=%v", c[0], c[1]), Status: 200, Type: GeoJSONType, CheckJSON: wantID("E715_003700.128")},
		{Name: "search then", Path: "/parcels/search?q=37/125&" + at, Status: 200, Type: GeoJSONType},
		{Name: "before the cadastre", Path: "/parcels/E715_003700.125?at=2001-01-01", Status: 404, Param: "at"},
		{Name: "bad date", Path: "/parcels/E715_003700.125?at=ieri", Status: 400, Param: "at"},
		{Name: "future date", Path: "/parcels/search?q=37/125&at=2999-01-01", Status: 400, Param: "at"},
	})
}
