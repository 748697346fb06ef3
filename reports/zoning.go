// Package reports builds SIT's domain reports: the zoning report of
// cadastral parcels (JSON, printable HTML, PDF) and the digital-divide
// analytics of broadband coverage (per zone, between snapshots, AGCOM per
// comune). Its cores know nothing of HTTP; the handlers beside them are
// thin. Which layer is the cadastre, the zoning plan, the constraints, the
// coverage is read from the catalog's roles, never from layer names.
package reports

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sit-gis/sit/cadastre"
	"github.com/sit-gis/sit/domain"
	"github.com/sit-gis/sit/internal/httpx"
	"github.com/sit-gis/sit/layers"
	"github.com/sit-gis/sit/planning"
)

// Options tune the reports. Zero values take the defaults.
type Options struct {
	// Comune is the name in the reports' headers ("Comune di Lucca").
	Comune string
	// Header, if set, names the comune of a request instead (an instance
	// hosting several comuni); "" falls back on Comune.
	Header func(ctx context.Context) string
	// Pieces of a zone or constraint smaller than SliverMinAreaM2 or than
	// SliverMinPct of the parcel are border effects (digitising slivers),
	// listed apart. Defaults 1 m² and 0.1 %.
	SliverMinAreaM2 float64
	SliverMinPct    float64
	// MaxParcels of one zoning report (default 20).
	MaxParcels int
	// MaxRows bounds the list of uncovered addresses (default 100 000).
	MaxRows int
	// PublicURL prefixes links; "" makes them relative.
	PublicURL string
	Log       *slog.Logger
	// Now is the clock of the reports' dates (tests fix it).
	Now func() time.Time
	// Planning, when set, is the register of planning instruments: the
	// zoning report lists those that apply at its date and quotes their
	// rules.
	Planning Planning
}

// Service builds the reports. It uses cadastre for one thing: finding the
// parcels a report is about.
type Service struct {
	db      layers.Querier
	cat     layers.View
	parcels *cadastre.Service
	opt     Options
	log     *slog.Logger
	// fixed is the catalog of a report about a past date (nil: now).
	fixed *layers.Fixed
}

