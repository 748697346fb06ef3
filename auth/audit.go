package auth

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// Audit results.
const (
	ResultOK     = "ok"
	ResultDenied = "denied"
	ResultFailed = "failed"
)

// Entry is one administrative action (sit_auth.audit).
type Entry struct {
	ID         int64          `json:"id"`
	At         time.Time      `json:"at"`
	Actor      string         `json:"actor"`
	Comune     string         `json:"comune"`
	Action     string         `json:"action"`
	Target     string         `json:"target"`
	RemoteAddr string         `json:"remoteAddr"`
	Result     string         `json:"result"`
	Status     int            `json:"status"`
	Detail     map[string]any `json:"detail"`
}

// Record writes an entry. The log is append-only for the server: sit_web
// may insert and read, not change or delete.
func (s *Store) Record(ctx context.Context, e Entry) error {
	detail := e.Detail
	if detail == nil {
		detail = map[string]any{}
	}
	b, err := json.Marshal(detail)
	if err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	_, err = s.db.Exec(ctx, `INSERT INTO sit_auth.audit (actor, comune, action, target, remote_addr, result, status, detail)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, e.Actor, nullable(e.Comune), e.Action, e.Target, e.RemoteAddr, e.Result, e.Status, b)
	if err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	return nil
}

// AuditQuery selects entries: of a comune ("" : all), older than Before
// (an id, 0 : the newest), at most Limit.
type AuditQuery struct {
	Comune string
	Before int64
	Limit  int
}

// AuditLog lists entries, newest first.
func (s *Store) AuditLog(ctx context.Context, q AuditQuery) ([]Entry, error) {
	if q.Limit <= 0 || q.Limit > 1000 {
		q.Limit = 100
	}
	rows, err := s.db.Query(ctx, `SELECT id, at, actor, coalesce(comune, ''), action, target, remote_addr, result, status, detail
		FROM sit_auth.audit WHERE ($1 = '' OR comune = $1) AND ($2 = 0 OR id < $2) ORDER BY id DESC LIMIT $3`, q.Comune, q.Before, q.Limit)
	if err != nil {
		return nil, fmt.Errorf("audit log: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Entry, error) {
		var e Entry
		err := r.Scan(&e.ID, &e.At, &e.Actor, &e.Comune, &e.Action, &e.Target, &e.RemoteAddr, &e.Result, &e.Status, &e.Detail)
		return e, err
	})
}
