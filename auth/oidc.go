package auth

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/sit-gis/sit/access"
)

// OIDCConfig connects an OpenID Connect identity provider (Keycloak, a
// SPID/CIE gateway, Azure AD…): README, "Connect an identity provider".
type OIDCConfig struct {
	Issuer       string
	ClientID     string
	ClientSecret string
	// RedirectURL is this server's /auth/oidc/callback as the provider
	// knows it (default: the public URL + /auth/oidc/callback).
	RedirectURL string
	// Scopes beyond openid (default profile, email).
	Scopes []string
	// RoleClaim is the ID-token claim whose values map to roles (default
	// "groups"); a string or a list of strings.
	RoleClaim string
	// UsernameClaim names the account (default preferred_username, then
	// email, then the subject).
	UsernameClaim string
	// Map turns claim values into a role in a comune; the most powerful
	// match wins. DefaultRole, if set, is given to a user no value maps
	// (e.g. professional for every citizen a SPID gateway lets in);
	// without it such a user is refused.
	Map         []ClaimMap
	DefaultRole access.Role
}

// ClaimMap is one "VALUE=ROLE[@COMUNE]" mapping.
type ClaimMap struct {
	Value  string
	Role   access.Role
	Comune string
}

// ParseClaimMap reads "VALUE=ROLE[@COMUNE]" (e.g. "sit-lucca-admin=admin@lucca").
func ParseClaimMap(s string) (ClaimMap, error) {
	v, rc, ok := strings.Cut(s, "=")
	if !ok || v == "" {
		return ClaimMap{}, fmt.Errorf("claim mapping %q: want VALUE=ROLE[@COMUNE]", s)
	}
	r, c, _ := strings.Cut(rc, "@")
	role, err := access.ParseRole(r)
	if err != nil {
		return ClaimMap{}, fmt.Errorf("claim mapping %q: %w", s, err)
	}
	return ClaimMap{Value: v, Role: role, Comune: c}, nil
}

// rank orders roles by power.
func rank(r access.Role) int {
	return slices.Index([]access.Role{access.Professional, access.Editor, access.Admin}, r)
}

// resolve maps the claim values of a user to a role and a comune.
func (c OIDCConfig) resolve(values []string) (access.Role, string, bool) {
	best := -1
	var out ClaimMap
	for _, m := range c.Map {
		if slices.Contains(values, m.Value) && rank(m.Role) > best {
			best, out = rank(m.Role), m
		}
	}
	if best < 0 {
		return c.DefaultRole, "", c.DefaultRole != ""
	}
	return out.Role, out.Comune, true
}

// OIDC is the client side of an identity provider. The provider's
// discovery document is read at the first login (and again after a
// failure), so that a provider that is down does not stop the server.
type OIDC struct {
	cfg      OIDCConfig
	store    *Store
	mu       sync.Mutex
	provider *oidc.Provider
}

// NewOIDC checks the configuration.
func NewOIDC(cfg OIDCConfig, store *Store) (*OIDC, error) {
	if cfg.Issuer == "" || cfg.ClientID == "" || cfg.RedirectURL == "" {
		return nil, errors.New("OpenID Connect needs an issuer, a client id and a redirect URL")
	}
	if u, err := url.Parse(cfg.Issuer); err != nil || (u.Scheme != "https" && u.Hostname() != "127.0.0.1" && u.Hostname() != "localhost") {
		return nil, fmt.Errorf("--oidc-issuer %q: an https URL", cfg.Issuer)
	}
	if cfg.RoleClaim == "" {
		cfg.RoleClaim = "groups"
	}
	if cfg.Scopes == nil {
		cfg.Scopes = []string{"profile", "email"}
	}
	if cfg.DefaultRole != "" {
		if _, err := access.ParseRole(string(cfg.DefaultRole)); err != nil {
			return nil, err
		}
	}
	return &OIDC{cfg: cfg, store: store}, nil
}

