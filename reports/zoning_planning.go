package reports

import (
	"context"
	"errors"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/sit-gis/sit/cadastre"
	"github.com/sit-gis/sit/internal/httpx"
	"github.com/sit-gis/sit/layers"
	"github.com/sit-gis/sit/planning"
)

// Planning is what the zoning report reads from the planning register
// (*planning.Store): the instruments at a date and the articles of their
// rules. Without it the report lists the layers of the roles, as before
// any plan was registered.
type Planning interface {
	Instruments(ctx context.Context, at time.Time) ([]planning.Instrument, error)
	RulesPinned(ctx context.Context, at time.Time, refs []planning.ZoneRef, pinned map[string]int) (map[planning.ZoneRef][]planning.Quote, map[string]int, error)
	ResolveUse(ctx context.Context, q string) (string, error)
	UseKinds(ctx context.Context) (map[string]string, error)
	UseIn(ctx context.Context, plan, zone, use string) (planning.Use, bool, error)
	HasUses(ctx context.Context, plan string) (bool, error)
}

// ZoneRules are the articles that rule one zone of a parcel.
type ZoneRules struct {
	Layer      string           `json:"layer"`
	ZoneCode   string           `json:"zone_code"`
	Instrument string           `json:"instrument,omitempty"`
	Articles   []planning.Quote `json:"articles"`
}

// planView is the register as one report reads it: the instruments that
// apply at the report's date and which layer draws which.
type planView struct {
	applies []planning.Instrument
	// layerPlan maps each layer attached to a plan to it; excluded holds
	// the layers of plans that do not apply at the date.
	layerPlan map[string]planning.Instrument
	excluded  map[string]bool
}

// planView reads the register at the instant at (nil view without one).
func (s *Service) planView(ctx context.Context, at time.Time) (*planView, error) {
	pv := &planView{applies: []planning.Instrument{}, layerPlan: map[string]planning.Instrument{}, excluded: map[string]bool{}}
	if s.opt.Planning == nil {
		return pv, nil
	}
	ins, err := s.opt.Planning.Instruments(ctx, at)
	if err != nil {
		return nil, err
	}
	for _, in := range ins {
		for _, l := range in.Layers {
			if in.Status.Applies() {
				pv.layerPlan[l.Layer] = in
			} else {
				pv.excluded[l.Layer] = true
			}
		}
		if in.Status.Applies() {
			pv.applies = append(pv.applies, in)
		}
	}
	return pv, nil
}

