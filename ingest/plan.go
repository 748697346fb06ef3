package ingest

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/sit-gis/sit/importers"
	"github.com/sit-gis/sit/importers/profile"
	"github.com/sit-gis/sit/layers"
)

// Plan is a checked import: the request parsed, the file opened by its
// reader, every dataset given its layer, kind and mode. It holds the file
// open until Close.
type Plan struct {
	req     Request
	set     settings
	src     *importers.Source
	sum     string
	size    int64
	targets []Target
	guard   func(layer string, existing *layers.Layer) error
}

// Guard sets a check each layer's import runs under its lock, seeing the
// layer as it is (nil: new): an upload refuses there a layer its sender
// may not write, with no window between the check and the write.
func (p *Plan) Guard(g func(layer string, existing *layers.Layer) error) { p.guard = g }

// Target is where one dataset of the source goes.
type Target struct {
	Dataset importers.Dataset
	Layer   string
	Kind    layers.Kind
	Mode    layers.Mode
	// kindKnown says the kind came from --kind or from the format; else a
	// layer that exists keeps its own kind.
	kindKnown bool
	// roles are the layer's roles, nil to keep the ones it has.
	roles []string
	// only keeps the geometries of one family (--mixed split): points,
	// lines or polygons; "" keeps all. nulls sends the records without a
	// geometry to this target (the first of a split).
	only  string
	nulls bool
}

// Prepare checks a request and opens its file, before any database is
// touched, so that a typo or a missing file costs nothing.
func Prepare(req Request) (*Plan, error) {
	set, err := req.parse()
	if err != nil {
		return nil, err
	}
	p := &Plan{req: req, set: set}
	p.src, err = Formats().Open(req.Path, importers.Options{Format: req.Format, SRID: set.srs.EPSG,
		Encoding: req.Encoding, WKTColumn: req.CSVWKT, LonColumn: req.CSVLon, LatColumn: req.CSVLat, Delimiter: set.delim,
		Comuni: req.Comuni, Provinces: req.Provinces})
	var oe *importers.OptionError
	if errors.As(err, &oe) {
		return nil, fieldErr(oe.Option, oe.Err)
	}
	if err != nil {
		return nil, err
	}
	if err := p.describe(); err != nil {
		p.src.Close()
		return nil, err
	}
	if err := p.checkArchiveFlags(); err != nil {
		p.src.Close()
		return nil, err
	}
	return p, nil
}

// describe fingerprints the file and decides the target of each dataset
// to import (all, or the one --table names).
func (p *Plan) describe() error {
	if len(p.src.Datasets) == 0 {
		return fmt.Errorf("%s: no layers to import", p.req.Path)
	}
	datasets, err := p.pick()
	if err != nil {
		return err
	}
	if p.sum, p.size, err = fingerprint(p.req.Path); err != nil {
		return err
	}
	for _, ds := range datasets {
		if err := p.checkSRID(ds); err != nil {
			return err
		}
		t, err := p.target(ds)
		if err != nil {
			return err
		}
		p.targets = append(p.targets, t)
	}
	return nil
}

// target names a dataset's layer and chooses its kind, roles and mode.
func (p *Plan) target(ds importers.Dataset) (Target, error) {
	name, err := p.layerName(ds)
	if err != nil {
		return Target{}, err
	}
	t := Target{Dataset: ds, Layer: name, Kind: p.set.kind, kindKnown: p.set.kindSet, roles: p.set.roles}
	table := strings.ToLower(p.tableName(ds))
	if k, ok := p.set.kinds[table]; ok {
		t.Kind, t.kindKnown = k, true
	} else if !t.kindKnown && ds.Info.Kind != "" {
		t.Kind, t.kindKnown = ds.Info.Kind, true
	}
	if rs, ok := p.set.roleMap[table]; ok {
		t.roles = append(append([]string(nil), t.roles...), rs...)
	}
	if t.roles == nil && p.set.roleMap == nil && ds.Info.Roles != nil {
		t.roles = ds.Info.Roles
	}
	if p.set.kinds != nil && p.set.mapping != nil && len(layers.CanonicalFields(t.Kind)) > 0 {
		if err := profile.ValidateMapping(t.Kind, p.set.mapping); err != nil {
			return Target{}, fieldErr("mapping", err)
		}
	}
	t.Mode = p.mode(t.Kind)
	return t, nil
}

// mode is replace, except for --append and broadband layers (which add a
// snapshot) unless --replace.
func (p *Plan) mode(k layers.Kind) layers.Mode {
	if p.req.Append || (k == layers.KindBroadband && !p.req.Replace) {
		return layers.ModeAppend
	}
	return layers.ModeReplace
}

// layerName is, without --layer, the table's name for a file of one
// table and <file stem>_<table> for a file of several, whether --table
// picks one or not (so that a table keeps its layer either way); with
// --layer, that name, or <layer>_<table> when several tables are imported.
func (p *Plan) layerName(ds importers.Dataset) (string, error) {
	table := p.tableName(ds)
	switch {
	case p.req.Layer == "" && len(p.src.Datasets) == 1:
		return layers.DeriveName(table)
	case p.req.Layer == "":
		return layers.DeriveName(fileStem(p.req.sourceName()) + "_" + table)
	case len(p.src.Datasets) > 1 && p.req.Table == "":
		name, err := layers.DeriveName(p.req.Layer + "_" + table)
		if err != nil {
			return "", fieldErr("layer", err)
		}
		return name, nil
	}
	return p.req.Layer, nil
}

// Targets lists where each dataset goes, in the order Run imports them.
func (p *Plan) Targets() []Target { return p.targets }

// Format is the reader that opened the file.
func (p *Plan) Format() string { return p.src.Format }

// Archive tells whether the file is an archive of comuni (the cadastre's
// bulk download), whose layers are imported together.
func (p *Plan) Archive() bool { return p.src.Together }

// Close releases the file.
func (p *Plan) Close() error { return p.src.Close() }

// fingerprint is the file's SHA-256 and size, recorded with each import.
func fingerprint(path string) (string, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return "", 0, fmt.Errorf("read %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

func baseName(path string) string { return filepath.Base(path) }

func fileStem(path string) string {
	b := filepath.Base(path)
	return strings.TrimSuffix(b, filepath.Ext(b))
}

// Path is the file the plan reads.
func (p *Plan) Path() string { return p.req.Path }
