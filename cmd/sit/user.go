package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/sit-gis/sit/access"
	"github.com/sit-gis/sit/auth"
)

// authStore opens the owner pool (migrated) for the account commands.
func (a *app) authStore(ctx context.Context) (*auth.Store, func(), error) {
	store, done, err := a.ownerStore(ctx)
	if err != nil {
		return nil, nil, err
	}
	return auth.NewStore(store.Pool(), auth.Options{}), done, nil
}

// audit records what the command line did, as the web console's actions are.
func audit(ctx context.Context, st *auth.Store, action, target, comune string, err error, detail map[string]any) {
	res := auth.ResultOK
	if err != nil {
		res = auth.ResultFailed
	}
	_ = st.Record(ctx, auth.Entry{Actor: access.Operator(osUserName()).Actor(), Comune: comune, Action: action, Target: target,
		RemoteAddr: "local", Result: res, Detail: detail})
}

// userFlags are the settings `user add` and `user set` share.
type userFlags struct {
	role, comune, display, email string
	layers                       []string
	stdin                        bool
}

func (f *userFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&f.role, "role", "", "admin, editor or professional")
	fl.StringVar(&f.comune, "comune", "", "the account's comune (slug); none: an administrator of every comune")
	fl.StringSliceVar(&f.layers, "layers", nil, "layers an editor may import and edit (comma list)")
	fl.StringVar(&f.display, "name", "", "display name")
	fl.StringVar(&f.email, "email", "", "e-mail address")
	fl.BoolVar(&f.stdin, "password-stdin", false, "read the password from standard input (else asked twice on the terminal)")
}

func newUserCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{Use: "user", Short: "Local accounts: add, passwd, set, rm, list"}
	var add userFlags
	addCmd := &cobra.Command{
		Use:   "add USERNAME",
		Short: "Add an account (the first admin: sit user add NAME --role admin)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			role, err := access.ParseRole(add.role)
			if err != nil {
				return fmt.Errorf("--role: %w", err)
			}
			pw, err := readPassword(cmd, add.stdin)
			if err != nil {
				return err
			}
			return a.withAuthStore(cmd, func(ctx context.Context, st *auth.Store) error {
				acc, err := st.CreateAccount(ctx, auth.NewAccount{Username: args[0], Password: pw, Role: role, Comune: add.comune,
					Layers: add.layers, DisplayName: add.display, Email: add.email})
				audit(ctx, st, "account.create", args[0], add.comune, err, map[string]any{"role": role})
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "account %s added (%s of %s)\n", acc.Username, acc.Role, comuneLabel(acc.Comune))
				return nil
			})
		},
	}
	add.register(addCmd)
	cmd.AddCommand(addCmd, newUserPasswdCmd(a), newUserSetCmd(a), newUserRmCmd(a), newUserListCmd(a))
	return cmd
}

func comuneLabel(c string) string {
	if c == "" {
		return "every comune"
	}
	return c
}

func newUserPasswdCmd(a *app) *cobra.Command {
	var stdin bool
	cmd := &cobra.Command{
		Use:   "passwd USERNAME",
		Short: "Set an account's password (its sessions end)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			pw, err := readPassword(cmd, stdin)
			if err != nil {
				return err
			}
			return a.withAuthStore(cmd, func(ctx context.Context, st *auth.Store) error {
				acc, err := st.AccountByName(ctx, args[0])
				if err != nil {
					return fmt.Errorf("account %s: %w", args[0], err)
				}
				_, err = st.UpdateAccount(ctx, acc.ID, auth.AccountPatch{Password: &pw})
				audit(ctx, st, "account.password", acc.Username, acc.Comune, err, nil)
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "password of %s changed\n", acc.Username)
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&stdin, "password-stdin", false, "read the password from standard input")
	return cmd
}

func newUserSetCmd(a *app) *cobra.Command {
	var f userFlags
	var disable, enable bool
	cmd := &cobra.Command{
		Use:   "set USERNAME",
		Short: "Change an account's role, comune, layers, name or e-mail; --disable / --enable",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var p auth.AccountPatch
			fl := cmd.Flags()
			if fl.Changed("role") {
				r, err := access.ParseRole(f.role)
				if err != nil {
					return fmt.Errorf("--role: %w", err)
				}
				p.Role = &r
			}
			if fl.Changed("comune") {
				p.Comune = &f.comune
			}
			if fl.Changed("layers") {
				p.Layers = &f.layers
			}
			if fl.Changed("name") {
				p.DisplayName = &f.display
			}
			if fl.Changed("email") {
				p.Email = &f.email
			}
			if disable || enable {
				p.Disabled = &disable
			}
			return a.withAuthStore(cmd, func(ctx context.Context, st *auth.Store) error {
				acc, err := st.AccountByName(ctx, args[0])
				if err != nil {
					return fmt.Errorf("account %s: %w", args[0], err)
				}
				acc, err = st.UpdateAccount(ctx, acc.ID, p)
				audit(ctx, st, "account.update", args[0], acc.Comune, err, nil)
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "account %s: %s of %s\n", acc.Username, acc.Role, comuneLabel(acc.Comune))
				return nil
			})
		},
	}
	f.register(cmd)
	cmd.Flags().BoolVar(&disable, "disable", false, "disable the account (its sessions end)")
	cmd.Flags().BoolVar(&enable, "enable", false, "enable the account")
	cmd.MarkFlagsMutuallyExclusive("disable", "enable")
	return cmd
}

