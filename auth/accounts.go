package auth

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sit-gis/sit/access"
)

// Account is a person who signs in (sit_auth.accounts).
type Account struct {
	ID          int64       `json:"id"`
	Username    string      `json:"username"`
	DisplayName string      `json:"displayName"`
	Email       string      `json:"email"`
	Role        access.Role `json:"role"`
	// Comune is the account's comune; "" for an administrator of every comune.
	Comune string `json:"comune"`
	// Layers an editor may import and edit.
	Layers      []string   `json:"layers"`
	HasPassword bool       `json:"hasPassword"`
	OIDCIssuer  string     `json:"oidcIssuer,omitempty"`
	OIDCSubject string     `json:"oidcSubject,omitempty"`
	Disabled    bool       `json:"disabled"`
	CreatedAt   time.Time  `json:"created"`
	UpdatedAt   time.Time  `json:"updated"`
	LastLoginAt *time.Time `json:"lastLogin"`
	hash        string
}

// Principal is the account as the access rules see it.
func (a Account) Principal() access.Principal {
	return access.Principal{Kind: access.KindAccount, ID: a.ID, Name: a.Username, Role: a.Role, Comune: a.Comune, Layers: a.Layers}
}

var usernameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._@-]{0,63}$`)

// NormalizeUsername lower-cases a name and checks it.
func NormalizeUsername(s string) (string, error) {
	u := strings.ToLower(strings.TrimSpace(s))
	if !usernameRE.MatchString(u) {
		return "", fmt.Errorf("username %q: use letters, digits and . _ @ - (at most 64)", s)
	}
	return u, nil
}

// NewAccount is what creating an account takes.
type NewAccount struct {
	Username, DisplayName, Email string
	Password                     string // "" for an account that signs in only through the identity provider
	Role                         access.Role
	Comune                       string
	Layers                       []string
	OIDCIssuer, OIDCSubject      string
}

// accountCols lists an account's columns, of a table alias ("a.") or none.
func accountCols(t string) string {
	return t + "id, " + t + "username, " + t + "display_name, " + t + "email, coalesce(" + t + "password_hash, ''), " +
		t + "role, coalesce(" + t + "comune, ''), " + t + "layers, coalesce(" + t + "oidc_issuer, ''), coalesce(" +
		t + "oidc_subject, ''), " + t + "disabled, " + t + "created_at, " + t + "updated_at, " + t + "last_login_at"
}

var accountColumns = accountCols("")

func scanAccount(row pgx.Row) (Account, error) { return scanAccountWith(row) }

// CreateAccount adds an account.
func (s *Store) CreateAccount(ctx context.Context, n NewAccount) (Account, error) {
	name, err := NormalizeUsername(n.Username)
	if err != nil {
		return Account{}, err
	}
	if _, err := access.ParseRole(string(n.Role)); err != nil {
		return Account{}, err
	}
	var hash any
	if n.Password != "" {
		if err := CheckPassword(n.Password); err != nil {
			return Account{}, err
		}
		h, err := s.hash(ctx, n.Password)
		if err != nil {
			return Account{}, err
		}
		hash = h
	}
	layers := n.Layers
	if layers == nil {
		layers = []string{}
	}
	a, err := scanAccount(s.db.QueryRow(ctx, `INSERT INTO sit_auth.accounts (username, display_name, email, password_hash, role, comune,
		layers, oidc_issuer, oidc_subject) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING `+accountColumns,
		name, n.DisplayName, n.Email, hash, string(n.Role), nullable(n.Comune), layers, nullable(n.OIDCIssuer), nullable(n.OIDCSubject)))
	if err != nil {
		return Account{}, uniqueViolation(err, "account "+name)
	}
	return a, nil
}

func (s *Store) hash(ctx context.Context, pw string) (string, error) {
	if err := s.hasher.acquire(ctx); err != nil {
		return "", err
	}
	defer s.hasher.release()
	return HashPassword(pw)
}

// Accounts lists the accounts of a comune ("" : every account), by name.
func (s *Store) Accounts(ctx context.Context, comune string) ([]Account, error) {
	rows, err := s.db.Query(ctx, `SELECT `+accountColumns+` FROM sit_auth.accounts
		WHERE $1 = '' OR comune = $1 ORDER BY username`, comune)
	if err != nil {
		return nil, fmt.Errorf("accounts: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Account, error) { return scanAccount(r) })
}

// Account reads one account by id.
func (s *Store) Account(ctx context.Context, id int64) (Account, error) {
	return scanAccount(s.db.QueryRow(ctx, `SELECT `+accountColumns+` FROM sit_auth.accounts WHERE id = $1`, id))
}

// AccountByName reads one account by username.
func (s *Store) AccountByName(ctx context.Context, username string) (Account, error) {
	name, err := NormalizeUsername(username)
	if err != nil {
		return Account{}, ErrNotFound
	}
	return scanAccount(s.db.QueryRow(ctx, `SELECT `+accountColumns+` FROM sit_auth.accounts WHERE username = $1`, name))
}

// AccountPatch changes an account; nil fields stay as they are.
type AccountPatch struct {
	DisplayName, Email *string
	Password           *string
	Role               *access.Role
	Comune             *string
	Layers             *[]string
	Disabled           *bool
}

// UpdateAccount applies a patch. A new password, role, comune or a
// disabled account ends the account's sessions: whoever signed in under
// the old terms signs in again.
func (s *Store) UpdateAccount(ctx context.Context, id int64, p AccountPatch) (Account, error) {
	a, err := s.Account(ctx, id)
	if err != nil {
		return a, err
	}
	hash := a.hash
	if p.Password != nil {
		if err := CheckPassword(*p.Password); err != nil {
			return a, err
		}
		if hash, err = s.hash(ctx, *p.Password); err != nil {
			return a, err
		}
	}
	if p.Role != nil {
		if _, err := access.ParseRole(string(*p.Role)); err != nil {
			return a, err
		}
		a.Role = *p.Role
	}
	for _, f := range []struct{ dst, v *string }{{&a.DisplayName, p.DisplayName}, {&a.Email, p.Email}, {&a.Comune, p.Comune}} {
		if f.v != nil {
			*f.dst = *f.v
		}
	}
	if p.Layers != nil {
		a.Layers = *p.Layers
	}
	if p.Disabled != nil {
		a.Disabled = *p.Disabled
	}
	endSessions := p.Password != nil || p.Role != nil || p.Comune != nil || p.Layers != nil || (p.Disabled != nil && *p.Disabled)
	err = pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		a, err = scanAccount(tx.QueryRow(ctx, `UPDATE sit_auth.accounts SET display_name = $2, email = $3, password_hash = NULLIF($4, ''),
			role = $5, comune = $6, layers = $7, disabled = $8, updated_at = now() WHERE id = $1 RETURNING `+accountColumns,
			id, a.DisplayName, a.Email, hash, string(a.Role), nullable(a.Comune), a.Layers, a.Disabled))
		if err != nil {
			return uniqueViolation(err, "account "+a.Username)
		}
		if endSessions {
			_, err = tx.Exec(ctx, "DELETE FROM sit_auth.sessions WHERE account_id = $1", id)
		}
		return err
	})
	return a, err
}

// DeleteAccount removes an account and its sessions.
func (s *Store) DeleteAccount(ctx context.Context, id int64) error {
	tag, err := s.db.Exec(ctx, "DELETE FROM sit_auth.accounts WHERE id = $1", id)
	if err != nil {
		return fmt.Errorf("delete account: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return ErrNotFound
	}
	return nil
}

// Authenticate checks a username and password, throttled per name and per
// client address. Every failure is ErrInvalidCredentials (or a
// *ThrottledError): the answer never says which part was wrong, and an
// unknown name costs the same hash as a known one.
func (s *Store) Authenticate(ctx context.Context, username, password, addr string) (Account, error) {
	keys := throttleKeys(username, addr)
	if err := s.checkThrottle(ctx, keys); err != nil {
		return Account{}, err
	}
	if err := s.hasher.acquire(ctx); err != nil {
		return Account{}, err
	}
	a, lookupErr := s.AccountByName(ctx, username)
	hash := a.hash
	if lookupErr != nil || hash == "" {
		hash = dummyHash()
	}
	ok, verr := VerifyPassword(hash, password)
	s.hasher.release()
	if lookupErr != nil && !errors.Is(lookupErr, ErrNotFound) {
		return Account{}, lookupErr
	}
	if verr != nil || !ok || lookupErr != nil || !a.HasPassword || a.Disabled {
		if err := s.recordFailure(ctx, keys); err != nil {
			return Account{}, err
		}
		return Account{}, ErrInvalidCredentials
	}
	if err := s.clearThrottle(ctx, keys[:1]); err != nil {
		return Account{}, err
	}
	_, err := s.db.Exec(ctx, "UPDATE sit_auth.accounts SET last_login_at = now() WHERE id = $1", a.ID)
	return a, err
}