// New makes the service.
func New(db layers.Querier, cat layers.View, opt Options) *Service {
	if opt.Comune == "" {
		opt.Comune = "Comune"
	}
	if opt.SliverMinAreaM2 <= 0 {
		opt.SliverMinAreaM2 = 1
	}
	if opt.SliverMinPct <= 0 {
		opt.SliverMinPct = 0.1
	}
	if opt.MaxParcels <= 0 {
		opt.MaxParcels = 20
	}
	if opt.MaxRows <= 0 {
		opt.MaxRows = 100000
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	log := opt.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	opt.PublicURL = strings.TrimRight(opt.PublicURL, "/")
	return &Service{db: db, cat: cat, opt: opt, log: log,
		parcels: cadastre.New(db, cat, cadastre.Options{PublicURL: opt.PublicURL, Log: log})}
}

// Notice is printed on every zoning report.
const Notice = "Documento informativo, non ha valore legale: non è un certificato di destinazione urbanistica " +
	"(art. 30 DPR 380/2001), che solo il Comune rilascia. / Informative document with no legal value: " +
	"it is not a certificato di destinazione urbanistica under DPR 380/2001 art. 30."

// Source is a layer a report read, with its version and import date.
type Source struct {
	Layer       string     `json:"layer"`
	Title       string     `json:"title"`
	Role        string     `json:"role"`
	RoleLabel   string     `json:"role_label"` // in Italian
	Kind        string     `json:"kind"`
	Version     int64      `json:"version"`
	ImportedAt  *time.Time `json:"imported_at,omitempty"`
	SourceFile  string     `json:"source_file,omitempty"`
	Attribution string     `json:"attribution,omitempty"`
	Synthetic   bool       `json:"synthetic"`
}

// Piece is the part of a parcel one zone or constraint covers.
type Piece struct {
	Layer string `json:"layer"`
	// FID is the feature's key; absent (never null) for a published
	// relation without one, whose features have no id to give.
	FID         any    `json:"fid,omitempty"`
	ZoneCode    string `json:"zone_code"`
	ZoneClass   string `json:"zone_class"`
	Description string `json:"description"`
	NormRef     string `json:"norm_ref"`
	Plan        string `json:"plan"`
	// PlanVersion and PlanDate are the layer's version and last import.
	PlanVersion int64      `json:"plan_version"`
	PlanDate    *time.Time `json:"plan_date,omitempty"`
	AreaM2      float64    `json:"area_m2"`
	Pct         float64    `json:"pct"`
	// Instrument is the code of the registered plan the layer draws.
	Instrument string `json:"instrument,omitempty"`
}

// Totals add the pieces up. Zoned = zones + border effects; Unzoned is the
// rest of the parcel (zoned + unzoned = the parcel, 100 %). When several
// zoning layers cover the parcel (a plan and its variant, two comuni's
// plans) their zones overlap: Zoned is then the area under at least one
// zone, as Constrained is the area under at least one constraint, so that
// Unzoned is never negative; Zones and Border stay the sums of the rows.
type Totals struct {
	ZonesM2       float64 `json:"zones_m2"`
	ZonesPct      float64 `json:"zones_pct"`
	BorderM2      float64 `json:"border_effects_m2"`
	BorderPct     float64 `json:"border_effects_pct"`
	ZonedM2       float64 `json:"zoned_m2"`
	ZonedPct      float64 `json:"zoned_pct"`
	UnzonedM2     float64 `json:"unzoned_m2"`
	UnzonedPct    float64 `json:"unzoned_pct"`
	ConstrainedM2 float64 `json:"constrained_m2"`
	ConstrainedPc float64 `json:"constrained_pct"`
}

// ParcelReport is the report of one parcel.
type ParcelReport struct {
	Query      string     `json:"query"`
	Ref        string     `json:"ref"`
	Label      string     `json:"label"`
	Layer      string     `json:"layer"`
	FID        any        `json:"fid"`
	Comune     string     `json:"comune"`
	ComuneName string     `json:"comune_name"`
	Sezione    string     `json:"sezione"`
	Foglio     string     `json:"foglio"`
	Particella string     `json:"particella"`
	Allegato   string     `json:"allegato"`
	Sviluppo   string     `json:"sviluppo"`
	Road       bool       `json:"road"`
	AreaM2     float64    `json:"area_m2"`
	Centroid   [2]float64 `json:"centroid"`
	BBox       [4]float64 `json:"bbox"`
	Zoning     []Piece    `json:"zoning"`
	// ZoningBorder and ConstraintsBorder are the slivers below the thresholds.
	ZoningBorder      []Piece `json:"zoning_border_effects"`
	Constraints       []Piece `json:"constraints"`
	ConstraintsBorder []Piece `json:"constraints_border_effects"`
	// Adopted are the zones and constraints of adopted instruments (under
	// safeguard measures), apart from the totals of the plan in force.
	Adopted []Piece `json:"adopted"`
	// Articles quote the rules of each zone (registered plans only).
	Articles []ZoneRules `json:"articles,omitempty"`
	Totals   Totals      `json:"totals"`
	// Map is what the HTML and PDF draw; not part of the JSON.
	Map *MapData `json:"-"`
}

// Thresholds are the sliver thresholds in force.
type Thresholds struct {
	MinAreaM2 float64 `json:"min_area_m2"`
	MinPct    float64 `json:"min_pct"`
}

// ZoningReport is the zoning report of one or more parcels.
type ZoningReport struct {
	Title       string    `json:"title"`
	Comune      string    `json:"comune"`
	GeneratedAt time.Time `json:"generated_at"`
	// At is the instant the report is about: the data as they were then.
	At time.Time `json:"at"`
	// Instruments are the registered plans that apply at At.
	Instruments []planning.Instrument `json:"instruments"`
	// NTAVersions are the versions of each plan's rules quoted.
	NTAVersions map[string]int `json:"nta_versions,omitempty"`
	AreaMethod  string         `json:"area_method"`
	Rounding    string         `json:"rounding"`
	Slivers     Thresholds     `json:"border_effect_thresholds"`
	Sources     []Source       `json:"sources"`
	Parcels     []ParcelReport `json:"parcels"`
	Notice      string         `json:"notice"`
}

// ZoningRequest says what to report on.
type ZoningRequest struct {
	// Parcels are references in any spelling domain.ParseRef reads.
	Parcels []string
	// WithMap fetches the map geometries (HTML, PDF).
	WithMap bool
	// At is the instant to report about (zero: now).
	At time.Time
	// Versions, when set, are the exact layer versions to read (and no
	// other layer), NTAVersions those of the plans' rules: an issued
	// certificate is recomputed from what it recorded. They need At.
	Versions    map[string]int64
	NTAVersions map[string]int
}

// Overlay layers and their role.
type overlay struct {
	layer layers.Layer
	role  string
	src   Source
	// instrument is the registered plan the layer draws; adopted says
	// that plan is adopted, not in force.
	instrument string
	adopted    bool
}

// Zoning builds the zoning report. Each parcel must name exactly one
// parcel: an ambiguous one is a 400 listing the candidates, an unknown one
// a 404, both naming the parameter "parcel".
func (s *Service) Zoning(ctx context.Context, req ZoningRequest) (ZoningReport, error) {
	var refs []string
	for _, p := range req.Parcels {
		if strings.TrimSpace(p) != "" {
			refs = append(refs, strings.TrimSpace(p))
		}
	}
	if len(refs) == 0 {
		return ZoningReport{}, httpx.BadParameter("parcel", "required: one or more cadastral references (parcel=E715_003700.125&parcel=37/126)")
	}
	if len(refs) > s.opt.MaxParcels {
		return ZoningReport{}, httpx.BadParameter("parcel", fmt.Sprintf("%d parcels; a report takes at most %d", len(refs), s.opt.MaxParcels))
	}
	at, s, err := s.dated(ctx, req)
	if err != nil {
		return ZoningReport{}, err
	}
	cl, err := s.parcels.CadastreLayer(ctx)
	if err != nil {
		return ZoningReport{}, s.explainAt(err)
	}
	pv, err := s.planView(ctx, at)
	if err != nil {
		return ZoningReport{}, err
	}
	all := s.cat.Layers(ctx)
	zoning := pv.overlayLayers(all, layers.RoleZoning)
	if len(zoning) == 0 {
		return ZoningReport{}, s.explainAt(&httpx.Problem{Status: http.StatusNotFound, Title: "Not Found",
			Detail: "no layer has the role zoning and no layer is of kind zoning: import the zoning plan (sit import --kind zoning --role zoning)"})
	}
	constraints := pv.overlayLayers(all, layers.RoleConstraints)
	rep := ZoningReport{At: at.UTC().Truncate(time.Second), Instruments: pv.applies,
		Title: "Destinazione urbanistica e vincoli / Zoning and constraints", Comune: s.header(ctx),
		GeneratedAt: s.opt.Now().UTC().Truncate(time.Second), AreaMethod: domain.AreaMethod + "; intersections computed with ST_Intersection in EPSG:4326",
		Rounding: "areas to 0.01 m², percentages to 0.01 %; totals are sums of the rounded rows",
		Slivers:  Thresholds{MinAreaM2: s.opt.SliverMinAreaM2, MinPct: s.opt.SliverMinPct}, Notice: Notice,
	}
	ovs, err := s.overlays(ctx, &rep, cl, zoning, constraints, pv)
	if err != nil {
		return rep, err
	}
	var sheets []layers.Layer
	if req.WithMap {
		if sheets, err = s.sheetLayers(ctx, &rep, all, cl); err != nil {
			return rep, err
		}
	}
	seen := map[string]bool{}
	for _, text := range refs {
		pr, err := s.oneParcel(ctx, cl, text, ovs, req.WithMap, sheets)
		if err != nil {
			return rep, err
		}
		if seen[pr.Ref] {
			continue
		}
		seen[pr.Ref] = true
		rep.Parcels = append(rep.Parcels, pr)
	}
	return rep, s.quoteRules(ctx, at, req.NTAVersions, &rep)
}

// overlays lists the report's sources (the cadastre, then the zoning and
// constraint layers) and returns the layers to intersect with their role.
func (s *Service) overlays(ctx context.Context, rep *ZoningReport, cl layers.Layer, zoning, constraints []layers.Layer, pv *planView) ([]overlay, error) {
	cadSrc, err := s.source(ctx, cl, layers.RoleCadastre)
	if err != nil {
		return nil, err
	}
	rep.Sources = append(rep.Sources, cadSrc)
	var ovs []overlay
	for _, group := range []struct {
		ls   []layers.Layer
		role string
	}{{zoning, layers.RoleZoning}, {constraints, layers.RoleConstraints}} {
		for _, l := range group.ls {
			src, err := s.source(ctx, l, group.role)
			if err != nil {
				return nil, err
			}
			rep.Sources = append(rep.Sources, src)
			ov := overlay{layer: l, role: group.role, src: src}
			pv.mark(&ov)
			ovs = append(ovs, ov)
		}
	}
	return ovs, nil
}

// sheetLayers are the layers of cadastral sheets the map draws: those the
// catalog (the request's view, or the report's date) has with the role
// sheets, listed among the sources. Only by role: the sheets' kind is the
// cadastre's, so the fallback by kind would draw the parcels again.
func (s *Service) sheetLayers(ctx context.Context, rep *ZoningReport, all []layers.Layer, cl layers.Layer) ([]layers.Layer, error) {
	var out []layers.Layer
	for _, l := range layers.WithRole(all, layers.RoleSheets) {
		if l.Name == cl.Name {
			continue
		}
		src, err := s.source(ctx, l, layers.RoleSheets)
		if err != nil {
			return nil, err
		}
		rep.Sources = append(rep.Sources, src)
		out = append(out, l)
	}
	return out, nil
}

// oneParcel reports on the one parcel a reference names (an ambiguous one
// is a 400 listing the candidates), with its map (and the sheets on it)
// when asked.
func (s *Service) oneParcel(ctx context.Context, cl layers.Layer, text string, ovs []overlay, withMap bool, sheets []layers.Layer) (ParcelReport, error) {
	lk, err := s.parcels.ByRef(ctx, text, "parcel", 5)
	if err != nil {
		return ParcelReport{}, err
	}
	if len(lk.Parcels) > 1 {
		var c []string
		for _, p := range lk.Parcels {
			c = append(c, p.Ref+" ("+p.Label()+")")
		}
		more := ""
		if lk.More {
			more = ", …"
		}
		return ParcelReport{}, httpx.BadParameter("parcel", fmt.Sprintf("%q names several parcels: %s%s; give the national reference", text, strings.Join(c, ", "), more))
	}
	p := lk.Parcels[0]
	pr, err := s.parcelReport(ctx, cl, p, ovs)
	if err != nil {
		return pr, err
	}
	pr.Query = text
	if withMap {
		m, err := s.mapData(ctx, cl, p, ovs, sheets)
		if err != nil {
			return pr, err
		}
		m.Legend = buildLegend(m, pr)
		pr.Map = m
	}
	return pr, nil
}

// source describes a layer with its last successful import.
func (s *Service) source(ctx context.Context, l layers.Layer, role string) (Source, error) {
	src := Source{Layer: l.Name, Title: l.Title, Role: role, RoleLabel: domain.RoleLabel(role), Kind: string(l.Kind), Version: l.Version,
		Attribution: l.Attribution, Synthetic: l.Synthetic}
	var at *time.Time
	var file *string
	// The import that made this version (a report about a past date reads
	// an older one), else the latest.
	err := s.db.QueryRow(ctx, `SELECT finished_at, source_name FROM sit.imports
		WHERE layer = $1 AND status = 'succeeded' ORDER BY version = $2 DESC, finished_at DESC NULLS LAST, id DESC LIMIT 1`, l.Name, l.Version).Scan(&at, &file)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
	case err != nil:
		return src, fmt.Errorf("imports of %s: %w", l.Name, err)
	}
	if at != nil {
		t := at.UTC().Truncate(time.Second)
		src.ImportedAt = &t
	} else if !l.UpdatedAt.IsZero() {
		t := l.UpdatedAt.UTC().Truncate(time.Second)
		src.ImportedAt = &t
	}
	if file != nil {
		src.SourceFile = *file
	}
	return src, nil
}

