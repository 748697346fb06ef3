package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/paulmach/orb"
	"github.com/spf13/cobra"

	"github.com/sit-gis/sit/data"
	"github.com/sit-gis/sit/data/synth"
	"github.com/sit-gis/sit/ingest"
	"github.com/sit-gis/sit/internal/pg"
	"github.com/sit-gis/sit/layers"
)

func newDemoCmd(a *app) *cobra.Command {
	var o struct {
		reset   bool
		parcels int
		noServe bool
	}
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Start the managed database, import the bundled Lucca data (first run or --reset) and serve",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			s := a.cfg.Server
			if err := s.CheckPaths(); err != nil {
				return usageError{err}
			}
			ctx := cmd.Context()
			tgt, err := pg.ResolveOrCreate(ctx, a.global, a.log)
			if err != nil {
				return err
			}
			pool, err := pg.Open(ctx, tgt.OwnerURL, pg.PoolOptions{MaxConns: 4, AppName: "sit demo"})
			if err != nil {
				return err
			}
			store := a.layerStore(pool)
			err = a.loadDemo(ctx, cmd, store, o.reset, o.parcels)
			pool.Close()
			if err != nil {
				return err
			}
			if o.noServe {
				return nil
			}
			fmt.Fprintf(cmd.OutOrStdout(), "SIT demo on http://%s/ (Ctrl-C to stop)\n", s.Addr)
			return a.serve(ctx, tgt, s)
		},
	}
	serverFlags(cmd)
	cmd.Flags().BoolVar(&o.reset, "reset", false, "remove every layer and import the demo data again")
	cmd.Flags().IntVar(&o.parcels, "parcels", 50000, "synthetic parcels to generate")
	cmd.Flags().BoolVar(&o.noServe, "no-serve", false, "load the data and exit")
	return cmd
}

// demoDir is where the demo writes its generated and extracted files.
func (a *app) demoDir() string {
	return filepath.Join(filepath.Dir(filepath.Clean(a.global.DataDir)), "demo")
}

func (a *app) loadDemo(ctx context.Context, cmd *cobra.Command, store *layers.Store, reset bool, parcels int) error {
	if err := layers.Migrate(ctx, store.Pool()); err != nil {
		return err
	}
	existing, err := layers.ListLayers(ctx, store.Pool())
	if err != nil {
		return err
	}
	if len(existing) > 0 && !reset {
		fmt.Fprintf(cmd.OutOrStdout(), "catalog has %d layers; keeping them (--reset imports the demo data again)\n", len(existing))
		return nil
	}
	for _, l := range existing {
		if err := store.Delete(ctx, l.Name); err != nil {
			return err
		}
	}
	dir := a.demoDir()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	out, errOut := cmd.OutOrStdout(), cmd.ErrOrStderr()
	comuni, err := data.Extract("admin/openpolis_limits_P_46_municipalities.geojson", dir)
	if err != nil {
		return err
	}
	if err := a.importPath(ctx, out, errOut, store, ingest.Request{Path: comuni,
		Layer: "comuni_lu", Kind: string(layers.KindBoundary), Title: "Comuni della Provincia di Lucca",
		Description: "Confini comunali ISTAT (giugno 2023) dei 33 comuni della Provincia di Lucca.",
		Attribution: "© ISTAT (CC BY 4.0) via openpolis", Roles: []string{layers.RoleZones},
	}); err != nil {
		return fmt.Errorf("import the ISTAT boundaries: %w", err)
	}
	if err := a.loadDemoComuni(ctx, cmd, store, dir, parcels); err != nil {
		return err
	}
	for _, name := range []string{"sources/agcom_Reportistica_250331_Comuni.csv", "sources/agcom_Reportistica_250630_Comuni.csv"} {
		p, err := data.Extract(name, dir)
		if err != nil {
			return err
		}
		if err := a.importPath(ctx, out, errOut, store, ingest.Request{Path: p,
			Layer: "agcom_comuni", Kind: string(layers.KindBroadband), Title: "AGCOM – copertura banda larga per comune (Provincia di Lucca)",
			Description: "AGCOM Broadband map, reportistica per comune: celle, punti e indirizzi raggiunti, FTTH, FTTC e famiglie, per snapshot. Comuni della Provincia di Lucca.",
			Attribution: "AGCOM – Broadband map reportistica", Join: "comuni_lu.com_istat_code_num=pro_com",
			Filters: []string{"provincia=Lucca"}, Roles: []string{layers.RoleAGCOM},
		}); err != nil {
			return fmt.Errorf("import %s: %w", name, err)
		}
	}
	return a.loadDemoPlanning(ctx, out, errOut, store, dir)
}

