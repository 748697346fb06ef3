package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

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
			store := layers.NewStore(pool, a.log)
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
	boundary, err := synth.ParseBoundary(data.LuccaBoundary())
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "generating %d synthetic Lucca parcels and the other demo layers in %s\n", parcels, dir)
	m, err := synth.Generate(ctx, synth.Config{Parcels: parcels, Seed: 1, Boundary: boundary}, filepath.Join(dir, "synth"), nil)
	if err != nil {
		return err
	}
	roles := map[string][]string{
		synth.LayerParcels: {layers.RoleCadastre}, synth.LayerZoning: {layers.RoleZoning}, synth.LayerConstraints: {layers.RoleConstraints},
		synth.LayerAddresses: {layers.RoleAddresses}, synth.LayerBroadband: {layers.RoleCoverage}, synth.LayerAree: {layers.RoleZones},
		synth.LayerFogli: {layers.RoleSheets},
	}
	for _, f := range m.Files {
		req := ingest.Request{Path: filepath.Join(dir, "synth", f.Path), Layer: f.Layer, Kind: string(f.Kind), Title: f.Title,
			Description: f.Description, Attribution: f.Attribution, Snapshot: f.Snapshot, Synthetic: true, Roles: roles[f.Layer]}
		if err := a.importPath(ctx, out, errOut, store, req); err != nil {
			return fmt.Errorf("import %s: %w", f.Path, err)
		}
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
	return nil
}
