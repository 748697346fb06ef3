package main

import (
	"fmt"
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
	}
	cmd := &cobra.Command{
		Use:   "set NAME [--kind KIND] [--role ROLE,…] [--title …] [--description …] [--attribution …]",
		Short: "Change a layer's kind, roles, title, description or attribution (no re-import)",
		Long: `Change what the catalog says about a layer; the data stay as they are.

--role replaces the layer's roles (--role "" removes them all); roles are
checked against the layer's kind. --kind works when the table already has
the new kind's canonical columns (derived ones, such as area_m2, are
computed); otherwise re-import the file with --kind.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			p, err := layersPatch(cmd, o.kind, o.title, o.description, o.attribution, o.roles)
			if err != nil {
				return err
			}
			store, done, err := a.ownerStore(cmd.Context())
			if err != nil {
				return err
			}
			defer done()
			if err := store.Update(cmd.Context(), args[0], p); err != nil {
				return err
			}
			l, err := layers.GetLayer(cmd.Context(), store.Pool(), args[0])
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "layer %s: kind %s, roles %s, title %q (version %d)\n", l.Name, l.Kind, rolesText(l.Roles), l.Title, l.Version)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.kind, "kind", "", "the layer's kind: "+strings.Join(kindNames(), ", "))
	f.StringSliceVar(&o.roles, "role", nil, "the layer's roles ("+strings.Join(domain.Roles(), ", ")+"); \"\" for none")
	f.StringVar(&o.title, "title", "", "title")
	f.StringVar(&o.description, "description", "", "description")
	f.StringVar(&o.attribution, "attribution", "", "attribution of the source")
	return cmd
}

// layersPatch turns the flags the user gave into a patch; a flag not given
// changes nothing.
func layersPatch(cmd *cobra.Command, kind, title, description, attribution string, roles []string) (layers.Patch, error) {
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
	if p.Kind == nil && p.Roles == nil && p.Title == nil && p.Description == nil && p.Attribution == nil {
		return p, fmt.Errorf("nothing to change: give --kind, --role, --title, --description or --attribution")
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
