package main

import (
	"fmt"
	"net/url"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/sit-gis/sit/access"
	"github.com/sit-gis/sit/internal/pg"
	"github.com/sit-gis/sit/layers"
	"github.com/sit-gis/sit/tiles"
)

func newExportCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Export layers for static publishing (pmtiles)",
	}
	cmd.AddCommand(newExportPMTilesCmd(a))
	return cmd
}

// exportPMTilesOptions are the flags of sit export pmtiles.
type exportPMTilesOptions struct {
	layers           string
	minZoom, maxZoom int
	bbox             string
	workers          int
	name             string
	cacheControl     string
	restricted       bool
}

func newExportPMTilesCmd(a *app) *cobra.Command {
	var o exportPMTilesOptions
	cmd := &cobra.Command{
		Use:   "pmtiles --layers a,b [--minzoom N] [--maxzoom N] [--bbox W,S,E,N] OUT.pmtiles|s3://BUCKET/[PREFIX/]NAME.pmtiles",
		Short: "Write the layers' vector tiles to a clustered PMTiles v3 archive (the same tiles the server sends)",
		Long: `Write the vector tiles of one or more layers over a zoom range to a
PMTiles v3 archive, for static hosting (object storage + CDN, pmtiles.js) or
for 'sit serve --pmtiles-dir'. Each layer appears only within its own zoom
range (parcels from z14 by default). Tiles are made by the same SQL as
/tiles/{layers}/{z}/{x}/{y}.mvt, by --workers parallel database sessions.

OUT may be an object in an S3-compatible bucket:
  s3://BUCKET/[PREFIX/]NAME.pmtiles[?region=R&endpoint=URL&use_path_style=true]
with the credentials in AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY. The
archive is written to a temporary file and uploaded whole at the end (a
multipart upload past 64 MiB), so the bucket never holds half an archive;
--cache-control sets the header a CDN in front of the bucket passes on.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runExportPMTiles(cmd, a, o, args[0])
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.layers, "layers", "", "layers to export, comma-separated (one tile holds them all)")
	f.IntVar(&o.minZoom, "minzoom", 0, "first zoom")
	f.IntVar(&o.maxZoom, "maxzoom", 16, "last zoom")
	f.StringVar(&o.bbox, "bbox", "", "limit to WEST,SOUTH,EAST,NORTH in degrees (default: the layers' extent)")
	f.IntVar(&o.workers, "workers", max(2, runtime.NumCPU()), "parallel database sessions")
	f.StringVar(&o.name, "name", "", "archive name in its metadata (default: the file name)")
	f.BoolVar(&o.restricted, "restricted", false, "export layers that are not public (the archive is then for --pmtiles-dir only, where the server withholds it from who may not see them)")
	f.StringVar(&o.cacheControl, "cache-control", "", "Cache-Control of an archive uploaded to a bucket (e.g. \"public, max-age=86400\")")
	return cmd
}

func parseBBox(s string) ([4]float64, error) {
	var b [4]float64
	parts := strings.Split(s, ",")
	if len(parts) != 4 {
		return b, fmt.Errorf("%q: want WEST,SOUTH,EAST,NORTH", s)
	}
	for i, p := range parts {
		v, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil {
			return b, fmt.Errorf("%q: %q is not a number", s, p)
		}
		b[i] = v
	}
	if b[0] < -180 || b[2] > 180 || b[1] < -90 || b[3] > 90 || b[0] >= b[2] || b[1] >= b[3] {
		return b, fmt.Errorf("%q: want -180 <= west < east <= 180 and -90 <= south < north <= 90", s)
	}
	return b, nil
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

// runExportPMTiles exports the layers of o to the archive out (a file or
// a bucket URL).
func runExportPMTiles(cmd *cobra.Command, a *app, o exportPMTilesOptions, out string) error {
	ctx := cmd.Context()
	file := out
	if tiles.IsBucketURL(out) {
		u, err := url.Parse(out)
		if err != nil {
			return fmt.Errorf("%s: %w", out, err)
		}
		file = u.Path
	}
	if !strings.HasSuffix(file, ".pmtiles") {
		return fmt.Errorf("%s: the archive name must end in .pmtiles", out)
	}
	if o.layers == "" {
		return fmt.Errorf("--layers is required (a comma-separated list; see 'sit layers')")
	}
	var bbox *[4]float64
	if o.bbox != "" {
		b, err := parseBBox(o.bbox)
		if err != nil {
			return fmt.Errorf("--bbox: %w", err)
		}
		bbox = &b
	}
	if o.workers < 1 {
		return fmt.Errorf("--workers must be at least 1")
	}
	tgt, err := pg.ResolveReading(ctx, a.global, a.log)
	if err != nil {
		return err
	}
	pool, err := pg.Open(ctx, tgt.ReaderURL, pg.PoolOptions{ReadOnly: true, MaxConns: int32(o.workers + 1), AppName: "sit export"})
	if err != nil {
		return err
	}
	defer pool.Close()
	cat := layers.NewCatalog(pool, a.log)
	if err := cat.Refresh(ctx); err != nil {
		return err
	}
	svc := tiles.New(pool, access.NewCatalog(cat), tiles.Options{Version: version, Log: a.log})
	ctx = operatorView(ctx)
	ls, err := svc.ResolveLayers(ctx, o.layers)
	if err != nil {
		return fmt.Errorf("--layers: %w", err)
	}
	if err := checkExportVisibility(ls, o.restricted, out); err != nil {
		return err
	}
	name := o.name
	if name == "" {
		name = strings.TrimSuffix(filepath.Base(file), ".pmtiles")
	}
	var bar *progress
	res, err := svc.ExportPMTiles(ctx, out, tiles.ExportOptions{
		Layers: ls, MinZoom: o.minZoom, MaxZoom: o.maxZoom, BBox: bbox, Workers: o.workers,
		Name: name, Description: "SIT layers " + o.layers, Generator: "sit " + version, CacheControl: o.cacheControl,
		Progress: func(done, total int64) {
			if bar == nil {
				bar = newProgress(a.log, "exporting "+filepath.Base(file), "tiles", total)
			}
			bar.Set(done)
		},
	})
	if bar != nil {
		bar.Finish()
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(cmd.OutOrStdout(), "%s: z%d–z%d, %d tiles (%d looked at, %d directory entries, %d distinct), %s in %s (%.0f tiles/s)\n",
		out, res.MinZoom, res.MaxZoom, res.Addressed, res.Planned, res.Entries, res.Contents, humanBytes(res.Bytes),
		res.Duration.Round(time.Millisecond), float64(res.Planned)/res.Duration.Seconds())
	return nil
}

// checkExportVisibility refuses to put a layer that is not public into an
// archive unless --restricted says so, and then never into a bucket: an
// archive is a file, readable by whoever gets it.
func checkExportVisibility(ls []layers.Layer, restricted bool, out string) error {
	for _, l := range ls {
		if l.Visibility == layers.Public || l.Visibility == "" {
			continue
		}
		if !restricted {
			return fmt.Errorf("layer %s is %s: an archive is readable by whoever gets the file; give --restricted to export it for --pmtiles-dir, where sit serve withholds it from who may not see the layer", l.Name, l.Visibility)
		}
		if tiles.IsBucketURL(out) {
			return fmt.Errorf("layer %s is %s: a restricted archive goes to --pmtiles-dir on the server, not to a bucket behind a CDN", l.Name, l.Visibility)
		}
	}
	return nil
}
