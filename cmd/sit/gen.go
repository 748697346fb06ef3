package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/sit-gis/sit/data"
	"github.com/sit-gis/sit/data/synth"
)

func newGenCmd(a *app) *cobra.Command {
	var o struct {
		out     string
		parcels int
		seed    uint64
		format  string
	}
	cmd := &cobra.Command{
		Use:   "gen",
		Short: "Generate synthetic cadastral parcels and the Lucca demo layers (GeoJSON sequences or the AdE INSPIRE bulk layout)",
		Long: `Generate deterministic synthetic layers inside real ISTAT boundaries:
cadastral parcels numbered by foglio/particella, and for Lucca zoning tiling the
territory (DM 1444/68 classes, the walled centre as zone A), constraint
overlays, address points and broadband coverage at two snapshot dates.

Up to 200 000 parcels fill the Comune di Lucca (the demo). More are laid out at
that density (about 1 070 parcels per km²) over as many comuni as they need:
Lucca, the other comuni of its province by distance, then the rest of Tuscany
(1 000 000 parcels cover 14 comuni of the province, 10 000 000 cover 148 comuni
in 8 provinces). Each comune's parcels carry its own Belfiore code.

--format geojsonl (default) writes one GeoJSON sequence per layer.
--format inspire-bulk writes the parcels and fogli as the Agenzia delle Entrate
INSPIRE bulk download: ITALIA/<REGIONE>.zip → <PROV>.zip → <BELFIORE>_<NOME>.zip
→ <BELFIORE>_<NOME>_ple.gml (CadastralParcel) + _map.gml (CadastralZoning).

The same --seed and --parcels give byte-identical files. Import them with sit
import, or let sit demo do it. The data are SYNTHETIC and labelled so.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runGen(cmd, a, o.out, o.parcels, o.seed, o.format)
		},
	}
	cmd.Flags().StringVar(&o.out, "out", "lucca-synth", "output directory")
	cmd.Flags().IntVar(&o.parcels, "parcels", 50000, "number of cadastral parcels (above 200 000 they spread over more comuni)")
	cmd.Flags().Uint64Var(&o.seed, "seed", 1, "random seed (same seed, same files)")
	cmd.Flags().StringVar(&o.format, "format", "geojsonl", "geojsonl (one GeoJSON sequence per layer) or inspire-bulk (the Agenzia delle Entrate download layout)")
	return cmd
}

// runGen writes the synthetic layers (geojsonl) or the INSPIRE bulk layout.
func runGen(cmd *cobra.Command, a *app, out string, parcels int, seed uint64, format string) error {
	if format != "geojsonl" && format != "inspire-bulk" {
		return fmt.Errorf("--format %q: want geojsonl or inspire-bulk", format)
	}
	boundary, err := synth.ParseBoundary(data.LuccaBoundary())
	if err != nil {
		return err
	}
	cfg := synth.Config{Parcels: parcels, Seed: seed, Boundary: boundary}
	start := time.Now()
	w := cmd.OutOrStdout()
	if format == "inspire-bulk" {
		bar := newProgress(a.log, "generating", "parcels", int64(parcels))
		m, err := synth.GenerateInspireBulk(cmd.Context(), cfg, out, func(n int) { bar.Set(int64(n)) })
		bar.Finish()
		if err != nil {
			return err
		}
		for _, ar := range m.Archives {
			fmt.Fprintf(w, "%s  %d GML members, %s\n", ar.Path, len(ar.Members), humanBytes(ar.Bytes))
		}
		fmt.Fprintf(w, "%d parcels in %d fogli written to %s in %s\n", m.Parcels, m.Fogli, out, time.Since(start).Round(time.Millisecond))
		return nil
	}
	bar := newProgress(a.log, "generating", "features", -1)
	// The generator reports running counts per layer; the bar shows their sum.
	perLayer := map[string]int{}
	m, err := synth.Generate(cmd.Context(), cfg, out,
		func(layer string, n int) {
			perLayer[layer] = n
			var total int64
			for _, v := range perLayer {
				total += int64(v)
			}
			bar.Set(total)
		})
	bar.Finish()
	if err != nil {
		return err
	}
	for _, f := range m.Files {
		fmt.Fprintf(w, "%-45s %-10s %9d features  (layer %s)\n", f.Path, f.Kind, f.Features, f.Layer)
	}
	where := "Lucca"
	if len(m.Comuni) > 0 {
		where = fmt.Sprintf("%d comuni", len(m.Comuni))
	}
	fmt.Fprintf(w, "%d parcels in %d fogli (%s) written to %s in %s\n", m.Parcels, m.Fogli, where, out, time.Since(start).Round(time.Millisecond))
	return nil
}
