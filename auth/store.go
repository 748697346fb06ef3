package auth

import (
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/sit-gis/sit/layers"
)

// DB is what the store needs from a pool: sit_web's in the server, the
// owner's on the command line.
type DB = layers.DB

// Options tune the store. Zero values take the defaults.
type Options struct {
	// SessionTTL is a session's absolute lifetime (default 8 h);
	// SessionIdle ends a session unused for that long (default 1 h).
	SessionTTL  time.Duration
	SessionIdle time.Duration
	// Throttle bounds failed logins.
	Throttle ThrottlePolicy
	// Hashers bounds the password hashes computed at once (default 2).
	Hashers int
	// Now is the clock (tests move it).
	Now func() time.Time
}

// Store keeps accounts, sessions, tokens, login failures and the audit
// log in sit_auth.
type Store struct {
	db     DB
	opt    Options
	hasher *hasher
}

// NewStore makes a store over db.
func NewStore(db DB, opt Options) *Store {
	if opt.SessionTTL <= 0 {
		opt.SessionTTL = 8 * time.Hour
	}
	if opt.SessionIdle <= 0 {
		opt.SessionIdle = time.Hour
	}
	if opt.SessionIdle > opt.SessionTTL {
		opt.SessionIdle = opt.SessionTTL
	}
	opt.Throttle = opt.Throttle.withDefaults()
	if opt.Now == nil {
		opt.Now = time.Now
	}
	return &Store{db: db, opt: opt, hasher: newHasher(max(opt.Hashers, 2))}
}

// Options returns the effective options.
func (s *Store) Options() Options { return s.opt }

// Errors a caller turns into answers.
var (
	// ErrInvalidCredentials is the one answer to a failed login, whatever
	// failed (unknown name, wrong password, disabled account).
	ErrInvalidCredentials = errors.New("invalid username or password")
	// ErrNotFound is an account or token that is not there.
	ErrNotFound = errors.New("not found")
	// ErrExists is a name already taken.
	ErrExists = errors.New("already exists")
)

// uniqueViolation turns a unique-key error into ErrExists.
func uniqueViolation(err error, what string) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "23505" {
		return fmt.Errorf("%s: %w", what, ErrExists)
	}
	if errors.As(err, &pe) && pe.Code == "23503" {
		return fmt.Errorf("%s: no such comune", what)
	}
	return err
}

// nullable turns "" into NULL.
func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}
