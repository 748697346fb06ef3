package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/sit-gis/sit/domain"
	"github.com/sit-gis/sit/layers"
)

// newLayersSetCmd changes a layer's kind, roles and metadata without a
// re-import. Only the flags given change anything.
func newLayersSetCmd(a *app) *cobra.Command {
	var o struct {
		kind, title, description, attribution string
		roles                                 []string
		more                                  layerMoreFlags
	}
	cmd := &cobra.Command{
		Use:   "set NAME [--kind KIND] [--role ROLE,…] [--title …] [--description …] [--attribution …] [--visibility V] [--comune C] [--min-zoom N] [--max-zoom N] [--style FILE]",
		Short: "Change a layer's kind, roles, metadata, visibility, comune, zooms or style (no re-import)",
		Long: `Change what the catalog says about a layer; the data stay as they are.

--role replaces the layer's roles (--role "" removes them all); roles are
checked against the layer's kind. --kind works when the table already has
the new kind's canonical columns (derived ones, such as area_m2, are
computed); otherwise re-import the file with --kind.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			p, err := layersPatch(cmd, o.kind, o.title, o.description, o.attribution, o.roles, o.more)
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			store, done, err := a.ownerStore(ctx)
			if err != nil {
				return err
			}
			defer done()
			l, err := store.Update(ctx, args[0], p)
			if st, sdone, serr := a.authStore(ctx); serr == nil {
				audit(ctx, st, "layer.update", args[0], l.Comune, err, map[string]any{"visibility": l.Visibility})
				sdone()
			}
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "layer %s: kind %s, roles %s, title %q, %s, comune %s (version %d)\n", l.Name, l.Kind, rolesText(l.Roles),
				l.Title, l.Visibility, comuneLabel(l.Comune), l.Version)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.kind, "kind", "", "the layer's kind: "+strings.Join(kindNames(), ", "))
	f.StringSliceVar(&o.roles, "role", nil, "the layer's roles ("+strings.Join(domain.Roles(), ", ")+"); \"\" for none")
	f.StringVar(&o.title, "title", "", "title")
	f.StringVar(&o.description, "description", "", "description")
	f.StringVar(&o.attribution, "attribution", "", "attribution of the source")
	o.more.register(cmd)
	return cmd
}

// layerMoreFlags are the rest of what the admin API's PATCH
// /admin/layers/{name} changes: who sees the layer, its comune, its tile
// zooms and its style.
type layerMoreFlags struct {
	visibility, comune, style string
	minZoom, maxZoom          int
}

func (m *layerMoreFlags) register(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringVar(&m.visibility, "visibility", "", "public, professional or internal")
	f.StringVar(&m.comune, "comune", "", "the comune owning the layer (slug); \"\" makes it province-wide")
	f.IntVar(&m.minZoom, "min-zoom", 0, "first zoom of its tiles")
	f.IntVar(&m.maxZoom, "max-zoom", 22, "last zoom of its tiles")
	f.StringVar(&m.style, "style", "", "a JSON file with the layer's style")
}

// apply adds the flags given to p.
func (m layerMoreFlags) apply(cmd *cobra.Command, p *layers.Patch) error {
	f := cmd.Flags()
	if f.Changed("visibility") {
		v, err := layers.ParseVisibility(m.visibility)
		if err != nil || m.visibility == "" {
			return fmt.Errorf("--visibility %q: want public, professional or internal", m.visibility)
		}
		p.Visibility = &v
	}
	if f.Changed("comune") {
		p.Comune = &m.comune
	}
	if f.Changed("min-zoom") {
		p.MinZoom = &m.minZoom
	}
	if f.Changed("max-zoom") {
		p.MaxZoom = &m.maxZoom
	}
	if f.Changed("style") {
		b, err := os.ReadFile(m.style)
		if err != nil {
			return fmt.Errorf("--style: %w", err)
		}
		if !json.Valid(b) {
			return fmt.Errorf("--style %s: not JSON", m.style)
		}
		p.Style = b
	}
	return nil
}

// layersPatch turns the flags the user gave into a patch; a flag not given
// changes nothing.
func layersPatch(cmd *cobra.Command, kind, title, description, attribution string, roles []string, more layerMoreFlags) (layers.Patch, error) {
	var p layers.Patch
	f := cmd.Flags()
	if f.Changed("kind") {
		k, err := layers.ParseKind(kind)
		if err != nil || kind == "" {
			return p, fmt.Errorf("--kind: %w", errOr(err, "give a kind"))
		}
		p.Kind = &k
	}
	if f.Changed("role") {
		rs := []string{}
		for _, r := range roles {
			if r = strings.TrimSpace(r); r != "" {
				rs = append(rs, r)
			}
		}
		if err := layers.CheckRoleNames(rs); err != nil {
			return p, fmt.Errorf("--role: %w", err)
		}
		p.Roles = &rs
	}
	text := func(name, v string) *string {
		if f.Changed(name) {
			return &v
		}
		return nil
	}
	p.Title, p.Description, p.Attribution = text("title", title), text("description", description), text("attribution", attribution)
	if err := more.apply(cmd, &p); err != nil {
		return p, err
	}
	if p.Kind == nil && p.Roles == nil && p.Title == nil && p.Description == nil && p.Attribution == nil && p.Visibility == nil &&
		p.Comune == nil && p.MinZoom == nil && p.MaxZoom == nil && p.Style == nil {
		return p, fmt.Errorf("nothing to change: give --kind, --role, --title, --description, --attribution, --visibility, --comune, --min-zoom, --max-zoom or --style")
	}
	return p, nil
}

func errOr(err error, msg string) error {
	if err != nil {
		return err
	}
	return fmt.Errorf("%s", msg)
}

func kindNames() []string {
	var out []string
	for _, k := range domain.Kinds() {
		out = append(out, string(k))
	}
	return out
}

// rolesText writes a layer's roles for a table ("-" for none).
func rolesText(roles []string) string {
	if len(roles) == 0 {
		return "-"
	}
	return strings.Join(roles, ",")
}
