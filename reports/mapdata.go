package reports

import (
	"context"
	"fmt"
	"math"
	"strconv"

	"github.com/jackc/pgx/v5"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"

	"github.com/sit-gis/sit/cadastre"
	"github.com/sit-gis/sit/layers"
)

// MapData is what the small map of a parcel draws, in a local metric
// frame: metres east and north of the parcel's centroid (an equirectangular
// projection, exact to well under a centimetre across a map of a few
// hundred metres).
type MapData struct {
	// Frame is the window drawn, in local metres.
	Frame      orb.Bound
	Parcel     orb.Geometry
	Neighbours []MapFeature
	Zones      []MapFeature
	// Constraints are drawn over the zones.
	Constraints []MapFeature
	// Sheets are the cadastral sheets (fogli) in the window: thin outlines
	// over the rest, each with its number.
	Sheets []MapSheet
	// Legend says what the map's colours mean: what touches the parcel,
	// then what is only nearby (buildLegend). The HTML and the PDF draw
	// and list the same entries.
	Legend []LegendItem
}

// MapFeature is one clipped polygon of the map.
type MapFeature struct {
	Layer string
	Code  string
	Class string
	Label string
	Geom  orb.Geometry
}

// MapSheet is one foglio of the map, clipped to the window.
type MapSheet struct {
	Layer string
	// Label is what the map writes: "Fg. 37", "Fg. 12 (G628)" for a
	// foglio of another comune than the parcel's.
	Label string
	Geom  orb.Geometry
	// At is where the label goes: inside the foglio's part of the window,
	// off the parcel when the foglio has room beside it.
	At orb.Point
}

const earthRadius = 6371008.8 // mean radius (IUGG), metres

// localFrame projects lon/lat around an origin to metres.
type localFrame struct{ lon0, lat0, kx, ky float64 }

func newLocalFrame(lon0, lat0 float64) localFrame {
	ky := earthRadius * math.Pi / 180
	return localFrame{lon0: lon0, lat0: lat0, kx: ky * math.Cos(lat0*math.Pi/180), ky: ky}
}

func (f localFrame) point(p orb.Point) orb.Point {
	return orb.Point{(p[0] - f.lon0) * f.kx, (p[1] - f.lat0) * f.ky}
}

// project returns a copy of g in the local frame.
func (f localFrame) project(g orb.Geometry) orb.Geometry {
	ring := func(r orb.Ring) orb.Ring {
		out := make(orb.Ring, len(r))
		for i, p := range r {
			out[i] = f.point(p)
		}
		return out
	}
	poly := func(p orb.Polygon) orb.Polygon {
		out := make(orb.Polygon, len(p))
		for i, r := range p {
			out[i] = ring(r)
		}
		return out
	}
	switch g := g.(type) {
	case orb.Polygon:
		return poly(g)
	case orb.MultiPolygon:
		out := make(orb.MultiPolygon, len(g))
		for i, p := range g {
			out[i] = poly(p)
		}
		return out
	case orb.Collection:
		var out orb.MultiPolygon
		for _, x := range g {
			switch y := f.project(x).(type) {
			case orb.Polygon:
				out = append(out, y)
			case orb.MultiPolygon:
				out = append(out, y...)
			}
		}
		return out
	}
	return nil
}

// mapMargin is the share of the parcel's larger side shown around it.
const mapMargin = 0.35

// maxNeighbours bounds the neighbouring parcels drawn.
const maxNeighbours = 400

// mapEnvelope is the map's window in SQL, from the parameters $1..$4.
const mapEnvelope = "ST_MakeEnvelope($1, $2, $3, $4, 4326)"