// textCol reads a column of alias a as text, ” when the layer lacks it.
func textCol(l layers.Layer, alias, name string) string {
	if _, ok := l.Property(name); ok {
		return "coalesce(" + alias + "." + pgx.Identifier{name}.Sanitize() + "::text, '')"
	}
	return "''"
}

// parcelReport measures every zone and constraint over one parcel.
func (s *Service) parcelReport(ctx context.Context, cl layers.Layer, p cadastre.Parcel, ovs []overlay) (ParcelReport, error) {
	pr := ParcelReport{Ref: p.Ref, Label: p.Label(), Layer: p.Layer, FID: p.FID, Comune: p.Comune, ComuneName: p.ComuneName(), Sezione: p.Sezione,
		Foglio: p.Foglio, Particella: p.Particella, Allegato: p.Allegato, Sviluppo: p.Sviluppo, Road: p.Road(),
		AreaM2: p.AreaM2, Centroid: p.Centroid, BBox: p.BBox,
		Zoning: []Piece{}, ZoningBorder: []Piece{}, Constraints: []Piece{}, ConstraintsBorder: []Piece{}, Adopted: []Piece{}}
	var constraintSQL, zoningSQL []string
	for _, ov := range ovs {
		pieces, err := s.pieces(ctx, cl, p, ov)
		if err != nil {
			return pr, err
		}
		for _, pc := range pieces {
			border := pc.AreaM2 < s.opt.SliverMinAreaM2 || pc.Pct < s.opt.SliverMinPct
			pc.AreaM2, pc.Pct = round2(pc.AreaM2), round2(pc.Pct)
			switch {
			case ov.adopted:
				if !border {
					pr.Adopted = append(pr.Adopted, pc)
				}
			case ov.role == layers.RoleZoning && border:
				pr.ZoningBorder = append(pr.ZoningBorder, pc)
			case ov.role == layers.RoleZoning:
				pr.Zoning = append(pr.Zoning, pc)
			case border:
				pr.ConstraintsBorder = append(pr.ConstraintsBorder, pc)
			default:
				pr.Constraints = append(pr.Constraints, pc)
			}
		}
		switch {
		case ov.adopted:
		case ov.role == layers.RoleConstraints:
			constraintSQL = append(constraintSQL, overlapSQL(ov.layer))
		case ov.role == layers.RoleZoning:
			zoningSQL = append(zoningSQL, overlapSQL(ov.layer))
		}
	}
	for _, list := range [][]Piece{pr.Zoning, pr.ZoningBorder, pr.Constraints, pr.ConstraintsBorder, pr.Adopted} {
		sortPieces(list)
	}
	s.totals(&pr, p.AreaM2)
	if len(zoningSQL) > 1 {
		zoned, err := s.unionArea(ctx, cl, p, zoningSQL)
		if err != nil {
			return pr, fmt.Errorf("zoning report: zoned area: %w", err)
		}
		s.overlappingZones(&pr, p.AreaM2, zoned)
	}
	if len(constraintSQL) > 0 {
		a, err := s.unionArea(ctx, cl, p, constraintSQL)
		if err != nil {
			return pr, fmt.Errorf("zoning report: constrained area: %w", err)
		}
		if p.AreaM2 > 0 {
			pr.Totals.ConstrainedM2, pr.Totals.ConstrainedPc = round2(a), round2(100*a/p.AreaM2)
		}
	}
	pr.AreaM2 = round2(pr.AreaM2)
	return pr, nil
}