func (o *OIDC) providerOf(ctx context.Context) (*oidc.Provider, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.provider != nil {
		return o.provider, nil
	}
	p, err := oidc.NewProvider(ctx, o.cfg.Issuer)
	if err != nil {
		return nil, fmt.Errorf("identity provider %s: %w", o.cfg.Issuer, err)
	}
	o.provider = p
	return p, nil
}

func (o *OIDC) oauth(p *oidc.Provider) oauth2.Config {
	return oauth2.Config{ClientID: o.cfg.ClientID, ClientSecret: o.cfg.ClientSecret, RedirectURL: o.cfg.RedirectURL,
		Endpoint: p.Endpoint(), Scopes: append([]string{oidc.ScopeOpenID}, o.cfg.Scopes...)}
}

// flowTTL bounds a login at the provider.
const flowTTL = 10 * time.Minute

// Begin starts a login: it records the flow (state hashed, nonce, PKCE
// verifier) and returns the state, which the browser also keeps in a
// cookie, and the provider's URL to send the browser to.
func (o *OIDC) Begin(ctx context.Context, returnTo string) (state, authURL string, err error) {
	p, err := o.providerOf(ctx)
	if err != nil {
		return "", "", err
	}
	state, nonce, verifier := newSecret(), newSecret(), oauth2.GenerateVerifier()
	sum := sha256.Sum256([]byte(state))
	if _, err := o.store.db.Exec(ctx, `INSERT INTO sit_auth.oidc_flows (state_hash, nonce, verifier, return_to, expires_at)
		VALUES ($1, $2, $3, $4, $5)`, sum[:], nonce, verifier, returnTo, o.store.opt.Now().Add(flowTTL)); err != nil {
		return "", "", fmt.Errorf("oidc flow: %w", err)
	}
	if _, err := o.store.db.Exec(ctx, "DELETE FROM sit_auth.oidc_flows WHERE expires_at < $1", o.store.opt.Now()); err != nil {
		return "", "", fmt.Errorf("oidc flow: %w", err)
	}
	cfg := o.oauth(p)
	return state, cfg.AuthCodeURL(state, oidc.Nonce(nonce), oauth2.S256ChallengeOption(verifier)), nil
}

// ErrOIDCRefused is a provider's user whom no mapping lets in.
var ErrOIDCRefused = errors.New("the identity provider signed you in, but no role of this server is given to you: ask the comune's GIS office")

// Finish completes a login: the flow of state (used once), the code
// exchanged with the PKCE verifier, the ID token verified (issuer,
// audience, expiry, signature, nonce), the claims mapped to a role, the
// account found or made. It returns the account and where to go.
func (o *OIDC) Finish(ctx context.Context, state, code string) (Account, string, error) {
	p, err := o.providerOf(ctx)
	if err != nil {
		return Account{}, "", err
	}
	sum := sha256.Sum256([]byte(state))
	var nonce, verifier, returnTo string
	err = o.store.db.QueryRow(ctx, `DELETE FROM sit_auth.oidc_flows WHERE state_hash = $1 AND expires_at > $2
		RETURNING nonce, verifier, return_to`, sum[:], o.store.opt.Now()).Scan(&nonce, &verifier, &returnTo)
	if err != nil {
		return Account{}, "", errors.New("this sign-in has expired or was already used: start again")
	}
	cfg := o.oauth(p)
	tok, err := cfg.Exchange(ctx, code, oauth2.VerifierOption(verifier))
	if err != nil {
		return Account{}, "", fmt.Errorf("the identity provider refused the code: %w", err)
	}
	raw, ok := tok.Extra("id_token").(string)
	if !ok {
		return Account{}, "", errors.New("the identity provider sent no ID token")
	}
	idt, err := p.Verifier(&oidc.Config{ClientID: o.cfg.ClientID}).Verify(ctx, raw)
	if err != nil {
		return Account{}, "", fmt.Errorf("ID token: %w", err)
	}
	if idt.Nonce != nonce {
		return Account{}, "", errors.New("ID token: the nonce does not match this sign-in")
	}
	var claims map[string]any
	if err := idt.Claims(&claims); err != nil {
		return Account{}, "", fmt.Errorf("ID token claims: %w", err)
	}
	if _, ok := claims[o.cfg.RoleClaim]; !ok {
		// Many providers put only the identity in the ID token and the
		// rest behind the userinfo endpoint.
		if err := o.userinfo(ctx, p, cfg, tok, idt.Subject, claims); err != nil {
			return Account{}, "", err
		}
	}
	a, err := o.account(ctx, idt.Issuer, idt.Subject, claims)
	return a, returnTo, err
}