// overlayLayers are the layers a report intersects for a role: those of
// the role (or kind), and those attached with the role to an instrument
// that applies, less those of instruments that do not apply at the date.
func (pv *planView) overlayLayers(all []layers.Layer, role string) []layers.Layer {
	var out []layers.Layer
	seen := map[string]bool{}
	add := func(l layers.Layer) {
		if !seen[l.Name] && !pv.excluded[l.Name] {
			seen[l.Name] = true
			out = append(out, l)
		}
	}
	for _, l := range layers.LayersFor(all, role) {
		add(l)
	}
	for _, l := range all {
		if in, ok := pv.layerPlan[l.Name]; ok {
			for _, pl := range in.Layers {
				if pl.Layer == l.Name && pl.Role == role {
					add(l)
				}
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// mark sets on an overlay the instrument its layer draws and whether that
// instrument is only adopted (its pieces are listed apart: they bind
// through the safeguard measures but are not the zoning in force).
func (pv *planView) mark(ov *overlay) {
	if in, ok := pv.layerPlan[ov.layer.Name]; ok {
		ov.instrument = in.Code
		ov.adopted = in.Status == planning.StatusAdopted
	}
}

// quoteRules finds, for every zone of every parcel (in force and
// adopted), the articles that rule it, and records the versions of the
// rules it read (those of pinned when set).
func (s *Service) quoteRules(ctx context.Context, at time.Time, pinned map[string]int, rep *ZoningReport) error {
	if s.opt.Planning == nil {
		return nil
	}
	var refs []planning.ZoneRef
	for _, pr := range rep.Parcels {
		for _, pc := range append(append([]Piece(nil), pr.Zoning...), pr.Adopted...) {
			refs = append(refs, planning.ZoneRef{Layer: pc.Layer, ZoneCode: pc.ZoneCode, NormRef: pc.NormRef})
		}
	}
	quotes, used, err := s.opt.Planning.RulesPinned(ctx, at, refs, pinned)
	if err != nil {
		return err
	}
	if len(used) > 0 {
		rep.NTAVersions = used
	}
	for i := range rep.Parcels {
		pr := &rep.Parcels[i]
		seen := map[planning.ZoneRef]bool{}
		for _, pc := range append(append([]Piece(nil), pr.Zoning...), pr.Adopted...) {
			ref := planning.ZoneRef{Layer: pc.Layer, ZoneCode: pc.ZoneCode, NormRef: pc.NormRef}
			if seen[ref] || len(quotes[ref]) == 0 {
				continue
			}
			seen[ref] = true
			pr.Articles = append(pr.Articles, ZoneRules{Layer: pc.Layer, ZoneCode: pc.ZoneCode, Instrument: pc.Instrument, Articles: quotes[ref]})
		}
	}
	return nil
}

// AsOf reads the at parameter of a report: a date (the end of that day in
// Italian time) or an RFC 3339 instant, not in the future; the zero time
// (now) when empty.
func (s *Service) AsOf(text string) (time.Time, error) {
	if text == "" {
		return time.Time{}, nil
	}
	t, err := layers.ParseAsOf(text, s.opt.Now())
	if err != nil {
		return t, httpx.BadParameter("at", err.Error())
	}
	return t, nil
}

// explainAt adds to a missing-layer problem of a report about a past
// date why the layers then are not there (none yet, or dropped).
func (s *Service) explainAt(err error) error {
	var p *httpx.Problem
	if s.fixed == nil || len(s.fixed.Gone) == 0 || !errors.As(err, &p) || p.Status != http.StatusNotFound {
		return err
	}
	var why []string
	for name := range s.fixed.Gone {
		why = append(why, s.fixed.Why(name))
	}
	sort.Strings(why)
	cp := *p
	cp.Parameter = "at"
	cp.Detail = p.Detail + " at " + s.fixed.At.In(layers.Rome()).Format("02/01/2006 15:04") + ": " + strings.Join(why, "; ")
	return &cp
}

// dated is the service for the instant a request is about: now (the live
// catalog), a past date (each layer's version then), or the exact
// versions an issued certificate recorded.
func (s *Service) dated(ctx context.Context, req ZoningRequest) (time.Time, *Service, error) {
	switch {
	case req.Versions != nil && req.At.IsZero():
		return time.Time{}, nil, httpx.BadParameter("at", "recorded versions need the date they were read at")
	case req.Versions != nil:
		fixed, err := layers.CatalogVersions(ctx, s.db, s.cat.Layers(ctx), req.Versions)
		if err != nil {
			return time.Time{}, nil, err
		}
		fixed.At = req.At
		return req.At, s.withCatalog(fixed), nil
	case req.At.IsZero():
		return s.opt.Now(), s, nil
	}
	fixed, err := layers.CatalogAt(ctx, s.db, s.cat.Layers(ctx), req.At)
	if err != nil {
		return time.Time{}, nil, err
	}
	return req.At, s.withCatalog(fixed), nil
}

// withCatalog is the service reading a fixed catalog, and so do its
// parcel lookups.
func (s *Service) withCatalog(fixed *layers.Fixed) *Service {
	past := *s
	past.cat, past.fixed = fixed, fixed
	past.parcels = cadastre.New(s.db, fixed, cadastre.Options{PublicURL: s.opt.PublicURL, Log: s.log})
	return &past
}