// overlapSQL selects what a layer's features cover of the parcel p.
func overlapSQL(l layers.Layer) string {
	return `SELECT ST_CollectionExtract(ST_Intersection(` + l.Geom("z") + `, p.geom), 3) AS g FROM ` +
		l.Ident().Sanitize() + ` z, p WHERE ` + l.Intersects("z", "p.geom")
}

// unionArea is the area (m², spheroid) of the parcel under at least one
// feature of the overlaps' layers: overlapping features count once.
func (s *Service) unionArea(ctx context.Context, cl layers.Layer, p cadastre.Parcel, overlaps []string) (float64, error) {
	var a *float64
	sql := `WITH p AS (` + parcelGeomSQL(cl, 1) + `)
		SELECT ST_Area(ST_Union(g)::geography) FROM (` + strings.Join(overlaps, " UNION ALL ") + `) x`
	if err := s.db.QueryRow(ctx, sql, p.FID).Scan(&a); err != nil {
		return 0, err
	}
	if a == nil {
		return 0, nil
	}
	return *a, nil
}

// overlappingZones replaces the zoned total, when several zoning layers
// cover the parcel, by the area under at least one zone (their rows'
// sum would count the overlap twice and leave a negative unzoned rest).
func (s *Service) overlappingZones(pr *ParcelReport, areaM2, zonedM2 float64) {
	t := &pr.Totals
	if areaM2 <= 0 || t.ZonedM2-zonedM2 < s.opt.SliverMinAreaM2 {
		return // no overlap worth a border effect: the rows' sum stands
	}
	t.ZonedM2, t.ZonedPct = round2(math.Min(zonedM2, areaM2)), round2(math.Min(100*zonedM2/areaM2, 100))
	s.unzoned(t, areaM2)
}

