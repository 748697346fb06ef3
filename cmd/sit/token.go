package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/sit-gis/sit/access"
	"github.com/sit-gis/sit/auth"
)

func newTokenCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{Use: "token", Short: "Machine tokens for scripts: create, list, revoke"}
	var o struct {
		name, role, comune string
		layers             []string
		ttl                time.Duration
	}
	create := &cobra.Command{
		Use:   "create --name NAME --role ROLE [--comune C]",
		Short: "Create a token; it is printed once (send it as Authorization: Bearer …)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			role, err := access.ParseRole(o.role)
			if err != nil {
				return fmt.Errorf("--role: %w", err)
			}
			return a.withAuthStore(cmd, func(ctx context.Context, st *auth.Store) error {
				secret, t, err := st.CreateToken(ctx, auth.NewToken{Name: o.name, Role: role, Comune: o.comune, Layers: o.layers,
					CreatedBy: access.Operator(osUserName()).Actor(), TTL: o.ttl})
				audit(ctx, st, "token.create", o.name, o.comune, err, map[string]any{"role": role})
				if err != nil {
					return err
				}
				fmt.Fprintln(cmd.OutOrStdout(), secret)
				fmt.Fprintf(cmd.ErrOrStderr(), "token %s (%s of %s) created; it is shown only now\n", t.Name, t.Role, comuneLabel(t.Comune))
				return nil
			})
		},
	}
	f := create.Flags()
	f.StringVar(&o.name, "name", "", "the token's name (what it is for)")
	f.StringVar(&o.role, "role", "", "admin, editor or professional")
	f.StringVar(&o.comune, "comune", "", "the token's comune (slug); none: every comune")
	f.StringSliceVar(&o.layers, "layers", nil, "layers an editor token may import and edit")
	f.DurationVar(&o.ttl, "ttl", 0, "expire after this long (default: never)")
	_ = create.MarkFlagRequired("name")
	_ = create.MarkFlagRequired("role")
	cmd.AddCommand(create, newTokenListCmd(a), newTokenRevokeCmd(a))
	return cmd
}

func newTokenListCmd(a *app) *cobra.Command {
	return storeCmd("list", "List the tokens (never their secrets)", cobra.NoArgs, a.withAuthStore,
		func(ctx context.Context, cmd *cobra.Command, args []string, st *auth.Store) error {
			ts, err := st.Tokens(ctx, "")
			if err != nil {
				return err
			}
			when := func(t *time.Time) string {
				if t == nil {
					return "-"
				}
				return t.Local().Format(time.DateTime)
			}
			tw := newTable(cmd.OutOrStdout(), "ID\tNAME\tPREFIX\tROLE\tCOMUNE\tLAYERS\tCREATED\tLAST USED\tEXPIRES\tREVOKED")
			for _, t := range ts {
				fmt.Fprintf(tw, "%d\t%s\t%s…\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", t.ID, t.Name, t.Prefix, t.Role, comuneLabel(t.Comune),
					strings.Join(t.Layers, ","), when(&t.CreatedAt), when(t.LastUsed), when(t.ExpiresAt), when(t.RevokedAt))
			}
			return tw.Flush()
		})
}

func newTokenRevokeCmd(a *app) *cobra.Command {
	return storeCmd("revoke NAME|ID", "Revoke a token at once", cobra.ExactArgs(1), a.withAuthStore,
		func(ctx context.Context, cmd *cobra.Command, args []string, st *auth.Store) error {
			t, err := st.TokenByName(ctx, args[0])
			if id, perr := strconv.ParseInt(args[0], 10, 64); err != nil && perr == nil {
				t, err = st.TokenByID(ctx, id)
			}
			if err != nil {
				return fmt.Errorf("token %s: %w", args[0], err)
			}
			err = st.RevokeToken(ctx, t.ID)
			audit(ctx, st, "token.revoke", t.Name, t.Comune, err, nil)
			if err != nil {
				return fmt.Errorf("token %s: %w", args[0], err)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "token %s revoked\n", t.Name)
			return nil
		})
}
