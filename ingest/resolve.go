package ingest

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/project"

	"github.com/sit-gis/sit/importers"
	"github.com/sit-gis/sit/importers/profile"
	"github.com/sit-gis/sit/layers"
)

// resolve settles a target against the catalog: a layer that exists keeps
// its kind unless the user or the format said otherwise, and --mixed split
// turns the target into one per geometry family present in the data.
func (p *Plan) resolve(ctx context.Context, store *layers.Store, t Target) ([]Target, error) {
	if !t.kindKnown {
		l, err := layers.GetLayer(ctx, store.Pool(), t.Layer)
		switch {
		case err == nil:
			t.Kind, t.Mode = l.Kind, p.mode(l.Kind)
		case !errors.Is(err, layers.ErrNotFound):
			return nil, err
		}
	}
	if p.set.mixed != MixedSplit {
		return []Target{t}, nil
	}
	fams, err := p.scanFamilies(t.Dataset)
	if err != nil {
		return nil, err
	}
	var out []Target
	for i, f := range fams {
		name, err := layers.DeriveName(t.Layer + "_" + f)
		if err != nil {
			return nil, err
		}
		st := t
		st.Layer, st.only, st.nulls = name, f, i == 0
		out = append(out, st)
	}
	return out, nil
}

// scanFamilies reads a dataset once to find its geometry families, in the
// order points, lines, polygons, other.
func (p *Plan) scanFamilies(ds importers.Dataset) ([]string, error) {
	r, err := ds.Open()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	seen := map[string]bool{}
	for {
		f, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		var re *layers.RecordError
		if errors.As(err, &re) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("scan geometry types: %w", err)
		}
		if f.Geometry != nil {
			seen[family(f.Geometry.GeoJSONType())] = true
		}
	}
	var out []string
	for _, f := range []string{"points", "lines", "polygons", "other"} {
		if seen[f] {
			out = append(out, f)
		}
	}
	return out, nil
}

// pipeline is the feature stream of a target: the reader, then axis swap,
// geometry family, profile (source attributes onto canonical columns) and
// filters.
func (p *Plan) pipeline(r layers.FeatureReader, t Target) layers.FeatureReader {
	if p.req.SwapAxes || t.only != "" {
		r = &geometryReader{r: r, swap: p.req.SwapAxes, only: t.only, nulls: t.only == "" || t.nulls}
	}
	r = profile.Reader(r, profile.Apply(t.Kind, p.set.mapping))
	if len(p.set.filters) > 0 {
		r = &filterReader{r: r, eq: p.set.filters}
	}
	return r
}

// geometryReader exchanges x and y (--swap-axes) and keeps one geometry
// family (--mixed split). Records without a geometry go to one layer only
// (nulls), where the loader rejects and reports them.
type geometryReader struct {
	r     layers.FeatureReader
	swap  bool
	only  string
	nulls bool
}

func (g *geometryReader) Next() (layers.Feature, error) {
	for {
		f, err := g.r.Next()
		if err != nil {
			return f, err
		}
		if f.Geometry == nil && !g.nulls || f.Geometry != nil && g.only != "" && family(f.Geometry.GeoJSONType()) != g.only {
			continue
		}
		if g.swap && f.Geometry != nil {
			f.Geometry = project.Geometry(f.Geometry, func(p orb.Point) orb.Point { return orb.Point{p[1], p[0]} })
		}
		return f, nil
	}
}

func (g *geometryReader) Close() error { return g.r.Close() }
