package conformance

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"github.com/sit-gis/sit/data"
	"github.com/sit-gis/sit/importers"
	"github.com/sit-gis/sit/ingest"
	"github.com/sit-gis/sit/layers"
)

// The stand-in dataset plays the OGC test data where that cannot be
// downloaded (CI): the ISTAT comuni of the Provincia di Lucca that SIT ships
// (data/admin) as "countries", plus one synthetic island across the
// antimeridian; hand-made populated places with accented and non-Latin
// names, dates, timestamps, intervals that meet, booleans and nulls; and
// hand-made rivers. Its sessions run in UTC+14, so that a date read in the
// session's time zone would show.

var standInLayers = map[string]string{"C": "countries", "P": "places", "R": "rivers"}

type place struct {
	name, ascii               string
	lon, lat                  float64
	pop, popMin, popMax       int64
	date, start, end, boolean string
}

var places = []place{
	{"Lucca", "Lucca", 10.5027, 43.8429, 89046, 89046, 89046, "2024-01-15", "2024-01-15T08:00:00Z", "2024-06-30T18:00:00Z", "true"},
	{"Viareggio", "Viareggio", 10.2503, 43.8657, 61857, 60000, 64000, "", "", "", ""},
	{"Pietrasanta", "Pietrasanta", 10.2272, 43.9594, 23667, 23000, 24000, "", "", "", ""},
	{"Castelnuovo di Garfagnana", "Castelnuovo di Garfagnana", 10.4092, 44.1087, 5783, 5783, 6000, "", "", "", ""},
	{"Barga", "Barga", 10.4800, 44.0738, 9686, 9000, 10000, "2023-05-01", "2023-05-01T09:30:00Z", "2023-05-01T17:00:00Z", "false"},
	{"Città di Castello", "Citta di Castello", 12.2366, 43.4573, 38833, 38000, 40000, "", "", "", ""},
	{"Forlì", "Forli", 12.0408, 44.2227, 117913, 117913, 117913, "", "", "", ""},
	{"Cantù", "Cantu", 9.1290, 45.7390, 39796, 39000, 40000, "", "", "", ""},
	{"København", "Kobenhavn", 12.5683, 55.6761, 644431, 600000, 1300000, "2024-06-30", "2024-06-30T18:00:00Z", "2025-01-01T00:00:00Z", "true"},
	{"Chișinău", "Chisinau", 28.8638, 47.0105, 635994, 600000, 700000, "", "", "", ""},
	{"Łódź", "Lodz", 19.4560, 51.7592, 670642, 670642, 700000, "", "", "", ""},
	{"Ürümqi", "Urumqi", 87.6168, 43.8256, 4054369, 3000000, 4500000, "", "", "", ""},
	{"Ōsaka", "Osaka", 135.5023, 34.6937, 2752412, 2700000, 2800000, "", "", "", ""},
	{"Αθήνα", "Athina", 23.7275, 37.9838, 643452, 600000, 3000000, "2022-12-31", "2022-12-31T23:00:00Z", "2024-01-15T08:00:00Z", ""},
	{"Москва", "Moskva", 37.6173, 55.7558, 13010112, 12000000, 13500000, "", "", "", ""},
	{"東京", "Tokyo", 139.6917, 35.6895, 14047594, 13000000, 37000000, "", "", "", ""},
	{"Suva", "Suva", 178.4419, -18.1416, 93970, 93970, 93970, "", "", "", ""},
	{"Apia", "Apia", -171.7600, -13.8333, 37708, 37000, 38000, "", "", "", ""},
	{"Nukuʻalofa", "Nuku'alofa", -175.2018, -21.1394, 23221, 23221, 23221, "", "", "", ""},
	{"", "", 10.6, 43.95, 0, 0, 0, "", "", "", ""}, // a place that says nothing
}

