// Package cadastre finds cadastral parcels: by reference as people type it
// (the grammar is the vocabulary's, domain.ParseRef), by point, and by
// address through the address layer. It knows nothing of HTTP; the handlers
// beside it are thin. Which layer is the cadastre (and the addresses) comes
// from the catalog's roles (layers.LayerFor), never from a layer name.
package cadastre

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/sit-gis/sit/crs"
	"github.com/sit-gis/sit/domain"
	"github.com/sit-gis/sit/internal/httpx"
	"github.com/sit-gis/sit/layers"
)

// Options tune the service. Zero values take the defaults.
type Options struct {
	// DefaultLimit and MaxLimit bound the candidates of a search.
	DefaultLimit int
	MaxLimit     int
	// PublicURL prefixes links; "" makes them relative.
	PublicURL string
	Log       *slog.Logger
}

// Service finds parcels. It holds no state but its dependencies.
type Service struct {
	db layers.Querier
	// cat reads the request's principal and comune, so a lookup finds
	// the cadastre of the comune the request is about.
	cat layers.View
	opt Options
	log *slog.Logger
}

// New makes the service.
func New(db layers.Querier, cat layers.View, opt Options) *Service {
	if opt.DefaultLimit <= 0 {
		opt.DefaultLimit = 10
	}
	if opt.MaxLimit < opt.DefaultLimit {
		opt.MaxLimit = 100
	}
	log := opt.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	opt.PublicURL = strings.TrimRight(opt.PublicURL, "/")
	return &Service{db: db, cat: cat, opt: opt, log: log}
}

// Options returns the service's effective options.
func (s *Service) Options() Options { return s.opt }

// CadastreLayer returns the layer with the cadastre role (or the only
// cadastral layer); a 404 problem when there is none.
func (s *Service) CadastreLayer(ctx context.Context) (layers.Layer, error) {
	l, err := layers.LayerFor(s.cat.Layers(ctx), layers.RoleCadastre)
	if err != nil {
		return l, &httpx.Problem{Status: http.StatusNotFound, Title: "Not Found", Detail: err.Error()}
	}
	return l, nil
}

// addressLayer returns the address layer, ok false when there is none.
func (s *Service) addressLayer(ctx context.Context) (layers.Layer, bool) {
	l, err := layers.LayerFor(s.cat.Layers(ctx), layers.RoleAddresses)
	return l, err == nil
}

// Limit checks a limit parameter: "" is the default, past the maximum is an error.
func (s *Service) Limit(v string) (int, error) {
	if v == "" {
		return s.opt.DefaultLimit, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return 0, httpx.BadParameter("limit", fmt.Sprintf("%q is not a positive integer", v))
	}
	if n > s.opt.MaxLimit {
		return 0, httpx.BadParameter("limit", fmt.Sprintf("%d is more than the maximum %d", n, s.opt.MaxLimit))
	}
	return n, nil
}

// padded lists the spellings a number may have in a layer: as given and
// zero-padded, so that the (foglio, particella) index serves every source.
func padded(v string, width int) []string {
	out := []string{v}
	for w := len(v) + 1; w <= width; w++ {
		out = append(out, strings.Repeat("0", w-len(v))+v)
	}
	return out
}