// pieces measures the zones (or constraints) of one layer over a parcel:
// every feature that covers some of it, with the area and the share.
func (s *Service) pieces(ctx context.Context, cl layers.Layer, p cadastre.Parcel, ov overlay) ([]Piece, error) {
	l := ov.layer
	sql := `SELECT ` + keyOrNull(l, "z") + `, ` + textCol(l, "z", "zone_code") + `, ` + textCol(l, "z", "zone_class") + `, ` +
		textCol(l, "z", "description") + `, ` + textCol(l, "z", "norm_ref") + `, ` + textCol(l, "z", "plan") + `,
		ST_Area(ST_CollectionExtract(ST_Intersection(` + l.Geom("z") + `, p.geom), 3)::geography)
		FROM ` + l.Ident().Sanitize() + ` z, (` + parcelGeomSQL(cl, 1) + `) p
		WHERE ` + l.Intersects("z", "p.geom")
	rows, err := s.db.Query(ctx, sql, p.FID)
	if err != nil {
		return nil, fmt.Errorf("zoning report: layer %s: %w", l.Name, err)
	}
	defer rows.Close()
	var out []Piece
	for rows.Next() {
		pc := Piece{Layer: l.Name, PlanVersion: ov.src.Version, PlanDate: ov.src.ImportedAt, Instrument: ov.instrument}
		if err := rows.Scan(&pc.FID, &pc.ZoneCode, &pc.ZoneClass, &pc.Description, &pc.NormRef, &pc.Plan, &pc.AreaM2); err != nil {
			return nil, fmt.Errorf("zoning report: layer %s: %w", l.Name, err)
		}
		if pc.AreaM2 <= 0 {
			continue // touches the parcel along an edge or at a point only
		}
		if pc.Plan == "" {
			pc.Plan = l.Title
		}
		if p.AreaM2 > 0 {
			pc.Pct = 100 * pc.AreaM2 / p.AreaM2
		}
		out = append(out, pc)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("zoning report: layer %s: %w", l.Name, err)
	}
	return out, nil
}