// mapData fetches the parcel, its neighbours, the zones and constraints
// and the sheets in a window around it, clipped to the window.
func (s *Service) mapData(ctx context.Context, cl layers.Layer, p cadastre.Parcel, ovs []overlay, sheets []layers.Layer) (*MapData, error) {
	fr := newLocalFrame(p.Centroid[0], p.Centroid[1])
	lo := fr.point(orb.Point{p.BBox[0], p.BBox[1]})
	hi := fr.point(orb.Point{p.BBox[2], p.BBox[3]})
	side := math.Max(hi[0]-lo[0], hi[1]-lo[1])
	pad := math.Max(side*mapMargin, 15)
	// A square window centred on the parcel's box.
	cx, cy := (lo[0]+hi[0])/2, (lo[1]+hi[1])/2
	half := side/2 + pad
	m := &MapData{Frame: orb.Bound{Min: orb.Point{cx - half, cy - half}, Max: orb.Point{cx + half, cy + half}}}
	// The window back in lon/lat for the SQL clip.
	w := [4]float64{p.Centroid[0] + m.Frame.Min[0]/fr.kx, p.Centroid[1] + m.Frame.Min[1]/fr.ky,
		p.Centroid[0] + m.Frame.Max[0]/fr.kx, p.Centroid[1] + m.Frame.Max[1]/fr.ky}
	env := mapEnvelope
	args := []any{w[0], w[1], w[2], w[3]}
	// A layer outside EPSG:4326 is filtered with the window brought into
	// its SRID, edges cut in sixteenths (layers.Layer.BoxOverlaps).
	seg := strconv.FormatFloat(max(w[2]-w[0], w[3]-w[1])/16, 'g', -1, 64)

	var b []byte
	if err := s.db.QueryRow(ctx, "SELECT ST_AsBinary(geom) FROM ("+parcelGeomSQL(cl, 1)+") p", p.FID).Scan(&b); err != nil {
		return nil, fmt.Errorf("map: parcel: %w", err)
	}
	g, err := wkb.Unmarshal(b)
	if err != nil {
		return nil, fmt.Errorf("map: parcel: %w", err)
	}
	m.Parcel = fr.project(g)

	read := func(sql string, args []any, layer string) ([]MapFeature, error) {
		rows, err := s.db.Query(ctx, sql, args...)
		if err != nil {
			return nil, fmt.Errorf("map: layer %s: %w", layer, err)
		}
		defer rows.Close()
		var out []MapFeature
		for rows.Next() {
			f := MapFeature{Layer: layer}
			var b []byte
			if err := rows.Scan(&f.Code, &f.Class, &f.Label, &b); err != nil {
				return nil, fmt.Errorf("map: layer %s: %w", layer, err)
			}
			g, err := wkb.Unmarshal(b)
			if err != nil {
				return nil, fmt.Errorf("map: layer %s: %w", layer, err)
			}
			if f.Geom = fr.project(g); f.Geom != nil {
				out = append(out, f)
			}
		}
		return out, rows.Err()
	}
	// ST_ClipByBox2D is fast and may leave invalid rings: fine for drawing.
	nb, err := read(`SELECT `+textCol(cl, "p", "particella")+`, '', '', ST_AsBinary(ST_ClipByBox2D(`+cl.Geom("p")+`, `+env+`))
		FROM `+cl.Ident().Sanitize()+` p WHERE `+cl.BoxOverlaps("p", env, seg)+` AND `+cl.Key("p")+` <> $5`+orderByKey(cl, "p")+
		` LIMIT `+fmt.Sprint(maxNeighbours), append(args, p.FID), cl.Name)
	if err != nil {
		return nil, err
	}
	m.Neighbours = nb
	for _, ov := range ovs {
		l := ov.layer
		fs, err := read(`SELECT `+textCol(l, "z", "zone_code")+`, `+textCol(l, "z", "zone_class")+`, `+textCol(l, "z", "description")+`,
			ST_AsBinary(ST_CollectionExtract(ST_ClipByBox2D(`+l.Geom("z")+`, `+env+`), 3))
			FROM `+l.Ident().Sanitize()+` z WHERE `+l.BoxOverlaps("z", env, seg)+orderByKey(l, "z"), args, l.Name)
		if err != nil {
			return nil, err
		}
		if ov.role == layers.RoleZoning {
			m.Zones = append(m.Zones, fs...)
		} else {
			m.Constraints = append(m.Constraints, fs...)
		}
	}
	m.Sheets, err = s.mapSheets(ctx, fr, args, seg, cl, p, sheets)
	return m, err
}

// maxSheets bounds the fogli of one sheets layer drawn in a map.
const maxSheets = 50

// mapSheets reads the fogli of the sheets layers in the window (args),
// with where to write each number: on the foglio's part of the window
// less the parcel, so that the number does not hide the parcel.
func (s *Service) mapSheets(ctx context.Context, fr localFrame, args []any, seg string, cl layers.Layer, p cadastre.Parcel, sheets []layers.Layer) ([]MapSheet, error) {
	var out []MapSheet
	for _, l := range sheets {
		// MakeValid: an imported sheet may self-touch, and the report
		// must not fail on a drawing detail.
		sql := `WITH w AS (SELECT ` + mapEnvelope + ` AS env), p AS (` + parcelGeomSQL(cl, 5) + `)
			SELECT ` + textCol(l, "s", "foglio") + `, ` + textCol(l, "s", "comune") + `, ST_AsBinary(x.i), ST_X(x.at), ST_Y(x.at)
			FROM ` + l.Ident().Sanitize() + ` s CROSS JOIN w CROSS JOIN p,
			LATERAL (SELECT ST_CollectionExtract(ST_Intersection(ST_MakeValid(` + l.Geom("s") + `), w.env), 3) AS i) c,
			LATERAL (SELECT c.i AS i, ST_PointOnSurface(CASE WHEN ST_IsEmpty(ST_Difference(c.i, p.geom)) THEN c.i
				ELSE ST_CollectionExtract(ST_Difference(c.i, p.geom), 3) END) AS at) x
			WHERE ` + l.BoxOverlaps("s", "w.env", seg) + ` AND NOT ST_IsEmpty(x.i)` + orderByKey(l, "s") + ` LIMIT ` + fmt.Sprint(maxSheets)
		rows, err := s.db.Query(ctx, sql, append(args, p.FID)...)
		if err != nil {
			return nil, fmt.Errorf("map: sheets %s: %w", l.Name, err)
		}
		got, err := scanSheets(rows, fr, l.Name, p.Comune)
		if err != nil {
			return nil, fmt.Errorf("map: sheets %s: %w", l.Name, err)
		}
		out = append(out, got...)
	}
	return out, nil
}

// scanSheets reads mapSheets' rows into the local frame.
func scanSheets(rows pgx.Rows, fr localFrame, layer, comune string) ([]MapSheet, error) {
	defer rows.Close()
	var out []MapSheet
	for rows.Next() {
		var foglio, com string
		var b []byte
		var x, y *float64
		if err := rows.Scan(&foglio, &com, &b, &x, &y); err != nil {
			return nil, err
		}
		g, err := wkb.Unmarshal(b)
		if err != nil {
			return nil, err
		}
		sh := MapSheet{Layer: layer, Label: "Fg. " + foglio, Geom: fr.project(g)}
		if foglio == "" {
			sh.Label = ""
		} else if com != "" && com != comune {
			sh.Label += " (" + com + ")"
		}
		if x != nil && y != nil {
			sh.At = fr.point(orb.Point{*x, *y})
		} else {
			sh.Label = "" // nowhere to write it
		}
		if sh.Geom != nil {
			out = append(out, sh)
		}
	}
	return out, rows.Err()
}