// byRefSQL builds the lookup of a parsed reference on layer l.
func byRefSQL(l layers.Layer, r domain.Ref, limit int) (string, []any) {
	var where []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	has := func(c string) bool { _, ok := l.Property(c); return ok }
	norm := func(c string) string {
		// "", "_" and "0" all mean "none" for sezione / allegato / sviluppo.
		return "coalesce(nullif(nullif(nullif(upper(p." + pgx.Identifier{c}.Sanitize() + "::text), '_'), '0'), ''), '')"
	}
	where = append(where, "p.foglio::text = ANY("+arg(padded(r.Foglio, 4))+"::text[])")
	if r.Particella != "" {
		where = append(where, "p.particella::text = ANY("+arg(padded(r.Particella, 5))+"::text[])")
	}
	if r.Comune != "" && has("comune") {
		where = append(where, "upper(p.comune::text) = "+arg(r.Comune))
	}
	if (r.Sezione != "" || r.SezioneGiven) && has("sezione") {
		where = append(where, norm("sezione")+" = "+arg(r.Sezione))
	}
	if (r.Allegato != "" || r.AllegatoGiven) && has("allegato") {
		where = append(where, norm("allegato")+" = "+arg(r.Allegato))
	}
	if (r.Sviluppo != "" || r.SviluppoGiven) && has("sviluppo") {
		where = append(where, norm("sviluppo")+" = "+arg(r.Sviluppo))
	}
	order := []string{}
	for _, c := range []string{"comune", "sezione", "foglio", "allegato", "sviluppo"} {
		if has(c) {
			order = append(order, "p."+pgx.Identifier{c}.Sanitize())
		}
	}
	order = append(order, "length(p.particella::text)", "p.particella", l.Key("p"))
	sql := "SELECT " + parcelColumns(l) + " FROM " + l.Ident().Sanitize() + " p WHERE " + strings.Join(where, " AND ") +
		" ORDER BY " + strings.Join(order, ", ") + " LIMIT " + arg(limit)
	return sql, args
}

// Lookup is the outcome of a lookup by reference.
type Lookup struct {
	Ref     domain.Ref
	Parcels []Parcel
	// More is true when more parcels matched than the limit.
	More bool
}

// ByRef finds the parcels a typed reference names: one, several (the
// candidates of an ambiguous reference, or a whole foglio), or none (a 404
// problem). param names the parameter in problems ("q", "ref", "parcel").
func (s *Service) ByRef(ctx context.Context, text, param string, limit int) (Lookup, error) {
	r, err := domain.ParseRef(text)
	if err != nil {
		return Lookup{}, httpx.BadParameter(param, err.Error())
	}
	l, err := s.CadastreLayer(ctx)
	if err != nil {
		return Lookup{}, err
	}
	if !hasParts(l) {
		return Lookup{}, &httpx.Problem{Status: http.StatusNotFound, Title: "Not Found",
			Detail: fmt.Sprintf("the cadastre layer %s has no foglio and particella columns", l.Name)}
	}
	ps, err := s.query(ctx, l, limit+1, func() (string, []any) { return byRefSQL(l, r, limit+1) })
	if err != nil {
		return Lookup{}, err
	}
	out := Lookup{Ref: r, Parcels: ps}
	if len(ps) > limit {
		out.Parcels, out.More = ps[:limit], true
	}
	if len(ps) == 0 {
		return out, &httpx.Problem{Status: http.StatusNotFound, Title: "Not Found", Parameter: param,
			Detail: fmt.Sprintf("no parcel %s in layer %s", r, l.Name)}
	}
	return out, nil
}

func hasParts(l layers.Layer) bool {
	_, f := l.Property("foglio")
	_, p := l.Property("particella")
	return f && p
}

