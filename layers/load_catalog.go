package layers

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sit-gis/sit/crs"
)

// defaultZooms are the zoom ranges at which a kind's features are worth
// drawing; the tile server and the style start from these.
func defaultZooms(k Kind) (int, int) {
	switch k {
	case KindCadastral:
		return 14, 22
	case KindZoning, KindConstraint:
		return 10, 22
	case KindBroadband:
		return 12, 22
	case KindAddress:
		return 15, 22
	}
	return 0, 22
}

// layerStats are what the catalog keeps about a table's contents.
type layerStats struct {
	count    int64
	extent   []float64 // EPSG:4326 minx, miny, maxx, maxy; nil when empty
	temporal string    // the temporal property, "" for none
	tExtent  []time.Time
}

// stats reads the feature count, extent and (broadband) snapshot range of
// the live table.
func (l *loader) stats(ctx context.Context, tx pgx.Tx) (layerStats, error) {
	ident := versionIdent(l.table)
	var st layerStats
	var minx, miny, maxx, maxy *float64
	if err := tx.QueryRow(ctx, "SELECT n, ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM (SELECT ST_Extent(geom) AS e, count(*) AS n FROM "+ident+") x").Scan(&st.count, &minx, &miny, &maxx, &maxy); err != nil {
		return st, fmt.Errorf("extent: %w", err)
	}
	if minx != nil {
		st.extent = []float64{*minx, *miny, *maxx, *maxy}
	}
	if l.spec.Kind != KindBroadband {
		return st, nil
	}
	st.temporal = "snapshot"
	var lo, hi *time.Time
	if err := tx.QueryRow(ctx, "SELECT min(snapshot)::timestamptz, max(snapshot)::timestamptz FROM "+ident).Scan(&lo, &hi); err != nil {
		return st, fmt.Errorf("temporal extent: %w", err)
	}
	if lo != nil {
		st.tExtent = []time.Time{*lo, *hi}
	}
	return st, nil
}

// layerMeta is the descriptive part of a catalog row: what the import says,
// else what the layer had, else defaults.
type layerMeta struct {
	title, description, attribution string
	minZoom, maxZoom                int
	roles                           []string
}

func (l *loader) meta(existing *Layer) layerMeta {
	m := layerMeta{title: l.spec.Title, description: l.spec.Description, attribution: l.spec.Attribution, roles: l.spec.Roles}
	m.minZoom, m.maxZoom = defaultZooms(l.spec.Kind)
	if existing != nil {
		if m.title == "" {
			m.title = existing.Title
		}
		if m.description == "" {
			m.description = existing.Description
		}
		if m.attribution == "" {
			m.attribution = existing.Attribution
		}
		if existing.Kind == l.spec.Kind {
			m.minZoom, m.maxZoom = existing.MinZoom, existing.MaxZoom
		}
		if m.roles == nil {
			m.roles = existing.Roles
		}
	}
	if m.title == "" {
		m.title = l.spec.Layer
	}
	if m.roles == nil {
		m.roles = []string{}
	}
	return m
}

// catalogProperties is the property list of the catalog row.
func catalogProperties(cols []column) ([]byte, error) {
	var props []Property
	for _, c := range cols {
		p := Property{Name: c.Name, Type: c.Type, Queryable: c.Type != TypeJSON, Canonical: c.Canon}
		if c.Source != c.Name {
			p.Title = c.Source
		}
		props = append(props, p)
	}
	sortProperties(props)
	return json.Marshal(props)
}

// updateCatalog writes the layer's row in sit.layers: its new version and
// the table holding it.
func (l *loader) updateCatalog(ctx context.Context, tx pgx.Tx, existing *Layer, cols []column, geomType string, fidType FieldType) error {
	propsJSON, err := catalogProperties(cols)
	if err != nil {
		return err
	}
	st, err := l.stats(ctx, tx)
	if err != nil {
		return err
	}
	m := l.meta(existing)
	vis, err := ParseVisibility(string(l.spec.Visibility))
	if err != nil {
		return err
	}
	err = tx.QueryRow(ctx, `INSERT INTO sit.layers AS l (name, title, description, attribution, kind, table_name, geometry_type,
			source_srid, fid_type, version, feature_count, extent, properties, temporal_property, temporal_extent,
			min_zoom, max_zoom, roles, synthetic, comune, visibility, updated_at)
		VALUES ($1, $2, $3, $4, $5, $18, $6, $7, $8, $19, $9, $10, $11, NULLIF($12, ''), $13, $14, $15, $16, $17,
			NULLIF($20, ''), $21, now())
		ON CONFLICT (name) DO UPDATE SET title = EXCLUDED.title, description = EXCLUDED.description,
			attribution = EXCLUDED.attribution, kind = EXCLUDED.kind, table_name = EXCLUDED.table_name,
			geometry_type = EXCLUDED.geometry_type, source_srid = EXCLUDED.source_srid, fid_type = EXCLUDED.fid_type,
			version = EXCLUDED.version,
			feature_count = EXCLUDED.feature_count, extent = EXCLUDED.extent, properties = EXCLUDED.properties,
			temporal_property = EXCLUDED.temporal_property, temporal_extent = EXCLUDED.temporal_extent,
			min_zoom = EXCLUDED.min_zoom, max_zoom = EXCLUDED.max_zoom, roles = EXCLUDED.roles,
			synthetic = EXCLUDED.synthetic, updated_at = now()
		RETURNING version`,
		l.spec.Layer, m.title, m.description, m.attribution, string(l.spec.Kind), geomType, l.spec.SRID, string(fidType),
		st.count, st.extent, propsJSON, st.temporal, st.tExtent, m.minZoom, m.maxZoom, m.roles, l.spec.Synthetic,
		l.table, l.version, l.spec.Comune, string(vis)).Scan(&l.res.Version)
	if err != nil {
		return fmt.Errorf("update catalog: %w", err)
	}
	l.res.GeometryType = geomType
	if e := st.extent; e != nil {
		l.res.Extent = &crs.Box{W: e[0], S: e[1], E: e[2], N: e[3]}
	}
	return nil
}
