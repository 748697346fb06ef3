package ingest

import (
	"context"
	"fmt"
	"runtime"
	"strings"

	"golang.org/x/sync/errgroup"

	"github.com/sit-gis/sit/importers"
	"github.com/sit-gis/sit/layers"
)

// partPlan is what an import does with each part of a dataset (a comune
// of a bulk download) against the layer's current version:
//   - a part the version lacks is loaded (new);
//   - a part whose size or SHA-256 differs is loaded (changed);
//   - a part with the same SHA-256 keeps its rows (unchanged), unless
//     --replace reloads everything (reloaded);
//   - a part of the version that this import does not have keeps its
//     rows (kept), unless --replace, which makes the layer exactly this
//     import.
//
// The SHA-256 of a part that may be unchanged is computed before the
// load (it reads the part: inflating costs little beside decoding GML);
// the others' while they load.
type partPlan struct {
	load, keep []string
	size       int64
	status     map[string]string
	parts      map[string]importers.Part
	kept       map[string]layers.PartRecord // unchanged and kept parts, as recorded
	dropped    []string
}

func (p *Plan) planParts(ctx context.Context, store *layers.Store, t Target) (*partPlan, error) {
	current, err := store.CurrentParts(ctx, t.Layer)
	if err != nil {
		return nil, err
	}
	pd := t.Dataset.Parted
	pp := &partPlan{status: map[string]string{}, parts: map[string]importers.Part{}, kept: map[string]layers.PartRecord{}}
	sums, err := sumCandidates(ctx, pd.Parts, current, p.req.Replace)
	if err != nil {
		return nil, err
	}
	for _, part := range pd.Parts {
		pp.parts[part.Key] = part
		rec, had := current[part.Key]
		switch {
		case !had:
			pp.status[part.Key] = layers.PartNew
		case p.req.Replace:
			pp.status[part.Key] = layers.PartReloaded
		case sums[part.Key] == rec.SHA256:
			pp.status[part.Key] = layers.PartUnchanged
			rec.Label, rec.Path, rec.Status = part.Label, part.Path, layers.PartUnchanged
			pp.kept[part.Key] = rec
			pp.keep = append(pp.keep, part.Key)
			continue
		default:
			pp.status[part.Key] = layers.PartChanged
		}
		pp.load = append(pp.load, part.Key)
		pp.size += part.Size
	}
	for key, rec := range current {
		if _, here := pp.parts[key]; here {
			continue
		}
		if p.req.Replace {
			pp.dropped = append(pp.dropped, rec.Label)
			continue
		}
		rec.Status = layers.PartKept
		pp.kept[key] = rec
		pp.keep = append(pp.keep, key)
	}
	return pp, nil
}

// sumCandidates hashes, on all cores, the parts that may be unchanged:
// recorded with the same size (a different size is a change at once).
func sumCandidates(ctx context.Context, parts []importers.Part, current map[string]layers.PartRecord, replace bool) (map[string]string, error) {
	sums := make([]string, len(parts))
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i, part := range parts {
		rec, had := current[part.Key]
		if replace || !had || rec.Bytes != part.Size || part.Sum == nil {
			continue
		}
		g.Go(func() error {
			if err := ctx.Err(); err != nil {
				return err
			}
			s, err := part.Sum()
			sums[i] = s
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	out := map[string]string{}
	for i, part := range parts {
		if sums[i] != "" {
			out[part.Key] = sums[i]
		}
	}
	return out, nil
}

// records are the parts of the new version: the loaded ones with the
// SHA-256 their read computed, and the kept ones as recorded.
func (pp *partPlan) records(sums map[string]string) []layers.PartRecord {
	var out []layers.PartRecord
	for _, key := range pp.load {
		part := pp.parts[key]
		out = append(out, layers.PartRecord{Key: key, Label: part.Label, Path: part.Path, SHA256: sums[key], Bytes: part.Size, Status: pp.status[key]})
	}
	for _, key := range pp.keep {
		out = append(out, pp.kept[key])
	}
	return out
}

// announce says, before the load, which comuni the import reloads and
// which it keeps.
func (pp *partPlan) announce(rep Reporter, layer string) {
	by := map[string][]string{}
	for _, key := range pp.load {
		by[pp.status[key]] = append(by[pp.status[key]], pp.parts[key].Label)
	}
	var says []string
	for _, st := range []string{layers.PartChanged, layers.PartNew, layers.PartReloaded} {
		if ls := by[st]; len(ls) > 0 {
			says = append(says, fmt.Sprintf("%d %s (%s)", len(ls), st, listSome(ls)))
		}
	}
	unchanged, kept := 0, 0
	for _, rec := range pp.kept {
		if rec.Status == layers.PartUnchanged {
			unchanged++
		} else {
			kept++
		}
	}
	if unchanged > 0 {
		says = append(says, fmt.Sprintf("%d unchanged (rows kept as they are)", unchanged))
	}
	if kept > 0 {
		says = append(says, fmt.Sprintf("%d not in this import (rows kept; --replace makes the layer exactly this import)", kept))
	}
	if len(pp.dropped) > 0 {
		says = append(says, fmt.Sprintf("%d dropped by --replace (%s)", len(pp.dropped), listSome(pp.dropped)))
	}
	if len(pp.load) == 0 {
		says = append(says, "nothing to reload: the layer keeps its version")
	}
	rep.Notice(Notice{Level: Info, Layer: layer, Text: fmt.Sprintf("layer %s, comuni: %s", layer, strings.Join(says, "; "))})
}

func listSome(ls []string) string {
	if len(ls) > 8 {
		return strings.Join(ls[:8], ", ") + fmt.Sprintf(" and %d more", len(ls)-8)
	}
	return strings.Join(ls, ", ")
}
