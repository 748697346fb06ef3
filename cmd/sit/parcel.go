package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/sit-gis/sit/access"
	"github.com/sit-gis/sit/cadastre"
	"github.com/sit-gis/sit/internal/httpx"
	"github.com/sit-gis/sit/layers"
)

// problemError turns a core problem into a plain CLI error naming the
// flag or argument at fault.
func problemError(err error, names map[string]string) error {
	var p *httpx.Problem
	if !errors.As(err, &p) {
		return err
	}
	if p.Parameter != "" {
		name := p.Parameter
		if n, ok := names[p.Parameter]; ok {
			name = n
		}
		return fmt.Errorf("%s: %s", name, p.Detail)
	}
	return errors.New(p.Detail)
}

func newParcelCmd(a *app) *cobra.Command {
	var o struct {
		at, crs string
		limit   int
		json    bool
	}
	cmd := &cobra.Command{
		Use:   "parcel [QUERY]",
		Short: "Find cadastral parcels by reference (foglio 37 particella 125, 37/125, E715_003700.125), address, or point (--at lon,lat)",
		Long: `Find cadastral parcels in the layer with the role cadastre.

QUERY is a reference as people write it — "foglio 37 particella 125",
"F.37 p.125", "fg 37 part 125", "37/125", "37-125", "E715_003700.125", with
the comune code, sezione, allegato and sviluppo when given — or an address
of the address layer ("via del fosso 12"). Several results are candidates.
--at lon,lat finds the parcel under a point (--crs for projected
coordinates, e.g. --crs EPSG:3003 --at 1620000,4860000).`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if (len(args) == 1) == (o.at != "") {
				return errors.New("give either a QUERY or --at lon,lat")
			}
			var pt cadastre.Point
			if o.at != "" {
				x, y, ok := strings.Cut(o.at, ",")
				if !ok {
					return fmt.Errorf("--at %q: want lon,lat", o.at)
				}
				var err error
				if pt, err = cadastre.ParsePoint(x, y, o.crs, "--at longitude", "--at latitude"); err != nil {
					return problemError(err, map[string]string{"crs": "--crs"})
				}
			}
			if o.limit < 1 || o.limit > 1000 {
				return fmt.Errorf("--limit %d: want 1 to 1000", o.limit)
			}
			return a.withCatalog(cmd, func(ctx context.Context, store *layers.Store, cat *access.Catalog) error {
				svc := cadastre.New(store.Pool(), cat, cadastre.Options{MaxLimit: 1000})
				var ps []cadastre.Parcel
				if o.at != "" {
					p, err := svc.At(ctx, pt)
					if err != nil {
						return problemError(err, map[string]string{"crs": "--crs"})
					}
					ps = []cadastre.Parcel{p}
				} else {
					res, err := svc.Search(ctx, args[0], o.limit)
					if err != nil {
						return problemError(err, map[string]string{"q": "QUERY"})
					}
					ps = res.Parcels
					if res.More {
						fmt.Fprintf(cmd.ErrOrStderr(), "more than %d parcels match; --limit shows more\n", o.limit)
					}
				}
				if o.json {
					return writeJSONOut(cmd.OutOrStdout(), cadastre.FeatureCollection(ps, "", nil))
				}
				return printParcels(cmd.OutOrStdout(), ps)
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.at, "at", "", "find the parcel under this point: lon,lat (or x,y with --crs)")
	f.StringVar(&o.crs, "crs", "", "CRS of --at: EPSG:N (default WGS84 lon/lat)")
	f.IntVar(&o.limit, "limit", 10, "most candidates to list")
	f.BoolVar(&o.json, "json", false, "print GeoJSON (geometry, attributes, area, centroid, bbox)")
	return cmd
}

func printParcels(w io.Writer, ps []cadastre.Parcel) error {
	tw := newTable(w, "REF\tPARCEL\tAREA_M2\tCENTROID\tKIND\tMATCH")
	for _, p := range ps {
		match := ""
		if p.Match != nil {
			match = p.Match.By
			if p.Match.Address != "" {
				match += ": " + p.Match.Address
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%.2f\t%.6f,%.6f\t%s\t%s\n", p.Ref, p.Label(), p.AreaM2, p.Centroid[0], p.Centroid[1], p.Kind, match)
	}
	return tw.Flush()
}

func writeJSONOut(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
