package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/sit-gis/sit/access"
	"github.com/sit-gis/sit/internal/config"
	"github.com/sit-gis/sit/layers"
	"github.com/sit-gis/sit/planning"
	"github.com/sit-gis/sit/reports"
)

// writeOut writes b to the file -o names, or to out.
func writeOut(out io.Writer, path string, b []byte) error {
	if path == "" || path == "-" {
		_, err := out.Write(b)
		return err
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		return fmt.Errorf("-o: %w", err)
	}
	return nil
}

// writeRendered renders a document in memory (nothing is written when that
// fails) and writes it to path or out (see writeOut).
func writeRendered(out io.Writer, path string, render func(b *bytes.Buffer) error) error {
	var b bytes.Buffer
	if err := render(&b); err != nil {
		return err
	}
	return writeOut(out, path, b.Bytes())
}

func newReportCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "report",
		Short: "Zoning reports of parcels and broadband (digital divide) analytics",
	}
	cmd.AddCommand(newReportZoningCmd(a), newReportBroadbandCmd(a), newReportAGCOMCmd(a))
	return cmd
}

func newReportZoningCmd(a *app) *cobra.Command {
	var o struct {
		format, out, at string
	}
	cmd := &cobra.Command{
		Use:   "zoning PARCEL...",
		Short: "Zoning report of parcels: zones and constraints with m² and % (JSON, HTML or PDF)",
		Long: `Zoning report of one or more parcels (references in any spelling, e.g.
"foglio 37 particella 125", 37/125, E715_003700.125): every zone of the
zoning layer and every constraint each parcel intersects, with the area on
the WGS84 spheroid and the % of the parcel; border effects apart; the data
sources with their versions. Not a certificato di destinazione urbanistica.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			switch o.format {
			case "json", "html", "pdf":
			default:
				return fmt.Errorf("--format %q: want json, html or pdf", o.format)
			}
			return a.withCatalog(cmd, func(ctx context.Context, store *layers.Store, cat *access.Catalog) error {
				svc := reports.New(store.Pool(), cat, reports.Options{Comune: a.cfg.Server.Comune, SliverMinAreaM2: a.cfg.Server.SliverMinAreaM2, SliverMinPct: a.cfg.Server.SliverMinPct,
					MaxParcels: 1000, Log: a.log, Planning: planning.NewStore(store.Pool())})
				at, err := svc.AsOf(o.at)
				if err != nil {
					return problemError(err, map[string]string{"at": "--at"})
				}
				rep, err := svc.Zoning(ctx, reports.ZoningRequest{Parcels: args, WithMap: o.format != "json", At: at})
				if err != nil {
					return problemError(err, map[string]string{"parcel": "PARCEL"})
				}
				return writeRendered(cmd.OutOrStdout(), o.out, func(b *bytes.Buffer) error {
					switch o.format {
					case "html":
						return reports.WriteZoningHTML(b, rep)
					case "pdf":
						return reports.WriteZoningPDF(b, rep)
					}
					return writeJSONOut(b, rep)
				})
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.format, "format", "json", "json, html or pdf")
	f.StringVarP(&o.out, "output", "o", "", "write to this file (default standard output)")
	config.AddFlags(f, "report.comune", "report.sliver_min_area", "report.sliver_min_pct")
	f.StringVar(&o.at, "at", "", "report as of this date (YYYY-MM-DD: the end of that day, Italian time): the plans and data then in force")
	return cmd
}

func newReportBroadbandCmd(a *app) *cobra.Command {
	var o struct {
		zones, coverage, snapshot, compare, format, out string
	}
	cmd := &cobra.Command{
		Use:   "broadband --zones LAYER",
		Short: "Addresses and households by speed band and area class per zone, and the change between snapshots (JSON or CSV)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if o.format != "json" && o.format != "csv" {
				return fmt.Errorf("--format %q: want json or csv", o.format)
			}
			return a.withCatalog(cmd, func(ctx context.Context, store *layers.Store, cat *access.Catalog) error {
				svc := reports.New(store.Pool(), cat, reports.Options{Log: a.log})
				rep, err := svc.Broadband(ctx, reports.BroadbandRequest{Zones: o.zones, Coverage: o.coverage, Snapshot: o.snapshot, Compare: o.compare})
				if err != nil {
					return problemError(err, map[string]string{"zones": "--zones", "coverage": "--coverage", "snapshot": "--snapshot", "compare": "--compare"})
				}
				return writeRendered(cmd.OutOrStdout(), o.out, func(b *bytes.Buffer) error {
					if o.format == "csv" {
						return reports.WriteBroadbandCSV(b, rep)
					}
					return writeJSONOut(b, rep)
				})
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.zones, "zones", "", "polygon layer to aggregate by (default: the one layer with the role zones)")
	f.StringVar(&o.coverage, "coverage", "", "broadband layer (default: the layer with the role coverage)")
	f.StringVar(&o.snapshot, "snapshot", "", "snapshot date YYYY-MM-DD (default: the latest)")
	f.StringVar(&o.compare, "compare", "", "compare with this snapshot date")
	f.StringVar(&o.format, "format", "json", "json or csv")
	f.StringVarP(&o.out, "output", "o", "", "write to this file (default standard output)")
	return cmd
}

func newReportAGCOMCmd(a *app) *cobra.Command {
	var o struct{ snapshot, compare, format, out string }
	cmd := &cobra.Command{
		Use:   "agcom",
		Short: "AGCOM FTTH share of addresses and households per comune (GeoJSON for a choropleth, JSON or CSV)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			switch o.format {
			case "geojson", "json", "csv":
			default:
				return fmt.Errorf("--format %q: want geojson, json or csv", o.format)
			}
			return a.withCatalog(cmd, func(ctx context.Context, store *layers.Store, cat *access.Catalog) error {
				rep, err := reports.New(store.Pool(), cat, reports.Options{Log: a.log}).AGCOM(ctx, o.snapshot, o.compare)
				if err != nil {
					return problemError(err, map[string]string{"snapshot": "--snapshot", "compare": "--compare"})
				}
				return writeRendered(cmd.OutOrStdout(), o.out, func(b *bytes.Buffer) error {
					switch o.format {
					case "geojson":
						return writeJSONOut(b, rep.GeoJSON())
					case "csv":
						return reports.WriteAGCOMCSV(b, rep)
					}
					return writeJSONOut(b, rep)
				})
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.snapshot, "snapshot", "", "snapshot date YYYY-MM-DD (default: the latest)")
	f.StringVar(&o.compare, "compare", "", "compare with this snapshot date")
	f.StringVar(&o.format, "format", "geojson", "geojson, json or csv")
	f.StringVarP(&o.out, "output", "o", "", "write to this file (default standard output)")
	return cmd
}