// demoComune is one comune the demo hosts, with its synthetic layers.
type demoComune struct {
	slug, name, belfiore string
	view                 [3]float64
	parcels              int
	seed                 uint64
	prefix               string // of its layer names ("" : the synth names)
}

// loadDemoComuni hosts Lucca (the default comune, all public as the demo
// always was) and Porcari, a small comune of the province, each with its
// own synthetic parcels, zoning, constraints, addresses and coverage;
// Porcari shows the visibilities: its parcels are for professionals, its
// coverage internal (the office's), the rest public.
func (a *app) loadDemoComuni(ctx context.Context, cmd *cobra.Command, store *layers.Store, dir string, parcels int) error {
	out := cmd.OutOrStdout()
	for _, c := range []demoComune{
		{slug: "lucca", name: "Comune di Lucca", belfiore: "E715", view: [3]float64{10.505, 43.843, 12}, parcels: parcels, seed: 1},
		{slug: "porcari", name: "Comune di Porcari", belfiore: "G882", view: [3]float64{10.616, 43.838, 13}, parcels: max(parcels/25, 500), seed: 2, prefix: "porcari_"},
	} {
		name, belfiore, isDefault := c.name, c.belfiore, c.slug == "lucca"
		patch := layers.ComunePatch{Name: &name, Belfiore: &belfiore, DefaultView: &c.view, Default: &isDefault}
		_, err := layers.GetComune(ctx, store.Pool(), c.slug)
		switch {
		case errors.Is(err, layers.ErrNoComune):
			err = store.AddComune(ctx, c.slug, patch)
		case err == nil:
			err = store.UpdateComune(ctx, c.slug, patch)
		}
		if err != nil {
			return err
		}
		boundary, err := demoBoundary(c.name[len("Comune di "):])
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "generating %d synthetic parcels of %s and its other demo layers in %s\n", c.parcels, c.name, dir)
		sub := filepath.Join(dir, "synth-"+c.slug)
		m, err := synth.Generate(ctx, synth.Config{Parcels: c.parcels, Seed: c.seed, Boundary: boundary}, sub, nil)
		if err != nil {
			return err
		}
		for _, f := range m.Files {
			layer := f.Layer
			if c.prefix != "" {
				layer = c.prefix + strings.TrimPrefix(f.Layer, "lucca_")
			}
			req := ingest.Request{Path: filepath.Join(sub, f.Path), Layer: layer, Kind: string(f.Kind), Title: f.Title,
				Description: f.Description, Attribution: f.Attribution, Snapshot: f.Snapshot, Synthetic: true, Roles: demoRoles[f.Layer],
				Comune: c.slug}
			if c.prefix != "" {
				req.Visibility = string(demoVisibility(f.Layer))
			}
			if c.prefix != "" {
				req.Title = strings.ReplaceAll(req.Title, "Lucca", c.name[len("Comune di "):])
			}
			if err := a.importPath(ctx, out, cmd.ErrOrStderr(), store, req); err != nil {
				return fmt.Errorf("import %s: %w", f.Path, err)
			}
		}
	}
	return nil
}

var demoRoles = map[string][]string{
	synth.LayerParcels: {layers.RoleCadastre}, synth.LayerZoning: {layers.RoleZoning}, synth.LayerConstraints: {layers.RoleConstraints},
	synth.LayerAddresses: {layers.RoleAddresses}, synth.LayerBroadband: {layers.RoleCoverage}, synth.LayerAree: {layers.RoleZones},
	synth.LayerFogli: {layers.RoleSheets}, synth.LayerStreets: {layers.RoleStreets},
}

// demoVisibility shows each visibility at work in the demo.
func demoVisibility(layer string) layers.Visibility {
	switch layer {
	case synth.LayerParcels:
		return layers.Professional
	case synth.LayerBroadband:
		return layers.Internal
	}
	return layers.Public
}

// demoBoundary is a comune's boundary from the bundled ISTAT limits of
// the province (Lucca's own file for Lucca, as the demo always had).
func demoBoundary(name string) (orb.Geometry, error) {
	if name == "Lucca" {
		return synth.ParseBoundary(data.LuccaBoundary())
	}
	raw, err := fs.ReadFile(data.Files(), "admin/openpolis_limits_P_46_municipalities.geojson")
	if err != nil {
		return nil, err
	}
	cs, err := synth.ParseComuni(raw)
	if err != nil {
		return nil, err
	}
	for _, c := range cs {
		if c.Name == name {
			return c.Boundary, nil
		}
	}
	return nil, fmt.Errorf("no comune %s in the bundled limits", name)
}
