package ingest

import (
	"context"
	"errors"
	"fmt"

	"github.com/sit-gis/sit/layers"
)

// ErrFailed is returned by Run when at least one layer failed; each failure
// was reported to the Reporter with its reason.
var ErrFailed = errors.New("import failed")

// Run imports each dataset of the plan into its layer, reporting to rep. A
// failed layer does not stop the others (unless ctx ends); the previous
// version of a failed layer keeps serving.
func (p *Plan) Run(ctx context.Context, store *layers.Store, rep Reporter) error {
	if p.src.Together {
		return p.runTogether(ctx, store, rep)
	}
	join, err := p.geometryJoin(ctx, store, rep)
	if err != nil {
		return err
	}
	failed := 0
	for _, t := range p.targets {
		ts, err := p.resolve(ctx, store, t)
		if err != nil {
			rep.Done(t.Layer, layers.ImportResult{Layer: t.Layer}, err)
			failed++
			continue
		}
		for _, t := range ts {
			if err := p.importTarget(ctx, store, rep, t, join); err != nil {
				failed++
			}
			if ctx.Err() != nil {
				return ErrFailed
			}
		}
	}
	if failed > 0 {
		return ErrFailed
	}
	return nil
}

// geometryJoin is the join the user gave, or the one a table without
// geometry (AGCOM) needs: to the boundary layer that has its key.
func (p *Plan) geometryJoin(ctx context.Context, store *layers.Store, rep Reporter) (*layers.GeometryJoin, error) {
	if p.set.join != nil {
		return p.set.join, nil
	}
	bj := p.src.Join
	if bj == nil {
		return nil, nil
	}
	layer, err := boundaryLayerWith(ctx, store, bj.BoundaryKey)
	if err != nil {
		return nil, err
	}
	rep.Notice(Notice{Level: Info, Text: fmt.Sprintf("%s has no geometry: joining %s to layer %s.%s", p.req.sourceName(), bj.Key, layer, bj.BoundaryKey)})
	return &layers.GeometryJoin{Layer: layer, Column: bj.BoundaryKey, Property: bj.Key}, nil
}

// boundaryLayerWith finds the layer to take geometries from: a boundary
// layer (role "zones" first) that has the key column.
func boundaryLayerWith(ctx context.Context, store *layers.Store, column string) (string, error) {
	ls, err := layers.ListLayers(ctx, store.Pool())
	if err != nil {
		return "", err
	}
	best := ""
	for _, l := range ls {
		if _, ok := l.Property(column); !ok {
			continue
		}
		if l.Kind == layers.KindBoundary && l.HasRole(layers.RoleZones) {
			return l.Name, nil
		}
		if best == "" || l.Kind == layers.KindBoundary {
			best = l.Name
		}
	}
	if best == "" {
		return "", fmt.Errorf("this table has no geometry and no layer has a %s column to join it to: import the ISTAT municipal boundaries first (e.g. data/admin/openpolis_limits_P_46_municipalities.geojson --kind boundary) or give --join LAYER.COLUMN=PROPERTY", column)
	}
	return best, nil
}

// spec is what the loader needs for one target.
func (p *Plan) spec(t Target, join *layers.GeometryJoin) layers.ImportSpec {
	r := p.req
	spec := layers.ImportSpec{
		Layer: t.Layer, Title: r.Title, Description: r.Description, Attribution: r.Attribution,
		Kind: t.Kind, Mode: t.Mode, SRID: t.Dataset.Info.SRID, SourceProj: p.set.srs.PROJ, Fields: t.Dataset.Info.Fields,
		Source:       layers.SourceInfo{Name: r.sourceName(), Format: p.src.Format, SHA256: p.sum, Size: p.size},
		FailOnReject: r.FailOnReject, Snapshot: p.set.snapshot, GeometryJoin: join, Synthetic: r.Synthetic, Roles: t.roles,
		Comune: r.Comune, Visibility: p.set.vis,
		ValidFrom: p.set.validFrom,
	}
	if p.guard != nil {
		spec.Guard = func(existing *layers.Layer) error { return p.guard(t.Layer, existing) }
	}
	if spec.SourceProj != "" {
		spec.SRID = 0
	}
	return spec
}

// importTarget streams one dataset through its profile and filters into
// the loader. Its outcome goes to rep; the error only tells Run it failed.
func (p *Plan) importTarget(ctx context.Context, store *layers.Store, rep Reporter, t Target, join *layers.GeometryJoin) error {
	spec := p.spec(t, join)
	if spec.SRID == 0 && spec.SourceProj == "" && spec.GeometryJoin == nil {
		err := fmt.Errorf("layer %s: the file does not say its coordinate reference system: give --srid (EPSG code or PROJ string)", spec.Layer)
		rep.Done(t.Layer, layers.ImportResult{Layer: t.Layer}, err)
		return err
	}
	r, err := t.Dataset.Open()
	if err != nil {
		rep.Done(t.Layer, layers.ImportResult{Layer: t.Layer}, err)
		return err
	}
	defer r.Close()
	r = p.pipeline(r, t)
	spec.Check = p.check(rep)
	if t.Dataset.Info.Size > 0 {
		rep.Begin(t.Layer, Bytes, t.Dataset.Info.Size)
		spec.Progress = func(int64) { rep.Progress(p.src.Meter.Done()) }
	} else {
		rep.Begin(t.Layer, Features, t.Dataset.Info.Count)
		spec.Progress = rep.Progress
	}
	res, err := store.Import(ctx, spec, r)
	rep.Done(t.Layer, res, err)
	return err
}
