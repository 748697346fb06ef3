package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/sit-gis/sit/layers"
)

// comuneFlags are the settings `comune add` and `comune set` share.
type comuneFlags struct {
	name, belfiore, header, view, arms string
	isDefault                          bool
}

func (f *comuneFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&f.name, "name", "", `the name shown by the viewer and the reports ("Comune di Lucca")`)
	fl.StringVar(&f.belfiore, "belfiore", "", "cadastral (Belfiore) code, e.g. E715")
	fl.StringVar(&f.header, "report-header", "", "first line of the reports (default: the name)")
	fl.StringVar(&f.view, "view", "", "the viewer's first view: LON,LAT,ZOOM")
	fl.StringVar(&f.arms, "coat-of-arms", "", "image file of the coat of arms (PNG, SVG, JPEG or WebP, at most 256 KiB)")
	fl.BoolVar(&f.isDefault, "default", false, "answer the URLs without /c/{comune}/")
}

// patch turns the flags that were given into a patch.
func (f *comuneFlags) patch(cmd *cobra.Command) (layers.ComunePatch, error) {
	var p layers.ComunePatch
	fl := cmd.Flags()
	for _, s := range []struct {
		flag string
		dst  **string
		v    *string
	}{{"name", &p.Name, &f.name}, {"belfiore", &p.Belfiore, &f.belfiore}, {"report-header", &p.ReportHeader, &f.header}} {
		if fl.Changed(s.flag) {
			*s.dst = s.v
		}
	}
	if fl.Changed("default") {
		p.Default = &f.isDefault
	}
	if fl.Changed("view") {
		v, err := parseView(f.view)
		if err != nil {
			return p, err
		}
		p.DefaultView = v
	}
	if fl.Changed("coat-of-arms") {
		b, err := os.ReadFile(f.arms)
		if err != nil {
			return p, fmt.Errorf("--coat-of-arms: %w", err)
		}
		ct, err := imageType(b)
		if err != nil {
			return p, fmt.Errorf("--coat-of-arms %s: %w", f.arms, err)
		}
		p.CoatOfArms, p.CoatOfArmsType = &b, &ct
	}
	return p, nil
}

func parseView(s string) (*[3]float64, error) {
	parts := strings.Split(s, ",")
	if len(parts) != 3 {
		return nil, fmt.Errorf("--view %q: want LON,LAT,ZOOM", s)
	}
	var v [3]float64
	for i, p := range parts {
		f, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil {
			return nil, fmt.Errorf("--view %q: %w", s, err)
		}
		v[i] = f
	}
	return &v, nil
}

// imageType sniffs a coat of arms; only images a browser shows safely.
func imageType(b []byte) (string, error) {
	if len(b) > 256<<10 {
		return "", fmt.Errorf("%d bytes: at most 256 KiB", len(b))
	}
	ct := http.DetectContentType(b)
	switch {
	case ct == "image/png" || ct == "image/jpeg" || ct == "image/webp":
		return ct, nil
	case strings.Contains(string(b[:min(len(b), 512)]), "<svg"):
		return "image/svg+xml", nil
	}
	return "", fmt.Errorf("%s is not a PNG, SVG, JPEG or WebP image", ct)
}

// newComuneChangeCmd is `comune add` or `comune set`: the flags make a
// patch that apply gives the comune named by the argument; done says so.
func newComuneChangeCmd(a *app, use, short string, apply func(*layers.Store, context.Context, string, layers.ComunePatch) error,
	done func(slug string) string) *cobra.Command {
	var f comuneFlags
	cmd := &cobra.Command{
		Use:   use,
		Short: short,
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			p, err := f.patch(cmd)
			if err != nil {
				return err
			}
			return a.withOwnerStore(cmd, func(ctx context.Context, store *layers.Store) error {
				if err := apply(store, ctx, args[0], p); err != nil {
					return err
				}
				fmt.Fprintln(cmd.OutOrStdout(), done(args[0]))
				return nil
			})
		},
	}
	f.register(cmd)
	return cmd
}

func newComuneCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{Use: "comune", Short: "The comuni this instance hosts: add, set, list"}
	addCmd := newComuneChangeCmd(a, "add SLUG --name NAME",
		"Add a comune; its URLs are /c/SLUG/… (the first one also answers the URLs without it)",
		(*layers.Store).AddComune, func(slug string) string { return fmt.Sprintf("comune %s added: /c/%s/", slug, slug) })
	setCmd := newComuneChangeCmd(a, "set SLUG", "Change a comune's name, codes, view, coat of arms or default",
		(*layers.Store).UpdateComune, func(slug string) string { return "comune " + slug + " updated" })
	list := storeCmd("list", "List the comuni", cobra.NoArgs, a.withOwnerStore,
		func(ctx context.Context, cmd *cobra.Command, args []string, store *layers.Store) error {
			cs, err := layers.ListComuni(ctx, store.Pool())
			if err != nil {
				return err
			}
			tw := newTable(cmd.OutOrStdout(), "SLUG\tNAME\tBELFIORE\tDEFAULT\tVIEW\tCOAT OF ARMS")
			for _, c := range cs {
				view := "-"
				if c.DefaultView != nil {
					view = fmt.Sprintf("%g,%g,%g", c.DefaultView[0], c.DefaultView[1], c.DefaultView[2])
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%v\t%s\t%s\n", c.Slug, c.Name, c.Belfiore, c.Default, view, c.CoatOfArmsType)
			}
			return tw.Flush()
		})
	cmd.AddCommand(addCmd, setCmd, list)
	return cmd
}