func newStandIn(t testing.TB) *server {
	t.Helper()
	return newServer(t, "Pacific/Kiritimati", standInLayers, func(ctx context.Context, store *layers.Store) error {
		comuni, err := readComuni(t.TempDir())
		if err != nil {
			return err
		}
		taveuni := orb.MultiPolygon{
			{{{179.8, -16.9}, {180, -16.9}, {180, -16.7}, {179.8, -16.7}, {179.8, -16.9}}},
			{{{-180, -16.9}, {-179.9, -16.9}, {-179.9, -16.7}, {-180, -16.7}, {-180, -16.9}}},
		}
		comuni = append(comuni, layers.Feature{Record: int64(len(comuni) + 1), Geometry: taveuni,
			Props: map[string]any{"name": "Taveuni (synthetic, across the antimeridian)"}})
		if err := load(ctx, store, "countries", nil, comuni); err != nil {
			return err
		}
		if err := load(ctx, store, "places", placeFields, placeFeatures()); err != nil {
			return err
		}
		return load(ctx, store, "rivers", nil, riverFeatures())
	})
}

func load(ctx context.Context, store *layers.Store, name string, fields []layers.Field, feats []layers.Feature) error {
	_, err := store.Import(ctx, layers.ImportSpec{Layer: name, SRID: 4326, Fields: fields}, layers.NewSliceReader(feats))
	return err
}

// readComuni reads the ISTAT boundaries SIT ships, as `sit import` would.
func readComuni(dir string) ([]layers.Feature, error) {
	path, err := data.Extract("admin/openpolis_limits_P_46_municipalities.geojson", dir)
	if err != nil {
		return nil, err
	}
	src, err := ingest.Formats().Open(path, importers.Options{})
	if err != nil {
		return nil, err
	}
	defer src.Close()
	r, err := src.Datasets[0].Open()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	var out []layers.Feature
	for {
		f, err := r.Next()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
}

var placeFields = []layers.Field{
	{Name: "name", Type: layers.TypeText}, {Name: "nameascii", Type: layers.TypeText},
	{Name: "pop", Type: layers.TypeInteger}, {Name: "pop_min", Type: layers.TypeInteger}, {Name: "pop_max", Type: layers.TypeInteger},
	{Name: "date", Type: layers.TypeDate}, {Name: "start", Type: layers.TypeTimestamp}, {Name: "end", Type: layers.TypeTimestamp},
	{Name: "flag", Type: layers.TypeBoolean},
}

func placeFeatures() []layers.Feature {
	var out []layers.Feature
	for i, p := range places {
		props := map[string]any{}
		if p.name != "" {
			props["name"], props["nameascii"] = p.name, p.ascii
			props["pop"], props["pop_min"], props["pop_max"] = p.pop, p.popMin, p.popMax
		}
		for k, v := range map[string]string{"date": p.date, "start": p.start, "end": p.end} {
			if v != "" {
				layout := time.RFC3339
				if k == "date" {
					layout = time.DateOnly
				}
				ts, _ := time.Parse(layout, v)
				props[k] = ts
			}
		}
		if p.boolean != "" {
			props["flag"] = p.boolean == "true"
		}
		out = append(out, layers.Feature{Record: int64(i + 1), Geometry: orb.Point{p.lon, p.lat}, Props: props})
	}
	return out
}

func riverFeatures() []layers.Feature {
	rivers := []struct {
		name string
		geom orb.Geometry
	}{
		{"Serchio", orb.LineString{{10.21, 44.25}, {10.33, 44.13}, {10.45, 44.05}, {10.53, 43.93}, {10.50, 43.86}, {10.38, 43.80}, {10.27, 43.77}}},
		{"Freddana", orb.LineString{{10.36, 43.93}, {10.42, 43.89}, {10.47, 43.87}}},
		{"Lima", orb.LineString{{10.75, 44.10}, {10.62, 44.03}, {10.53, 44.00}}},
		{"Arno", orb.LineString{{10.55, 43.69}, {10.40, 43.68}, {10.28, 43.68}}},
		{"Across the date line (synthetic)", orb.MultiLineString{{{179.5, -16.5}, {180, -16.6}}, {{-180, -16.6}, {-179.5, -16.7}}}},
	}
	var out []layers.Feature
	for i, r := range rivers {
		out = append(out, layers.Feature{Record: int64(i + 1), Geometry: r.geom,
			Props: map[string]any{"name": r.name, "name_it": strings.ToLower(r.name)}})
	}
	return out
}
