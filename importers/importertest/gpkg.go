package importertest

import (
	"database/sql"
	"encoding/binary"
	"fmt"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
	_ "modernc.org/sqlite" // the pure-Go SQLite driver, as the reader uses
)

// Table is one feature table of a GeoPackage fixture: features with a
// "nome" attribute, in EPSG:SRID.
type Table struct {
	Name  string
	SRID  int
	Geoms []orb.Geometry
}

// WriteGeoPackage writes a minimal GeoPackage holding the tables, as GDAL
// lays one out (gpkg_spatial_ref_sys, gpkg_contents, gpkg_geometry_columns).
func WriteGeoPackage(t testing.TB, path string, tables ...Table) {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := db.Exec(q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	exec(`PRAGMA application_id = 1196444487`)
	exec(`CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, organization TEXT NOT NULL,
		organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT)`)
	exec(`CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
		description TEXT DEFAULT '', last_change DATETIME, min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER)`)
	exec(`CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
		srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL, PRIMARY KEY (table_name, column_name))`)
	srs := map[int]bool{}
	for _, tb := range tables {
		if !srs[tb.SRID] {
			srs[tb.SRID] = true
			exec(`INSERT INTO gpkg_spatial_ref_sys VALUES (?, ?, 'EPSG', ?, 'undefined', NULL)`, fmt.Sprint("EPSG:", tb.SRID), tb.SRID, tb.SRID)
		}
		exec(`INSERT INTO gpkg_contents (table_name, data_type, identifier, srs_id) VALUES (?, 'features', ?, ?)`, tb.Name, tb.Name, tb.SRID)
		exec(`INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', 'GEOMETRY', ?, 0, 0)`, tb.Name, tb.SRID)
		exec(`CREATE TABLE "` + tb.Name + `" (fid INTEGER PRIMARY KEY, geom BLOB, nome TEXT)`)
		for i, g := range tb.Geoms {
			b, err := wkb.Marshal(g)
			if err != nil {
				t.Fatal(err)
			}
			exec(`INSERT INTO "`+tb.Name+`" VALUES (?, ?, ?)`, i+1, gpkgGeometry(b, tb.SRID), fmt.Sprintf("%s %d", tb.Name, i+1))
		}
	}
}

// gpkgGeometry wraps WKB in a GeoPackage geometry header without envelope.
func gpkgGeometry(wkbData []byte, srid int) []byte {
	b := []byte{'G', 'P', 0, 1} // version 0, little-endian, no envelope
	b = binary.LittleEndian.AppendUint32(b, uint32(srid))
	return append(b, wkbData...)
}