func (s *Service) query(ctx context.Context, l layers.Layer, capHint int, build func() (string, []any)) ([]Parcel, error) {
	sql, args := build()
	rows, err := s.db.Query(ctx, sql, args...)
	if err != nil {
		return nil, fmt.Errorf("parcels of %s: %w", l.Name, err)
	}
	defer rows.Close()
	out := make([]Parcel, 0, min(capHint, 16))
	for rows.Next() {
		p, err := scanParcel(l, rows)
		if err != nil {
			return nil, fmt.Errorf("parcels of %s: %w", l.Name, err)
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("parcels of %s: %w", l.Name, err)
	}
	return out, nil
}

// ByFID reads one parcel of the cadastre layer by feature id.
func (s *Service) ByFID(ctx context.Context, fid any) (Parcel, error) {
	l, err := s.CadastreLayer(ctx)
	if err != nil {
		return Parcel{}, err
	}
	ps, err := s.query(ctx, l, 1, func() (string, []any) {
		return "SELECT " + parcelColumns(l) + " FROM " + l.Ident().Sanitize() + " p WHERE " + l.Key("p") + " = $1", []any{fid}
	})
	if err != nil {
		return Parcel{}, err
	}
	if len(ps) == 0 {
		return Parcel{}, httpx.NotFound(fmt.Sprintf("no feature %v in layer %s", fid, l.Name))
	}
	return ps[0], nil
}

// Point is a position to look up and its CRS.
type Point struct {
	X, Y float64
	SRID int
}

// ParsePoint checks lon/lat (or x/y) and crs parameters. lon, lat name the
// parameters in problems.
func ParsePoint(lonS, latS, crsS, lonName, latName string) (Point, error) {
	p := Point{SRID: 4326}
	parse := func(v, name string) (float64, error) {
		if strings.TrimSpace(v) == "" {
			return 0, httpx.BadParameter(name, "required")
		}
		f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return 0, httpx.BadParameter(name, fmt.Sprintf("%q is not a number", v))
		}
		return f, nil
	}
	var err error
	if p.X, err = parse(lonS, lonName); err != nil {
		return p, err
	}
	if p.Y, err = parse(latS, latName); err != nil {
		return p, err
	}
	if crsS != "" {
		srid, ok := ParseCRS(crsS)
		if !ok {
			return p, httpx.BadParameter("crs", fmt.Sprintf("%q is not a CRS: give an EPSG code (EPSG:3003, 6707), an OGC URI or CRS84", crsS))
		}
		p.SRID = srid
	}
	if p.SRID == 4326 {
		if p.X < -180 || p.X > 180 {
			return p, httpx.BadParameter(lonName, fmt.Sprintf("longitude %v is outside -180..180", p.X))
		}
		if p.Y < -90 || p.Y > 90 {
			return p, httpx.BadParameter(latName, fmt.Sprintf("latitude %v is outside -90..90", p.Y))
		}
	}
	return p, nil
}

