package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/sit-gis/sit/layers"
	"github.com/sit-gis/sit/planning"
)

func newPlanCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "plan",
		Short: "The register of planning instruments: plans and variants, their acts and layers",
		Long: `The register of planning instruments (PS, PO, PRG, variants…): each with its
acts (adoption, approval, efficacy, expiry: resolution numbers and dates) and
the layers that draw its zones and constraints. Where a plan stands at a date
(in force, adopted under safeguard measures, not applying) is derived from its
acts; the zoning report and the certificate list every instrument that applies.`,
	}
	cmd.AddCommand(newPlanAddCmd(a), newPlanActCmd(a), newPlanAttachCmd(a), newPlanListCmd(a))
	return cmd
}

func newPlanAddCmd(a *app) *cobra.Command {
	var o struct{ name, kind, parent, desc, until string }
	cmd := &cobra.Command{
		Use:   "add CODE --name NAME --kind PS|PO|PRG|variant|PA|other [--parent CODE]",
		Short: "Register a planning instrument",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			k, err := planning.ParseKind(o.kind)
			if err != nil {
				return fmt.Errorf("--kind: %w", err)
			}
			p := planning.Plan{Code: args[0], Name: o.name, Kind: k, Parent: o.parent, Description: o.desc}
			if o.until != "" {
				d, err := layers.ParseDay(o.until)
				if err != nil {
					return fmt.Errorf("--safeguard-until: %w", err)
				}
				p.SafeguardGiven = &d
			}
			return a.withPlanStore(cmd, func(ctx context.Context, ps *planning.Store) error {
				if err := ps.AddPlan(ctx, p); err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "registered %s (%s): %s\n", p.Code, k.Label(), p.Name)
				return nil
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.name, "name", "", "the instrument's name (Piano Operativo 2020)")
	f.StringVar(&o.kind, "kind", "", "PS, PO, PRG, variant, PA or other")
	f.StringVar(&o.parent, "parent", "", "the plan a variant amends")
	f.StringVar(&o.desc, "description", "", "a description")
	f.StringVar(&o.until, "safeguard-until", "", "last day of the safeguard measures when not adoption + 3 years (DPR 380/2001 art. 12 c. 3)")
	_ = cmd.MarkFlagRequired("name")
	_ = cmd.MarkFlagRequired("kind")
	return cmd
}

func newPlanActCmd(a *app) *cobra.Command {
	var o struct{ number, date, body, title, publication string }
	cmd := &cobra.Command{
		Use:   "act CODE adoption|approval|efficacy|expiry --date DATE [--number N] [--body ORGAN]",
		Short: "Record an act of a plan: adoption, approval, efficacy (publication), expiry",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			k, err := planning.ParseActKind(args[1])
			if err != nil {
				return err
			}
			day, err := layers.ParseDay(o.date)
			if err != nil {
				return fmt.Errorf("--date: %w", err)
			}
			act := planning.Act{Kind: k, Number: o.number, Date: day, Body: o.body, Title: o.title, Publication: o.publication}
			return a.withPlanStore(cmd, func(ctx context.Context, ps *planning.Store) error {
				if err := ps.AddAct(ctx, args[0], act); err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "%s: %s – %s\n", args[0], k.Label(), act.Describe())
				return nil
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.date, "date", "", "the act's date (YYYY-MM-DD or DD/MM/YYYY)")
	f.StringVar(&o.number, "number", "", "the resolution's number")
	f.StringVar(&o.body, "body", "Consiglio comunale", "who passed it")
	f.StringVar(&o.title, "title", "", "its title")
	f.StringVar(&o.publication, "publication", "", "where it was published (BURT n. 32 parte II)")
	_ = cmd.MarkFlagRequired("date")
	return cmd
}

func newPlanAttachCmd(a *app) *cobra.Command {
	var role string
	cmd := storeCmd("attach CODE LAYER [--role zoning|constraints]", "Say that a layer draws a plan's zones (or constraints)", cobra.ExactArgs(2), a.withPlanStore,
		func(ctx context.Context, cmd *cobra.Command, args []string, ps *planning.Store) error {
			if err := ps.Attach(ctx, args[0], args[1], role); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s draws the %s of %s\n", args[1], role, args[0])
			return nil
		})
	cmd.Flags().StringVar(&role, "role", layers.RoleZoning, "zoning or constraints")
	return cmd
}

func newPlanListCmd(a *app) *cobra.Command {
	var o struct {
		at   string
		json bool
	}
	cmd := &cobra.Command{
		Use:   "list [--at DATE] [--json]",
		Short: "List the register with where each plan stands at a date (today by default)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			at := time.Now()
			if o.at != "" {
				var err error
				if at, err = layers.ParseAsOf(o.at, time.Now()); err != nil {
					return fmt.Errorf("--at: %w", err)
				}
			}
			return a.withPlanStore(cmd, func(ctx context.Context, ps *planning.Store) error {
				ins, err := ps.Instruments(ctx, at)
				if err != nil {
					return err
				}
				if o.json {
					return writeJSONOut(cmd.OutOrStdout(), ins)
				}
				tw := newTable(cmd.OutOrStdout(), "CODE\tKIND\tSTATUS\tNAME\tACTS\tLAYERS")
				for _, in := range ins {
					var acts, ls []string
					for _, act := range in.Acts {
						acts = append(acts, act.Label+" "+act.Date.Format("02/01/2006"))
					}
					for _, l := range in.Layers {
						ls = append(ls, l.Layer+" ("+l.Role+")")
					}
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", in.Code, in.Kind, in.Label, in.Name, strings.Join(acts, "; "), strings.Join(ls, ", "))
				}
				return tw.Flush()
			})
		},
	}
	cmd.Flags().StringVar(&o.at, "at", "", "the date (YYYY-MM-DD)")
	cmd.Flags().BoolVar(&o.json, "json", false, "JSON output")
	return cmd
}

func newNTACmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "nta",
		Short: "The text of a plan's rules (Norme Tecniche di Attuazione) by article, linked to zone codes",
	}
	cmd.AddCommand(newNTAImportCmd(a), newNTAAttachCmd(a), newNTAListCmd(a))
	return cmd
}