func newUserRmCmd(a *app) *cobra.Command {
	return storeCmd("rm USERNAME", "Remove an account and its sessions", cobra.ExactArgs(1), a.withAuthStore,
		func(ctx context.Context, cmd *cobra.Command, args []string, st *auth.Store) error {
			acc, err := st.AccountByName(ctx, args[0])
			if err != nil {
				return fmt.Errorf("account %s: %w", args[0], err)
			}
			err = st.DeleteAccount(ctx, acc.ID)
			audit(ctx, st, "account.delete", acc.Username, acc.Comune, err, nil)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "account %s removed\n", acc.Username)
			return nil
		})
}

func newUserListCmd(a *app) *cobra.Command {
	var comune string
	cmd := storeCmd("list", "List the accounts", cobra.NoArgs, a.withAuthStore,
		func(ctx context.Context, cmd *cobra.Command, args []string, st *auth.Store) error {
			accs, err := st.Accounts(ctx, comune)
			if err != nil {
				return err
			}
			tw := newTable(cmd.OutOrStdout(), "USERNAME\tROLE\tCOMUNE\tLAYERS\tLOGIN\tDISABLED\tLAST LOGIN")
			for _, x := range accs {
				login := "password"
				switch {
				case x.OIDCSubject != "" && x.HasPassword:
					login = "password, oidc"
				case x.OIDCSubject != "":
					login = "oidc"
				}
				last := "-"
				if x.LastLoginAt != nil {
					last = x.LastLoginAt.Local().Format(time.DateTime)
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%v\t%s\n", x.Username, x.Role, comuneLabel(x.Comune), strings.Join(x.Layers, ","), login, x.Disabled, last)
			}
			return tw.Flush()
		})
	cmd.Flags().StringVar(&comune, "comune", "", "only the accounts of this comune")
	return cmd
}

// readPassword reads a password: one line of standard input with
// --password-stdin, else twice from the terminal without echo.
func readPassword(cmd *cobra.Command, stdin bool) (string, error) {
	if stdin {
		line, err := bufio.NewReader(cmd.InOrStdin()).ReadString('\n')
		if err != nil && line == "" {
			return "", errors.New("--password-stdin: no password on standard input")
		}
		pw := strings.TrimRight(line, "\r\n")
		return pw, auth.CheckPassword(pw)
	}
	fd := int(os.Stdin.Fd())
	if !term.IsTerminal(fd) {
		return "", errors.New("no terminal to ask the password on: give it with --password-stdin")
	}
	ask := func(prompt string) (string, error) {
		fmt.Fprint(cmd.ErrOrStderr(), prompt)
		b, err := term.ReadPassword(fd)
		fmt.Fprintln(cmd.ErrOrStderr())
		return string(b), err
	}
	pw, err := ask("Password: ")
	if err != nil {
		return "", err
	}
	if err := auth.CheckPassword(pw); err != nil {
		return "", err
	}
	again, err := ask("Again: ")
	if err != nil {
		return "", err
	}
	if again != pw {
		return "", errors.New("the two passwords differ")
	}
	return pw, nil
}