// At finds the parcel under a point. A point on a road or a watercourse
// (no parcel in the cadastre) is a 404 problem that names the nearest
// parcel; a road polygon of the cadastre is returned with Kind "strada".
func (s *Service) At(ctx context.Context, pt Point) (Parcel, error) {
	l, err := s.CadastreLayer(ctx)
	if err != nil {
		return Parcel{}, err
	}
	lon, lat := pt.X, pt.Y
	if pt.SRID != 4326 {
		var known bool
		if err := s.db.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM spatial_ref_sys WHERE srid = $1)", pt.SRID).Scan(&known); err != nil {
			return Parcel{}, fmt.Errorf("check srid: %w", err)
		}
		if !known {
			return Parcel{}, httpx.BadParameter("crs", fmt.Sprintf("EPSG:%d is not a CRS this database knows", pt.SRID))
		}
		err := s.db.QueryRow(ctx, "SELECT ST_X(g), ST_Y(g) FROM ST_Transform(ST_SetSRID(ST_MakePoint($1, $2), $3::int), 4326) g",
			pt.X, pt.Y, pt.SRID).Scan(&lon, &lat)
		if err != nil || math.IsNaN(lon) || math.IsInf(lon, 0) || math.Abs(lon) > 180 || math.Abs(lat) > 90 {
			if ctx.Err() != nil {
				return Parcel{}, ctx.Err()
			}
			return Parcel{}, httpx.BadParameter("crs", fmt.Sprintf("the point (%v, %v) cannot be transformed from EPSG:%d to longitude/latitude", pt.X, pt.Y, pt.SRID))
		}
	}
	// A point on a shared edge touches two parcels: the one containing it
	// wins, then real parcels over roads, then the lowest fid (stable).
	// (A constant is not allowed as an ORDER BY term: without tipo, none.)
	roadLast := ""
	if _, ok := l.Property("tipo"); ok {
		roadLast = "coalesce(lower(p.tipo::text) IN ('strada', 'acqua'), false), "
	}
	ps, err := s.query(ctx, l, 1, func() (string, []any) {
		return "SELECT " + parcelColumns(l) + " FROM " + l.Ident().Sanitize() + " p, ST_SetSRID(ST_MakePoint($1, $2), 4326) pt" +
			" WHERE " + l.Intersects("p", "pt") + " ORDER BY ST_Contains(" + l.Native("p") + ", " + l.ToNative("pt", layers.StorageSRID) + ") DESC, " +
			roadLast + l.Key("p") + " LIMIT 1", []any{lon, lat}
	})
	if err != nil {
		return Parcel{}, err
	}
	if len(ps) == 1 {
		ps[0].Match = &Match{By: "point"}
		return ps[0], nil
	}
	detail := fmt.Sprintf("no parcel of layer %s contains the point %.7f, %.7f: it falls on a road, a watercourse or outside the cadastre", l.Name, lon, lat)
	var near Parcel
	var dist float64
	at := "ST_SetSRID(ST_MakePoint($1, $2), 4326)"
	rows, err := s.db.Query(ctx, "SELECT "+parcelColumns(l)+", ST_Distance("+l.Geom("p")+"::geography, "+at+"::geography) FROM "+
		l.Ident().Sanitize()+" p ORDER BY "+l.Native("p")+" <-> "+l.ToNative(at, layers.StorageSRID)+" LIMIT 1", lon, lat)
	if err == nil {
		if rows.Next() {
			near, err = scanNear(l, rows, &dist)
			if err == nil {
				detail += fmt.Sprintf("; the nearest parcel is %s (%s), %.1f m away", near.Ref, near.Label(), dist)
			}
		}
		rows.Close()
	}
	if ctx.Err() != nil {
		return Parcel{}, ctx.Err()
	}
	return Parcel{}, httpx.NotFound(detail)
}

// scanNear reads a parcel followed by a distance column.
func scanNear(l layers.Layer, rows pgx.Rows, dist *float64) (Parcel, error) {
	vals, err := rows.Values()
	if err != nil {
		return Parcel{}, err
	}
	n := len(vals)
	p, err := scanParcel(l, valuesRow(vals[:n-1]))
	if err != nil {
		return p, err
	}
	if d, ok := vals[n-1].(float64); ok {
		*dist = d
	}
	return p, nil
}

// valuesRow replays decoded values as a pgx.Row.
type valuesRow []any

func (v valuesRow) Scan(dest ...any) error {
	if len(dest) != len(v) {
		return fmt.Errorf("scan: %d values into %d destinations", len(v), len(dest))
	}
	for i, d := range dest {
		if err := assign(d, v[i]); err != nil {
			return fmt.Errorf("scan column %d: %w", i, err)
		}
	}
	return nil
}

func assign(dst, v any) error {
	switch d := dst.(type) {
	case *any:
		*d = v
	case *string:
		s, ok := v.(string)
		if !ok && v != nil {
			return fmt.Errorf("%T is not text", v)
		}
		*d = s
	case *float64:
		f, ok := v.(float64)
		if !ok {
			return fmt.Errorf("%T is not a double", v)
		}
		*d = f
	case *map[string]any:
		m, _ := v.(map[string]any)
		*d = m
	default:
		return errors.New("unsupported destination")
	}
	return nil
}

// ParseCRS reads a CRS parameter: an EPSG code (3003, EPSG:3003), an OGC
// URI or URN, or CRS84.
func ParseCRS(s string) (int, bool) {
	s = strings.TrimSpace(s)
	if n, err := strconv.Atoi(s); err == nil {
		return n, n > 0
	}
	return crs.ParseName(s)
}

func round(v float64, digits int) float64 {
	p := math.Pow(10, float64(digits))
	return math.Round(v*p) / p
}
