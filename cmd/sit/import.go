package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/sit-gis/sit/crs"
	"github.com/sit-gis/sit/importers"
	"github.com/sit-gis/sit/layers"
)

// importOptions are the flags of `sit import`.
type importOptions struct {
	layer, kind, title, description, attribution string
	srid                                         string
	replace, append                              bool
	snapshot                                     string
	format, table, encoding                      string
	wkt, lon, lat, delimiter                     string
	failOnReject                                 bool
	mapping                                      string
	join                                         string
	filters                                      []string
	roles                                        []string
	synthetic                                    bool
}

func newImportCmd(a *app) *cobra.Command {
	var o importOptions
	cmd := &cobra.Command{
		Use:   "import FILE",
		Short: "Import a file into a layer (atomic, versioned; the old version serves until the new one commits)",
		Long: `Import a vector file into a layer of the catalog.

Formats: ` + strings.Join(importers.FormatNames(), ", ") + `.
The source CRS comes from the file (.prj, GeoPackage, GeoJSON crs member)
or from --srid (an EPSG code, or a PROJ string for local cadastral systems).
Broadband layers append a snapshot (--snapshot DATE or the date in the file
name); other kinds replace the layer unless --append is given.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.runImport(cmd.Context(), cmd, args[0], o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.layer, "layer", "", "layer name (default: from the file name)")
	f.StringVar(&o.kind, "kind", "", "cadastral|zoning|constraint|broadband|boundary|address|generic (default generic, or the layer's kind)")
	f.StringVar(&o.title, "title", "", "layer title")
	f.StringVar(&o.description, "description", "", "layer description")
	f.StringVar(&o.attribution, "attribution", "", "attribution of the source (shown on maps)")
	f.StringVar(&o.srid, "srid", "", "source CRS: EPSG code (3003, EPSG:6707) or a PROJ string (+proj=cass ...)")
	f.BoolVar(&o.replace, "replace", false, "replace the layer's features (default except for broadband)")
	f.BoolVar(&o.append, "append", false, "append to the layer (broadband: replaces only the imported snapshots)")
	f.StringVar(&o.snapshot, "snapshot", "", "snapshot date YYYY-MM-DD for broadband records that carry none")
	f.StringVar(&o.format, "format", "", "force the reader: "+strings.Join(importers.FormatNames(), ", "))
	f.StringVar(&o.table, "table", "", "the table/layer of a multi-layer source to import (GeoPackage table, zip member, CXF family)")
	f.StringVar(&o.encoding, "encoding", "", "text encoding of dBase/CSV attributes (default: .cpg, else Windows-1252 for dBase, UTF-8 for CSV)")
	f.StringVar(&o.wkt, "csv-wkt", "", "CSV: name of the WKT geometry column")
	f.StringVar(&o.lon, "csv-lon", "", "CSV: name of the longitude/X column")
	f.StringVar(&o.lat, "csv-lat", "", "CSV: name of the latitude/Y column")
	f.StringVar(&o.delimiter, "delimiter", "", "CSV: delimiter (, ; or tab); default detected")
	f.BoolVar(&o.failOnReject, "fail-on-reject", false, "fail the whole import if any record is rejected")
	f.StringVar(&o.mapping, "mapping", "", "file mapping source attribute names onto canonical columns (source = canonical per line)")
	f.StringVar(&o.join, "join", "", "take geometries from another layer: LAYER.COLUMN=PROPERTY (e.g. comuni.com_istat_code_num=pro_com)")
	f.StringArrayVar(&o.filters, "filter", nil, "import only records whose PROPERTY equals VALUE (PROPERTY=VALUE, repeatable)")
	f.StringSliceVar(&o.roles, "role", nil, "roles of the layer in domain queries (cadastre, zoning, constraints, coverage, addresses, zones)")
	f.BoolVar(&o.synthetic, "synthetic", false, "mark the layer's data as synthetic (demo data)")
	cmd.MarkFlagsMutuallyExclusive("replace", "append")
	return cmd
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

func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("read %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func (a *app) runImport(ctx context.Context, cmd *cobra.Command, path string, o importOptions) error {
	// Check the flags and open the file before touching the database, so
	// that a typo or a missing file costs no cluster start.
	plan, err := prepareImport(path, o)
	if err != nil {
		return err
	}
	defer plan.src.Close()
	store, done, err := a.ownerStore(ctx)
	if err != nil {
		return err
	}
	defer done()
	return a.runPlan(ctx, cmd.OutOrStdout(), cmd.ErrOrStderr(), store, plan)
}

// importPath imports every dataset of a file (one layer each), reporting on
// out and errOut. It is what `sit demo` runs for each bundled file.
func (a *app) importPath(ctx context.Context, out, errOut io.Writer, store *layers.Store, path string, o importOptions) error {
	plan, err := prepareImport(path, o)
	if err != nil {
		return err
	}
	defer plan.src.Close()
	return a.runPlan(ctx, out, errOut, store, plan)
}

// importPlan is a checked import: flags parsed, file opened.
type importPlan struct {
	path     string
	o        importOptions
	kind     layers.Kind
	proj     string
	snapshot time.Time
	join     *layers.GeometryJoin
	filters  map[string]string
	mapping  map[string]string
	src      *importers.Source
	sum      string
	size     int64
}

func prepareImport(path string, o importOptions) (importPlan, error) {
	p := importPlan{path: path, o: o}
	src, err := crs.ParseSource(o.srid)
	if err != nil {
		return p, fmt.Errorf("--srid %w", err)
	}
	srid := src.EPSG
	p.proj = src.PROJ
	if p.kind, err = layers.ParseKind(o.kind); err != nil {
		return p, fmt.Errorf("--kind: %w", err)
	}
	if o.layer != "" {
		if err := layers.ValidateName(o.layer); err != nil {
			return p, fmt.Errorf("--layer: %w", err)
		}
	}
	if o.snapshot != "" {
		if p.snapshot, err = time.Parse("2006-01-02", o.snapshot); err != nil {
			return p, fmt.Errorf("--snapshot %q: want a date YYYY-MM-DD", o.snapshot)
		}
	} else {
		p.snapshot, _ = importers.SnapshotFromName(path)
	}
	var delim rune
	switch o.delimiter {
	case "":
	case "tab", `\t`, "\t":
		delim = '\t'
	case ",", ";", "|":
		delim = rune(o.delimiter[0])
	default:
		return p, fmt.Errorf("--delimiter %q: want , ; | or tab", o.delimiter)
	}
	if o.join != "" {
		lc, prop, ok := strings.Cut(o.join, "=")
		ln, col, ok2 := strings.Cut(lc, ".")
		if !ok || !ok2 || ln == "" || col == "" || prop == "" {
			return p, fmt.Errorf("--join %q: want LAYER.COLUMN=PROPERTY", o.join)
		}
		if err := layers.ValidateName(ln); err != nil {
			return p, fmt.Errorf("--join: %w", err)
		}
		p.join = &layers.GeometryJoin{Layer: ln, Column: col, Property: prop}
	}
	p.filters = map[string]string{}
	for _, f := range o.filters {
		k, v, ok := strings.Cut(f, "=")
		if !ok || k == "" {
			return p, fmt.Errorf("--filter %q: want PROPERTY=VALUE", f)
		}
		p.filters[k] = v
	}
	if o.mapping != "" {
		if p.mapping, err = importers.LoadMapping(o.mapping); err != nil {
			return p, fmt.Errorf("--mapping: %w", err)
		}
		if err := importers.ValidateMapping(p.kind, p.mapping); err != nil {
			return p, fmt.Errorf("--mapping: %w", err)
		}
	}
	p.src, err = importers.Open(path, importers.Options{Format: o.format, SRID: srid, Layer: o.table, Encoding: o.encoding,
		WKTColumn: o.wkt, LonColumn: o.lon, LatColumn: o.lat, Delimiter: delim})
	if err != nil {
		return p, err
	}
	if len(p.src.Datasets) == 0 {
		p.src.Close()
		return p, fmt.Errorf("%s: no layers to import", path)
	}
	if p.sum, err = fileSHA256(path); err != nil {
		p.src.Close()
		return p, err
	}
	st, err := os.Stat(path)
	if err != nil {
		p.src.Close()
		return p, err
	}
	p.size = st.Size()
	return p, nil
}

// runPlan imports each dataset of the plan into its layer.
func (a *app) runPlan(ctx context.Context, out, errOut io.Writer, store *layers.Store, p importPlan) error {
	o := p.o
	if p.join == nil {
		// Tables without geometry (AGCOM) take it from a boundary layer.
		if bj, ok := importers.JoinFor(p.src.Format); ok {
			layer, err := boundaryLayerWith(ctx, store, bj.BoundaryKey)
			if err != nil {
				return err
			}
			p.join = &layers.GeometryJoin{Layer: layer, Column: bj.BoundaryKey, Property: bj.Key}
			fmt.Fprintf(out, "%s has no geometry: joining %s to layer %s.%s\n", filepath.Base(p.path), bj.Key, layer, bj.BoundaryKey)
		}
	}
	stem := strings.TrimSuffix(filepath.Base(p.path), filepath.Ext(p.path))
	var failed int
	for _, ds := range p.src.Datasets {
		// One layer per dataset: <layer or file stem>_<dataset>, without
		// repeating the stem when the dataset name already starts with it.
		suffix := ds.Info.Name
		if len(suffix) > len(stem) && strings.EqualFold(suffix[:len(stem)+1], stem+"_") {
			suffix = suffix[len(stem)+1:]
		}
		name := o.layer
		switch {
		case name == "" && len(p.src.Datasets) == 1:
			name = layers.LayerNameFrom(ds.Info.Name)
		case name == "":
			name = layers.LayerNameFrom(stem + "_" + suffix)
		case len(p.src.Datasets) > 1:
			name = layers.LayerNameFrom(name + "_" + suffix)
		}
		dsKind := p.kind
		if o.kind == "" {
			if k, ok := importers.SuggestedKind(p.src.Format, ds.Info.Name); ok {
				dsKind = k
			}
		}
		mode := layers.ModeReplace
		if o.append || (dsKind == layers.KindBroadband && !o.replace) {
			mode = layers.ModeAppend
		}
		spec := layers.ImportSpec{
			Layer: name, Title: o.title, Description: o.description, Attribution: o.attribution,
			Kind: dsKind, Mode: mode, SRID: ds.Info.SRID, SourceProj: p.proj, Fields: ds.Info.Fields,
			Source:       layers.SourceInfo{Name: filepath.Base(p.path), Format: p.src.Format, SHA256: p.sum, Size: p.size},
			FailOnReject: o.failOnReject, Snapshot: p.snapshot, GeometryJoin: p.join, Synthetic: o.synthetic, Roles: o.roles,
		}
		if p.proj != "" {
			spec.SRID = 0
		}
		if err := a.importDataset(ctx, out, errOut, store, p.src, ds, spec, p.mapping, p.filters); err != nil {
			fmt.Fprintf(errOut, "sit: %s: %v\n", p.path, err)
			failed++
			if ctx.Err() != nil {
				break
			}
		}
	}
	if failed > 0 {
		return exitError{code: 1}
	}
	return nil
}

func (a *app) importDataset(ctx context.Context, out, errOut io.Writer, store *layers.Store,
	src *importers.Source, ds importers.Dataset, spec layers.ImportSpec, mapping map[string]string, filters map[string]string) error {
	if spec.SRID == 0 && spec.SourceProj == "" && spec.GeometryJoin == nil {
		return fmt.Errorf("layer %s: the file does not say its coordinate reference system: give --srid (EPSG code or PROJ string)", spec.Layer)
	}
	r, err := ds.Open()
	if err != nil {
		return err
	}
	defer r.Close()
	r = importers.ProfileReader(r, importers.ApplyProfile(spec.Kind, mapping))
	if len(filters) > 0 {
		r = &filterReader{r: r, eq: filters}
	}
	var bar *progress
	if src.Size > 0 && src.Read != nil {
		bar = newProgress(a.log, "importing "+spec.Layer, "bytes", src.Size)
		spec.Progress = func(int64) { bar.Set(src.Read()) }
	} else {
		bar = newProgress(a.log, "importing "+spec.Layer, "features", ds.Info.Count)
		spec.Progress = func(n int64) { bar.Set(n) }
	}
	res, err := store.Import(ctx, spec, r)
	bar.Finish()
	if err != nil {
		var ie *layers.ImportError
		if errors.As(err, &ie) {
			reportRejects(errOut, ie.Result)
		}
		return fmt.Errorf("%w (the layer's previous version, if any, is unchanged)", err)
	}
	rate := float64(res.Read) / res.Duration.Seconds()
	fmt.Fprintf(out, "layer %s: version %d, %d features loaded (%d read, %d rejected, %d geometries repaired) in %s (%.0f features/s)\n",
		res.Layer, res.Version, res.Loaded, res.Read, res.Rejected, res.Repaired, res.Duration.Round(time.Millisecond), rate)
	reportRejects(errOut, res)
	return nil
}

func reportRejects(w io.Writer, res layers.ImportResult) {
	if res.Rejected == 0 {
		return
	}
	fmt.Fprintf(w, "%d records rejected; the first %d:\n", res.Rejected, len(res.Errors))
	for _, e := range res.Errors {
		if e.Record > 0 {
			fmt.Fprintf(w, "  record %d: %s\n", e.Record, e.Reason)
		} else {
			fmt.Fprintf(w, "  %s\n", e.Reason)
		}
	}
}

// filterReader passes only the features whose properties match every filter.
type filterReader struct {
	r  layers.FeatureReader
	eq map[string]string
}

func (f *filterReader) Next() (layers.Feature, error) {
	for {
		feat, err := f.r.Next()
		if err != nil {
			return feat, err
		}
		if f.match(feat) {
			return feat, nil
		}
	}
}

func (f *filterReader) match(feat layers.Feature) bool {
	for k, want := range f.eq {
		v, ok := feat.Props[k]
		if !ok || v == nil || !strings.EqualFold(fmt.Sprint(v), want) {
			return false
		}
	}
	return true
}

func (f *filterReader) Close() error { return f.r.Close() }
