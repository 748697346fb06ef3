package auth

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sit-gis/sit/access"
)

// Session is a browser's signed-in state, as handed to the client once.
type Session struct {
	// Cookie is the secret the browser sends back; the database keeps only
	// its SHA-256.
	Cookie string
	// CSRF is the anti-forgery token a same-origin page sends in the
	// X-CSRF-Token header of every state-changing request.
	CSRF    string
	Expires time.Time
	Account Account
}

// NewSession signs an account in (via "password" or "oidc").
func (s *Store) NewSession(ctx context.Context, a Account, addr, userAgent, via string) (Session, error) {
	if len(userAgent) > 256 {
		userAgent = userAgent[:256]
	}
	sess := Session{Cookie: newSecret(), CSRF: newSecret(), Expires: s.opt.Now().Add(s.opt.SessionTTL), Account: a}
	_, err := s.db.Exec(ctx, `INSERT INTO sit_auth.sessions (id, account_id, csrf_token, created_at, last_seen_at, expires_at,
		remote_addr, user_agent, via) VALUES ($1, $2, $3, $4, $4, $5, $6, $7, $8)`,
		digest(sess.Cookie), a.ID, sess.CSRF, s.opt.Now(), sess.Expires, addr, userAgent, via)
	if err != nil {
		return Session{}, fmt.Errorf("new session: %w", err)
	}
	// Expired sessions of anyone go now and then: here, at each sign-in.
	if _, err := s.db.Exec(ctx, "DELETE FROM sit_auth.sessions WHERE expires_at < $1 OR last_seen_at < $2",
		s.opt.Now(), s.opt.Now().Add(-s.opt.SessionIdle)); err != nil {
		return Session{}, fmt.Errorf("expire sessions: %w", err)
	}
	return sess, nil
}

// ErrNoSession is a cookie that names no live session.
var ErrNoSession = errors.New("no such session, or it has expired")

// SessionPrincipal returns who a session cookie signs in: the account's
// principal, with the session's id and CSRF token. An expired, idle or
// unknown session, or a disabled account, is ErrNoSession.
func (s *Store) SessionPrincipal(ctx context.Context, cookie string) (access.Principal, error) {
	if cookie == "" || len(cookie) > 128 {
		return access.Principal{}, ErrNoSession
	}
	id := digest(cookie)
	now := s.opt.Now()
	var csrf string
	var seen time.Time
	a, err := scanAccountWith(s.db.QueryRow(ctx, `SELECT s.csrf_token, s.last_seen_at, `+accountCols("a.")+`
		FROM sit_auth.sessions s JOIN sit_auth.accounts a ON a.id = s.account_id
		WHERE s.id = $1 AND s.expires_at > $2 AND s.last_seen_at > $3 AND NOT a.disabled`,
		id, now, now.Add(-s.opt.SessionIdle)), &csrf, &seen)
	if errors.Is(err, ErrNotFound) {
		return access.Principal{}, ErrNoSession
	}
	if err != nil {
		return access.Principal{}, fmt.Errorf("session: %w", err)
	}
	// Keep an active session alive, writing at most once a minute.
	if now.Sub(seen) > time.Minute {
		if _, err := s.db.Exec(ctx, "UPDATE sit_auth.sessions SET last_seen_at = $2 WHERE id = $1", id, now); err != nil {
			return access.Principal{}, fmt.Errorf("session: %w", err)
		}
	}
	p := a.Principal()
	p.Session, p.CSRF = id, csrf
	return p, nil
}

// CheckCSRF compares a request's anti-forgery token with its session's in
// constant time.
func CheckCSRF(p access.Principal, token string) bool {
	return p.CSRF != "" && subtle.ConstantTimeCompare([]byte(p.CSRF), []byte(token)) == 1
}

// EndSession signs a session out.
func (s *Store) EndSession(ctx context.Context, id []byte) error {
	_, err := s.db.Exec(ctx, "DELETE FROM sit_auth.sessions WHERE id = $1", id)
	return err
}

// scanAccountWith scans leading columns, then an account.
func scanAccountWith(row pgx.Row, lead ...any) (Account, error) {
	var a Account
	var role string
	dest := append(lead, &a.ID, &a.Username, &a.DisplayName, &a.Email, &a.hash, &role, &a.Comune, &a.Layers,
		&a.OIDCIssuer, &a.OIDCSubject, &a.Disabled, &a.CreatedAt, &a.UpdatedAt, &a.LastLoginAt)
	err := row.Scan(dest...)
	if errors.Is(err, pgx.ErrNoRows) {
		return a, ErrNotFound
	}
	a.Role, a.HasPassword = access.Role(role), a.hash != ""
	if a.Layers == nil {
		a.Layers = []string{}
	}
	return a, err
}
