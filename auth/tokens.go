package auth

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sit-gis/sit/access"
)

// Token is a machine token (sit_auth.tokens): a principal of its own for
// scripts, with a role and a comune, shown once and kept only as a hash.
type Token struct {
	ID        int64       `json:"id"`
	Name      string      `json:"name"`
	Prefix    string      `json:"prefix"`
	Role      access.Role `json:"role"`
	Comune    string      `json:"comune"`
	Layers    []string    `json:"layers"`
	CreatedBy string      `json:"createdBy"`
	CreatedAt time.Time   `json:"created"`
	ExpiresAt *time.Time  `json:"expires"`
	RevokedAt *time.Time  `json:"revoked"`
	LastUsed  *time.Time  `json:"lastUsed"`
}

// Principal is the token as the access rules see it.
func (t Token) Principal() access.Principal {
	return access.Principal{Kind: access.KindToken, ID: t.ID, Name: t.Name, Role: t.Role, Comune: t.Comune, Layers: t.Layers}
}

// NewToken is what creating a token takes.
type NewToken struct {
	Name      string
	Role      access.Role
	Comune    string
	Layers    []string
	CreatedBy string
	// TTL, if positive, makes the token expire.
	TTL time.Duration
}

var tokenNameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,63}$`)

const tokenColumns = `id, name, prefix, role, coalesce(comune, ''), layers, created_by, created_at, expires_at, revoked_at, last_used_at`

func scanToken(row pgx.Row, lead ...any) (Token, error) {
	var t Token
	var role string
	err := row.Scan(append(lead, &t.ID, &t.Name, &t.Prefix, &role, &t.Comune, &t.Layers, &t.CreatedBy, &t.CreatedAt,
		&t.ExpiresAt, &t.RevokedAt, &t.LastUsed)...)
	if errors.Is(err, pgx.ErrNoRows) {
		return t, ErrNotFound
	}
	t.Role = access.Role(role)
	if t.Layers == nil {
		t.Layers = []string{}
	}
	return t, err
}

// CreateToken makes a token and returns its secret, the only time it is
// seen: "sit_" followed by 43 characters.
func (s *Store) CreateToken(ctx context.Context, n NewToken) (string, Token, error) {
	if !tokenNameRE.MatchString(n.Name) {
		return "", Token{}, fmt.Errorf("token name %q: use lower-case letters, digits and . _ - (at most 64)", n.Name)
	}
	if _, err := access.ParseRole(string(n.Role)); err != nil {
		return "", Token{}, err
	}
	secret := TokenPrefix + newSecret()
	var expires any
	if n.TTL > 0 {
		expires = s.opt.Now().Add(n.TTL)
	}
	layers := n.Layers
	if layers == nil {
		layers = []string{}
	}
	t, err := scanToken(s.db.QueryRow(ctx, `INSERT INTO sit_auth.tokens (name, hash, prefix, role, comune, layers, created_by, expires_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING `+tokenColumns,
		n.Name, digest(secret), secret[:len(TokenPrefix)+6], string(n.Role), nullable(n.Comune), layers, n.CreatedBy, expires))
	if err != nil {
		return "", Token{}, uniqueViolation(err, "token "+n.Name)
	}
	return secret, t, nil
}

// Tokens lists the tokens of a comune ("" : all), revoked ones included.
func (s *Store) Tokens(ctx context.Context, comune string) ([]Token, error) {
	rows, err := s.db.Query(ctx, `SELECT `+tokenColumns+` FROM sit_auth.tokens WHERE $1 = '' OR comune = $1 ORDER BY name, id`, comune)
	if err != nil {
		return nil, fmt.Errorf("tokens: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Token, error) { return scanToken(r) })
}

// TokenByID reads one token.
func (s *Store) TokenByID(ctx context.Context, id int64) (Token, error) {
	return scanToken(s.db.QueryRow(ctx, `SELECT `+tokenColumns+` FROM sit_auth.tokens WHERE id = $1`, id))
}

// TokenByName reads the token in force of a name.
func (s *Store) TokenByName(ctx context.Context, name string) (Token, error) {
	return scanToken(s.db.QueryRow(ctx, `SELECT `+tokenColumns+` FROM sit_auth.tokens WHERE name = $1 AND revoked_at IS NULL`, name))
}

// RevokeToken ends a token at once; it stays listed.
func (s *Store) RevokeToken(ctx context.Context, id int64) error {
	tag, err := s.db.Exec(ctx, "UPDATE sit_auth.tokens SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL", id)
	if err != nil {
		return fmt.Errorf("revoke token: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return ErrNotFound
	}
	return nil
}

// ErrBadToken is a bearer token that is not one in force.
var ErrBadToken = errors.New("the token is not valid (unknown, revoked or expired)")

// TokenPrincipal returns who a bearer token is, and records its use (at
// most once a minute).
func (s *Store) TokenPrincipal(ctx context.Context, secret string) (access.Principal, error) {
	if !strings.HasPrefix(secret, TokenPrefix) || len(secret) > 128 {
		return access.Principal{}, ErrBadToken
	}
	h := digest(secret)
	var stored []byte
	t, err := scanToken(s.db.QueryRow(ctx, `SELECT hash, `+tokenColumns+` FROM sit_auth.tokens
		WHERE hash = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > $2)`, h, s.opt.Now()), &stored)
	if errors.Is(err, ErrNotFound) {
		return access.Principal{}, ErrBadToken
	}
	if err != nil {
		return access.Principal{}, fmt.Errorf("token: %w", err)
	}
	// The lookup is by a 256-bit hash; the comparison is constant-time anyway.
	if subtle.ConstantTimeCompare(stored, h) != 1 {
		return access.Principal{}, ErrBadToken
	}
	if t.LastUsed == nil || s.opt.Now().Sub(*t.LastUsed) > time.Minute {
		if _, err := s.db.Exec(ctx, "UPDATE sit_auth.tokens SET last_used_at = $2 WHERE id = $1", t.ID, s.opt.Now()); err != nil {
			return access.Principal{}, fmt.Errorf("token: %w", err)
		}
	}
	return t.Principal(), nil
}
