package auth

import (
	"context"
	"fmt"
	"math"
	"strings"
	"time"
)

// ThrottlePolicy bounds failed logins, per account name and per client
// address: past MaxFailures within Window the key is locked, for Lockout
// at first and twice as long at each further failure (at most MaxLockout).
// Names are counted whether or not an account has them, so a lock tells
// nothing about existence.
type ThrottlePolicy struct {
	Window      time.Duration
	MaxFailures int // per account name
	MaxPerAddr  int // per client address
	Lockout     time.Duration
	MaxLockout  time.Duration
}

func (p ThrottlePolicy) withDefaults() ThrottlePolicy {
	if p.Window <= 0 {
		p.Window = 15 * time.Minute
	}
	if p.MaxFailures <= 0 {
		p.MaxFailures = 5
	}
	if p.MaxPerAddr <= 0 {
		p.MaxPerAddr = 20
	}
	if p.Lockout <= 0 {
		p.Lockout = 30 * time.Second
	}
	if p.MaxLockout <= 0 {
		p.MaxLockout = 15 * time.Minute
	}
	return p
}

// ThrottledError says how long to wait before the next try.
type ThrottledError struct{ RetryAfter time.Duration }

func (e *ThrottledError) Error() string {
	return fmt.Sprintf("too many failed logins: retry in %d s", int(math.Ceil(e.RetryAfter.Seconds())))
}

// throttleKeys are the name's key (first) and the address's.
func throttleKeys(username, addr string) []string {
	return []string{"user:" + strings.ToLower(strings.TrimSpace(username)), "addr:" + addr}
}

func (s *Store) limit(key string) int {
	if strings.HasPrefix(key, "addr:") {
		return s.opt.Throttle.MaxPerAddr
	}
	return s.opt.Throttle.MaxFailures
}

// checkThrottle fails with a *ThrottledError while any key is locked.
func (s *Store) checkThrottle(ctx context.Context, keys []string) error {
	var until *time.Time
	err := s.db.QueryRow(ctx, `SELECT max(locked_until) FROM sit_auth.throttle WHERE key = ANY($1) AND locked_until > $2`,
		keys, s.opt.Now()).Scan(&until)
	if err != nil {
		return fmt.Errorf("login throttle: %w", err)
	}
	if until != nil {
		return &ThrottledError{RetryAfter: until.Sub(s.opt.Now())}
	}
	return nil
}

// recordFailure counts a failure on each key and locks those past their limit.
func (s *Store) recordFailure(ctx context.Context, keys []string) error {
	p := s.opt.Throttle
	now := s.opt.Now()
	for _, k := range keys {
		var n int
		err := s.db.QueryRow(ctx, `INSERT INTO sit_auth.throttle AS t (key, failures, window_start) VALUES ($1, 1, $2)
			ON CONFLICT (key) DO UPDATE SET
				failures = CASE WHEN t.window_start < $2 - $3::interval THEN 1 ELSE t.failures + 1 END,
				window_start = CASE WHEN t.window_start < $2 - $3::interval THEN $2 ELSE t.window_start END
			RETURNING failures`, k, now, p.Window).Scan(&n)
		if err != nil {
			return fmt.Errorf("login throttle: %w", err)
		}
		if over := n - s.limit(k); over >= 0 {
			lock := p.Lockout << min(over, 20)
			if lock > p.MaxLockout || lock <= 0 {
				lock = p.MaxLockout
			}
			if _, err := s.db.Exec(ctx, "UPDATE sit_auth.throttle SET locked_until = $2 WHERE key = $1", k, now.Add(lock)); err != nil {
				return fmt.Errorf("login throttle: %w", err)
			}
		}
	}
	return nil
}

// clearThrottle forgets the failures of keys (a successful login clears
// its name, not its address: one good password does not reopen an
// address that guessed at many names).
func (s *Store) clearThrottle(ctx context.Context, keys []string) error {
	_, err := s.db.Exec(ctx, "DELETE FROM sit_auth.throttle WHERE key = ANY($1)", keys)
	return err
}