// totals adds up the rounded rows: zones, border effects, zoned, and the
// unzoned rest of the parcel.
func (s *Service) totals(pr *ParcelReport, areaM2 float64) {
	t := &pr.Totals
	for _, pc := range pr.Zoning {
		t.ZonesM2 += pc.AreaM2
		t.ZonesPct += pc.Pct
	}
	for _, pc := range pr.ZoningBorder {
		t.BorderM2 += pc.AreaM2
		t.BorderPct += pc.Pct
	}
	t.ZonesM2, t.ZonesPct, t.BorderM2, t.BorderPct = round2(t.ZonesM2), round2(t.ZonesPct), round2(t.BorderM2), round2(t.BorderPct)
	t.ZonedM2, t.ZonedPct = round2(t.ZonesM2+t.BorderM2), round2(t.ZonesPct+t.BorderPct)
	s.unzoned(t, areaM2)
}

// unzoned sets the rest of the parcel that no zone covers.
func (s *Service) unzoned(t *Totals, areaM2 float64) {
	t.UnzonedM2, t.UnzonedPct = round2(areaM2-t.ZonedM2), round2(100-t.ZonedPct)
	if math.Abs(t.UnzonedM2) < s.opt.SliverMinAreaM2 && math.Abs(t.UnzonedPct) < s.opt.SliverMinPct {
		// A remainder under the border-effect thresholds (rounding, or a
		// sliver between the plan and the cadastre) is not an unzoned area.
		t.UnzonedM2, t.UnzonedPct = 0, 0
	}
}

// sortPieces orders by area (largest first), then layer, fid and the
// zone's texts (a layer without a key has no fid), so that the same data
// always gives the same report.
func sortPieces(ps []Piece) {
	sort.SliceStable(ps, func(i, j int) bool {
		a, b := ps[i], ps[j]
		if a.AreaM2 != b.AreaM2 {
			return a.AreaM2 > b.AreaM2
		}
		for _, k := range [][2]string{{a.Layer, b.Layer}, {fmt.Sprint(a.FID), fmt.Sprint(b.FID)}, {a.ZoneCode, b.ZoneCode},
			{a.ZoneClass, b.ZoneClass}, {a.Description, b.Description}, {a.NormRef, b.NormRef}} {
			if k[0] != k[1] {
				return k[0] < k[1]
			}
		}
		return false
	})
}

func round2(v float64) float64 { return math.Round(v*100) / 100 }

// header is the comune named at the top of a request's report.
func (s *Service) header(ctx context.Context) string {
	if s.opt.Header != nil {
		if h := s.opt.Header(ctx); h != "" {
			return h
		}
	}
	return s.opt.Comune
}
