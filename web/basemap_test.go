package web

import (
	"net/url"
	"strings"
	"testing"
)

func TestParseBasemap(t *testing.T) {
	tests := []struct {
		name        string
		in          string
		wantNil     bool
		wantErr     string
		typ         string
		url         string
		tiles       int
		attribution string
		tileHas     []string
		origins     []string
	}{
		{name: "empty", in: "  ", wantNil: true},
		{name: "osm template with subdomains", in: "https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png", typ: "raster", tiles: 3,
			attribution: "© OpenStreetMap contributors", tileHas: []string{"https://a.tile.openstreetmap.org/{z}/{x}/{y}.png"},
			origins: []string{"https://a.tile.openstreetmap.org", "https://b.tile.openstreetmap.org", "https://c.tile.openstreetmap.org"}},
		{name: "xyz template", in: "http://tiles.example.org/ortho/{z}/{x}/{y}.jpg", typ: "raster", tiles: 1, attribution: "tiles.example.org",
			origins: []string{"http://tiles.example.org"}},
		{name: "attribution from the fragment", in: "https://tiles.example.org/{z}/{x}/{y}.png#attribution=%C2%A9+Comune+di+Lucca", typ: "raster",
			tiles: 1, attribution: "© Comune di Lucca", tileHas: []string{"https://tiles.example.org/{z}/{x}/{y}.png"}},
		{name: "wms 1.3.0", in: "https://www502.regione.toscana.it/wmsraster/com.rt.wms.RTmap/wms?map=wmsofc&LAYERS=rt_ofc.10k16&SERVICE=WMS",
			typ: "raster", tiles: 1, attribution: "© Regione Toscana – Geoscopio",
			tileHas: []string{"REQUEST=GetMap", "CRS=EPSG%3A3857", "LAYERS=rt_ofc.10k16", "map=wmsofc", "WIDTH=256", "FORMAT=image%2Fpng", "&BBOX={bbox-epsg-3857}", "VERSION=1.3.0"}},
		{name: "wms 1.1.1 uses SRS, keeps the format", in: "http://example.org/geoserver/wms?layers=ortho&version=1.1.1&format=image/jpeg&bbox=1,2,3,4",
			typ: "raster", tiles: 1, tileHas: []string{"SRS=EPSG%3A3857", "layers=ortho", "format=image%2Fjpeg", "version=1.1.1"}},
		{name: "wms without layers", in: "https://example.org/wms?SERVICE=WMS", wantErr: "LAYERS"},
		{name: "pmtiles scheme", in: "pmtiles://https://example.org/base.pmtiles", typ: "pmtiles", url: "https://example.org/base.pmtiles", origins: []string{"https://example.org"}},
		{name: "pmtiles file on this server", in: "/pmtiles/base.pmtiles", typ: "pmtiles", url: "/pmtiles/base.pmtiles"},
		{name: "style", in: "https://demotiles.maplibre.org/style.json", typ: "style", url: "https://demotiles.maplibre.org/style.json", origins: []string{"*"}},
		{name: "not http", in: "ftp://example.org/tiles", wantErr: "not an http(s) URL"},
		{name: "relative path", in: "tiles/{z}/{x}/{y}.png", wantErr: "not an http(s) URL"},
		{name: "unknown kind", in: "https://example.org/something", wantErr: "cannot tell"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, err := ParseBasemap(tc.in)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err %v, want one with %q", err, tc.wantErr)
				}
				if !strings.Contains(err.Error(), "--basemap") {
					t.Errorf("error does not name the flag: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tc.wantNil {
				if b != nil {
					t.Fatalf("got %+v, want nil", b)
				}
				return
			}
			if b.Type != tc.typ || b.URL != tc.url || len(b.Tiles) != tc.tiles {
				t.Fatalf("got %+v", b)
			}
			if tc.attribution != "" && b.Attribution != tc.attribution {
				t.Errorf("attribution %q, want %q", b.Attribution, tc.attribution)
			}
			for _, want := range tc.tileHas {
				if !strings.Contains(b.Tiles[0], want) {
					t.Errorf("tile template %q lacks %q", b.Tiles[0], want)
				}
			}
			if tc.origins != nil && strings.Join(b.origins, " ") != strings.Join(tc.origins, " ") {
				t.Errorf("origins %v, want %v", b.origins, tc.origins)
			}
		})
	}
}

// The WMS template must keep one BBOX (the placeholder), not the one the
// operator's URL carried, and be a parseable URL once filled.
func TestWMSTemplateFills(t *testing.T) {
	b, err := ParseBasemap("http://example.org/wms?LAYERS=a&BBOX=1,2,3,4")
	if err != nil {
		t.Fatal(err)
	}
	filled := strings.Replace(b.Tiles[0], "{bbox-epsg-3857}", "0,0,1,1", 1)
	u, err := url.Parse(filled)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	if got := q["BBOX"]; len(got) != 1 || got[0] != "0,0,1,1" {
		t.Errorf("BBOX %v in %s", got, filled)
	}
	if q.Get("STYLES") != "" || !q.Has("STYLES") {
		t.Errorf("STYLES must be present and empty: %s", filled)
	}
}
