package tiles

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/sit-gis/sit/layers"
)

// fakeCatalog is a fixed catalog for tests that need no database.
type fakeCatalog []layers.Layer

func (c fakeCatalog) Layers() []layers.Layer { return c }
func (c fakeCatalog) Layer(name string) (layers.Layer, bool) {
	for _, l := range c {
		if l.Name == name {
			return l, true
		}
	}
	return layers.Layer{}, false
}

func testCatalog() fakeCatalog {
	ext := [4]float64{10.42, 43.80, 10.62, 43.90}
	return fakeCatalog{
		{Name: "parcels", Title: "Particelle", Kind: layers.KindCadastral, Table: "parcels", GeometryType: "MultiPolygon",
			FIDType: layers.TypeInteger, Version: 3, MinZoom: 14, MaxZoom: 22, Extent: &ext, Attribution: "© Agenzia delle Entrate",
			UpdatedAt: time.Unix(1700000000, 0),
			Properties: []layers.Property{{Name: "comune", Type: layers.TypeText}, {Name: "foglio", Type: layers.TypeText},
				{Name: "particella", Type: layers.TypeText}, {Name: "ref", Type: layers.TypeText}, {Name: "area_m2", Type: layers.TypeDouble},
				{Name: "owner_note", Type: layers.TypeText}}},
		{Name: "zoning", Title: "Zonizzazione", Kind: layers.KindZoning, Table: "zoning", GeometryType: "MultiPolygon",
			FIDType: layers.TypeInteger, Version: 7, MinZoom: 10, MaxZoom: 22, Extent: &ext, Attribution: "© Comune di Lucca",
			Properties: []layers.Property{{Name: "zone_code", Type: layers.TypeText}, {Name: "zone_class", Type: layers.TypeText},
				{Name: "description", Type: layers.TypeText}, {Name: "meta", Type: layers.TypeJSON}}},
		{Name: "broadband", Title: "Copertura", Kind: layers.KindBroadband, Table: "broadband", GeometryType: "Point",
			FIDType: layers.TypeText, Version: 1, MinZoom: 12, MaxZoom: 22, Extent: &ext,
			Properties: []layers.Property{{Name: "snapshot", Type: layers.TypeDate}, {Name: "speed_band", Type: layers.TypeText},
				{Name: "area_class", Type: layers.TypeText}}},
	}
}

// noDB fails every statement: for tests that must not reach the database.
type noDB struct{}

func (noDB) QueryRow(context.Context, string, ...any) pgx.Row { return errRow{} }

type errRow struct{}

func (errRow) Scan(...any) error { return errors.New("no database in this test") }

// bytesDB answers every tile statement with fixed bytes.
type bytesDB struct{ body []byte }

func (b bytesDB) QueryRow(context.Context, string, ...any) pgx.Row { return bytesRow(b) }

type bytesRow bytesDB

func (r bytesRow) Scan(dest ...any) error {
	fresh := true
	*dest[0].(**bool) = &fresh // NULL is a stale tile copy
	// As pgx does for a bytea into a BytesScanner: the driver's bytes.
	return dest[1].(pgtype.BytesScanner).ScanBytes(r.body)
}