// userinfo adds the claims of the userinfo endpoint that the ID token
// lacks (never replacing one it has), for the same subject only.
func (o *OIDC) userinfo(ctx context.Context, p *oidc.Provider, cfg oauth2.Config, tok *oauth2.Token, subject string, claims map[string]any) error {
	ui, err := p.UserInfo(ctx, cfg.TokenSource(ctx, tok))
	if err != nil {
		return fmt.Errorf("userinfo: %w", err)
	}
	if ui.Subject != subject {
		return errors.New("userinfo: another subject than the ID token's")
	}
	var more map[string]any
	if err := ui.Claims(&more); err != nil {
		return fmt.Errorf("userinfo claims: %w", err)
	}
	for k, v := range more {
		if _, ok := claims[k]; !ok {
			claims[k] = v
		}
	}
	return nil
}

// account finds the account of a provider's user, or makes it; its role
// and comune follow the provider's claims at every sign-in.
func (o *OIDC) account(ctx context.Context, issuer, subject string, claims map[string]any) (Account, error) {
	role, comune, ok := o.cfg.resolve(claimValues(claims[o.cfg.RoleClaim]))
	if !ok {
		return Account{}, ErrOIDCRefused
	}
	var id int64
	err := o.store.db.QueryRow(ctx, "SELECT id FROM sit_auth.accounts WHERE oidc_issuer = $1 AND oidc_subject = $2", issuer, subject).Scan(&id)
	if err == nil {
		a, err := o.store.UpdateAccount(ctx, id, AccountPatch{Role: &role, Comune: &comune})
		if err == nil && a.Disabled {
			return Account{}, ErrInvalidCredentials
		}
		if err == nil {
			_, err = o.store.db.Exec(ctx, "UPDATE sit_auth.accounts SET last_login_at = now() WHERE id = $1", id)
		}
		return a, err
	}
	name := o.username(claims, subject)
	email, _ := claims["email"].(string)
	display, _ := claims["name"].(string)
	n := NewAccount{Username: name, DisplayName: display, Email: email, Role: role, Comune: comune, OIDCIssuer: issuer, OIDCSubject: subject}
	a, err := o.store.CreateAccount(ctx, n)
	if errors.Is(err, ErrExists) {
		// A local account has the name: the provider's user gets its own.
		h := sha256.Sum256([]byte(issuer + "\x00" + subject))
		n.Username = name + "-" + hex.EncodeToString(h[:3])
		a, err = o.store.CreateAccount(ctx, n)
	}
	return a, err
}

// username picks the account name from the claims.
func (o *OIDC) username(claims map[string]any, subject string) string {
	for _, c := range []string{o.cfg.UsernameClaim, "preferred_username", "email"} {
		if v, ok := claims[c].(string); ok && c != "" {
			if n, err := NormalizeUsername(v); err == nil {
				return n
			}
		}
	}
	h := sha256.Sum256([]byte(subject))
	return "oidc-" + hex.EncodeToString(h[:6])
}

// claimValues reads a claim that is a string or a list of strings.
func claimValues(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		var out []string
		for _, e := range x {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}