func newNTAImportCmd(a *app) *cobra.Command {
	var o struct{ zones, validFrom string }
	cmd := &cobra.Command{
		Use:   "import PLAN FILE.md|FILE.txt|FILE.pdf [--zones ZONES.csv] [--valid-from DATE]",
		Short: "Import a plan's rules, split by article (Art. N headings); a PDF keeps page references",
		Long: `Import the text of a plan's rules as a new version. Articles start at lines
"Art. N – title" (Markdown headings "## Art. N …" when the file has any);
"28 bis" numbers are kept. A line "Zone: A, A1" inside an article links it to
those zone codes; --zones adds links from a CSV (zone_code,article); the zones'
own norm_ref ("Art. 28 NTA") links them too. A PDF is read with pdftotext and
each article keeps its pages. Earlier versions stay, for reports about earlier
dates and for issued certificates.`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			in, err := readNTA(ctx, args[0], args[1], o.zones, o.validFrom)
			if err != nil {
				return err
			}
			return a.withPlanStore(cmd, func(ctx context.Context, ps *planning.Store) error {
				v, err := ps.ImportNTA(ctx, in)
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "%s: rules version %d, %d articles, %d zone links, valid from %s\n",
					v.Plan, v.Version, v.Articles, v.Zones, v.ValidFrom.In(layers.Rome()).Format("02/01/2006"))
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&o.zones, "zones", "", "CSV of zone_code,article links")
	cmd.Flags().StringVar(&o.validFrom, "valid-from", "", "the date this text took effect (default: now; a plan's first text: its first act)")
	return cmd
}

// readNTA reads an NTA file (text, Markdown or PDF) and its links.
func readNTA(ctx context.Context, plan, path, zonesPath, validFrom string) (planning.NTAImport, error) {
	in := planning.NTAImport{Plan: plan, SourceName: filepath.Base(path)}
	var b []byte
	var err error
	if strings.EqualFold(filepath.Ext(path), ".pdf") {
		b, err = planning.PDFText(ctx, path)
	} else {
		b, err = os.ReadFile(path)
	}
	if err != nil {
		return in, err
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		return in, err
	}
	sum := sha256.Sum256(raw)
	in.SHA256 = hex.EncodeToString(sum[:])
	if in.Articles, err = planning.ParseNTA(strings.NewReader(string(b))); err != nil {
		return in, fmt.Errorf("%s: %w", path, err)
	}
	if zonesPath != "" {
		f, err := os.Open(zonesPath)
		if err != nil {
			return in, fmt.Errorf("--zones: %w", err)
		}
		defer f.Close()
		if in.Zones, err = planning.ZoneArticles(f); err != nil {
			return in, fmt.Errorf("--zones %s: %w", zonesPath, err)
		}
	}
	if validFrom != "" {
		d, err := layers.ParseDay(validFrom)
		if err != nil {
			return in, fmt.Errorf("--valid-from: %w", err)
		}
		in.ValidFrom = &d
	}
	return in, nil
}

func newNTAAttachCmd(a *app) *cobra.Command {
	return storeCmd("attach PLAN ZONE ARTICLE...", "Link a zone code to articles of the plan's rules (a new version of the links, valid from now)", cobra.MinimumNArgs(3), a.withPlanStore,
		func(ctx context.Context, cmd *cobra.Command, args []string, ps *planning.Store) error {
			v, err := ps.AttachArticles(ctx, args[0], args[1], args[2:])
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s: zone %s → art. %s (rules version %d)\n", args[0], args[1], strings.Join(args[2:], ", "), v.Version)
			return nil
		})
}

func newNTAListCmd(a *app) *cobra.Command {
	return storeCmd("list PLAN", "The versions of a plan's rules", cobra.ExactArgs(1), a.withPlanStore,
		func(ctx context.Context, cmd *cobra.Command, args []string, ps *planning.Store) error {
			vs, err := ps.NTAVersions(ctx, args[0])
			if err != nil {
				return err
			}
			tw := newTable(cmd.OutOrStdout(), "VERSION\tVALID FROM\tIMPORTED\tARTICLES\tZONE LINKS\tSOURCE")
			for _, v := range vs {
				fmt.Fprintf(tw, "%d\t%s\t%s\t%d\t%d\t%s\n", v.Version, v.ValidFrom.In(layers.Rome()).Format("02/01/2006"),
					v.ImportedAt.In(layers.Rome()).Format("02/01/2006 15:04"), v.Articles, v.Zones, v.SourceName)
			}
			return tw.Flush()
		})
}

func newUsesCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "uses",
		Short: "The admitted uses of a plan's zones (destinazioni d'uso), for the SUAP",
	}
	cmd.AddCommand(&cobra.Command{
		Use:   "import PLAN FILE.csv",
		Short: "Replace a plan's table of uses: zone_code, use, status (admitted|excluded|conditional), label, condition, article",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := os.Open(args[1])
			if err != nil {
				return err
			}
			defer f.Close()
			us, err := planning.ParseUses(f, args[0])
			if err != nil {
				return fmt.Errorf("%s: %w", args[1], err)
			}
			return a.withPlanStore(cmd, func(ctx context.Context, ps *planning.Store) error {
				if err := ps.ImportUses(ctx, args[0], us); err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "%s: %d rows of uses\n", args[0], len(us))
				return nil
			})
		},
	})
	return cmd
}
