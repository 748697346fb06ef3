package ingest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/sit-gis/sit/layers"
)

// runTogether imports every dataset of an archive in ONE transaction
// (layers.Store.ImportSet) under ONE progress bar over all the bytes to
// read: the parcels and the sheets of a bulk download commit together or
// not at all. A dataset made of parts (a comune each) reloads only the
// parts that are new or changed since the layer's current version and
// keeps the others' rows (parts.go); a layer with nothing to reload gets
// no new version.
func (p *Plan) runTogether(ctx context.Context, store *layers.Store, rep Reporter) error {
	join, err := p.geometryJoin(ctx, store, rep)
	if err != nil {
		return err
	}
	var ts []Target
	for _, t := range p.targets {
		rs, err := p.resolve(ctx, store, t)
		if err != nil {
			rep.Done(t.Layer, layers.ImportResult{Layer: t.Layer}, err)
			return ErrFailed
		}
		ts = append(ts, rs...)
	}
	items, total, closeAll, err := p.prepareItems(ctx, store, rep, ts, join)
	defer closeAll()
	if err != nil {
		return err
	}
	if len(items) == 0 {
		rep.Notice(Notice{Level: Info, Text: fmt.Sprintf("%s: nothing changed since the layers' current versions: no new version", p.req.sourceName())})
		return nil
	}
	var names []string
	for _, it := range items {
		names = append(names, it.Spec.Layer)
	}
	p.src.Meter.Restart()
	rep.Begin(strings.Join(names, " + "), Bytes, total)
	for i := range items {
		items[i].Spec.Progress = func(int64) { rep.Progress(p.src.Meter.Done()) }
	}
	res, err := store.ImportSet(ctx, items)
	if err == nil {
		var read int64
		for i := range items {
			rep.Done(items[i].Spec.Layer, res[i], nil)
			read += res[i].Read
		}
		if len(items) > 1 && res[0].Duration > 0 {
			// Each layer's line gives the set's whole time: say it once for all.
			rep.Notice(Notice{Level: Info, Text: fmt.Sprintf("layers %s: %d features in one transaction in %s (%.0f features/s)",
				strings.Join(names, ", "), read, res[0].Duration.Round(time.Millisecond), float64(read)/res[0].Duration.Seconds())})
		}
		return nil
	}
	p.reportSetFailure(rep, items, res, err)
	return ErrFailed
}

// reportSetFailure reports the layer that failed with its error, and the
// others as rolled back with it.
func (p *Plan) reportSetFailure(rep Reporter, items []layers.ImportItem, res []layers.ImportResult, err error) {
	var ie *layers.ImportError
	culprit := ""
	if errors.As(err, &ie) {
		culprit = ie.Layer
	}
	for i, it := range items {
		if it.Spec.Layer == culprit || culprit == "" && i == 0 {
			rep.Done(it.Spec.Layer, res[i], err)
			continue
		}
		rep.Done(it.Spec.Layer, res[i], fmt.Errorf("not imported: the import is all or nothing and layer %s failed", culprit))
	}
}

// prepareItems readies what the loader needs for each target: its spec,
// its reader (only the parts to reload, for a dataset of parts), and the
// bytes all the readers will consume. closeAll closes the readers opened.
func (p *Plan) prepareItems(ctx context.Context, store *layers.Store, rep Reporter, ts []Target, join *layers.GeometryJoin) ([]layers.ImportItem, int64, func(), error) {
	var items []layers.ImportItem
	var readers []layers.FeatureReader
	closeAll := func() {
		for _, r := range readers {
			r.Close()
		}
	}
	var total int64
	for _, t := range ts {
		spec := p.spec(t, join)
		spec.Released = p.released()
		if spec.SRID == 0 && spec.SourceProj == "" && spec.GeometryJoin == nil {
			err := fmt.Errorf("layer %s: the file does not say its coordinate reference system: give --srid (EPSG code or PROJ string)", spec.Layer)
			rep.Done(t.Layer, layers.ImportResult{Layer: t.Layer}, err)
			return nil, 0, closeAll, ErrFailed
		}
		r, size, err := p.openTarget(ctx, store, rep, t, &spec)
		if err != nil {
			rep.Done(t.Layer, layers.ImportResult{Layer: t.Layer}, err)
			return nil, 0, closeAll, ErrFailed
		}
		if r == nil {
			continue // nothing to reload in this layer
		}
		readers = append(readers, r)
		total += size
		spec.Check = p.check(rep)
		items = append(items, layers.ImportItem{Spec: spec, Reader: p.pipeline(r, t)})
	}
	return items, total, closeAll, nil
}

// openTarget opens a target's reader and says how many bytes it will
// read; a dataset of parts opens only the parts to reload (nil reader
// when there are none) and fills spec.Parts.
func (p *Plan) openTarget(ctx context.Context, store *layers.Store, rep Reporter, t Target, spec *layers.ImportSpec) (layers.FeatureReader, int64, error) {
	pd := t.Dataset.Parted
	if pd == nil || t.Mode != layers.ModeReplace {
		r, err := t.Dataset.Open()
		return r, t.Dataset.Info.Size, err
	}
	pp, err := p.planParts(ctx, store, t)
	if err != nil {
		return nil, 0, err
	}
	pp.announce(rep, t.Layer)
	if len(pp.load) == 0 {
		return nil, 0, nil
	}
	pr, err := pd.Open(pp.load)
	if err != nil {
		return nil, 0, err
	}
	spec.Parts = &layers.PartsSpec{Column: pd.Column, Keep: pp.keep, Records: func() []layers.PartRecord { return pp.records(pr.Sums()) }}
	return pr, pp.size, nil
}

// released is the release date: --release-date, else the archive's.
func (p *Plan) released() time.Time {
	if !p.set.released.IsZero() {
		return p.set.released
	}
	return p.src.Released
}

// checkArchiveFlags refuses --province and --release-date for a file that
// is not an archive of comuni. There, --comune names the comune owning a
// new layer (one slug), as it does for sit layers set and sit user add.
func (p *Plan) checkArchiveFlags() error {
	if p.src.Together {
		return nil
	}
	switch {
	case len(p.req.Provinces) > 0:
		return fieldErrf("province", "%s is not an archive of provinces (the bulk download of the cadastral map): --province selects provinces in one", p.req.sourceName())
	case len(p.req.Comuni) > 1:
		return fieldErrf("comune", "%s is not an archive of comuni (the bulk download of the cadastral map), where --comune selects comuni: for another file, give one --comune, the comune owning a new layer", p.req.sourceName())
	case len(p.req.Comuni) == 1 && p.req.Comune != "" && p.req.Comune != p.req.Comuni[0]:
		return fieldErrf("comune", "the layer would belong to comune %s and to %s: give one", p.req.Comune, p.req.Comuni[0])
	case len(p.req.Comuni) == 1:
		if err := layers.ValidateSlug(p.req.Comuni[0]); err != nil {
			return fieldErrf("comune", "%s is not an archive of comuni, where --comune selects comuni by Belfiore code or name; for another file it is the comune owning a new layer: %v", p.req.sourceName(), err)
		}
		p.req.Comune, p.req.Comuni = p.req.Comuni[0], nil
	}
	return nil
}
