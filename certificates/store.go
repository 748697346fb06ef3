package certificates

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/sit-gis/sit/layers"
)

// DB is what the register needs from a pool: sit_web's in the server (it
// may read and add to sit_auth.certificates, never change or delete), the
// owner's on the command line.
type DB = layers.DB

// ErrNotFound is returned for a code no certificate has.
var ErrNotFound = errors.New("no certificate has this code")

// codeAlphabet is Crockford's base 32 (no I, L, O, U): 16 characters are
// 80 random bits, which nobody guesses.
const codeAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// newCode draws a verification code: XXXX-XXXX-XXXX-XXXX.
func newCode() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("verification code: %w", err)
	}
	var s strings.Builder
	for i, c := range b {
		if i > 0 && i%4 == 0 {
			s.WriteByte('-')
		}
		s.WriteByte(codeAlphabet[int(c)%len(codeAlphabet)])
	}
	return s.String(), nil
}

// NormalizeCode reads a code as people type it (lower case, spaces, O for
// 0, I and L for 1); ok false when it cannot be one.
func NormalizeCode(s string) (string, bool) {
	var out []byte
	for _, c := range strings.ToUpper(s) {
		switch {
		case c == ' ' || c == '-':
			continue
		case c == 'O':
			c = '0'
		case c == 'I' || c == 'L':
			c = '1'
		}
		if !strings.ContainsRune(codeAlphabet, c) {
			return "", false
		}
		out = append(out, byte(c))
	}
	if len(out) != 16 {
		return "", false
	}
	return fmt.Sprintf("%s-%s-%s-%s", out[0:4], out[4:8], out[8:12], out[12:16]), true
}

// record is what Issue stores.
type record struct {
	Entry
	content []byte
	pdf     []byte
}

// numbered is a step of an issue that needs the register's number (the
// PDF prints it): it runs inside the transaction that adds the entry.
type numbered func(e *Entry) (content, pdf []byte, err error)

// insert adds an entry numbered next in its year. Two offices issuing at
// once may draw the same number: the unique key refuses the second, which
// draws again.
func insert(ctx context.Context, db DB, e Entry, build numbered) (Entry, error) {
	for attempt := 0; ; attempt++ {
		out, err := insertOnce(ctx, db, e, build)
		var pg *pgconn.PgError
		if err != nil && errors.As(err, &pg) && pg.Code == "23505" && pg.ConstraintName == "certificates_year_number_key" && attempt < 5 {
			continue
		}
		return out, err
	}
}

func insertOnce(ctx context.Context, db DB, e Entry, build numbered) (Entry, error) {
	tx, err := db.Begin(ctx)
	if err != nil {
		return e, err
	}
	defer tx.Rollback(context.WithoutCancel(ctx)) //nolint:errcheck
	// The register's calendar is Italy's: New Year's night belongs to the new year.
	year := e.IssuedAt.In(layers.Rome()).Year()
	var n int
	if err := tx.QueryRow(ctx, `SELECT coalesce(max(number), 0) + 1 FROM sit_auth.certificates WHERE year = $1`, year).Scan(&n); err != nil {
		return e, fmt.Errorf("register number: %w", err)
	}
	e.Number = fmt.Sprintf("%d/%d", n, year)
	content, pdf, err := build(&e)
	if err != nil {
		return e, err
	}
	lv, err := json.Marshal(e.LayerVersions)
	if err != nil {
		return e, err
	}
	nv, err := json.Marshal(e.NTAVersions)
	if err != nil {
		return e, err
	}
	_, err = tx.Exec(ctx, `INSERT INTO sit_auth.certificates (code, year, number, protocol, comune, issued_at, at_date, parcels,
		requester, requester_id, request_date, purpose, stamp_id, stamp_amount, stamp_exemption, officer, officer_title, issued_by,
		layer_versions, nta_versions, content, content_sha256, pdf, pdf_sha256, software, verify_url)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::date, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26)`,
		e.Code, year, n, e.Protocol, e.Comune, e.IssuedAt, e.At, e.Parcels, e.Requester, e.RequesterID, dayText(e.RequestDate), e.Purpose,
		e.StampID, e.StampAmount, e.StampExemption, e.Officer, e.OfficerTitle, e.IssuedBy, lv, nv, content, e.ContentSHA256,
		pdf, e.PDFSHA256, e.Software, e.VerifyURL)
	if err != nil {
		var pg *pgconn.PgError
		if errors.As(err, &pg) && pg.Code == "23505" && pg.ConstraintName == "certificates_protocol_key" {
			return e, errProtocolTaken(e.Protocol)
		}
		return e, fmt.Errorf("register: %w", err)
	}
	return e, tx.Commit(ctx)
}

const entryColumns = `code, number || '/' || year, protocol, comune, issued_at, at_date, parcels, requester, requester_id, request_date,
	purpose, stamp_id, stamp_amount::float8, stamp_exemption, officer, officer_title, issued_by, layer_versions, nta_versions,
	content_sha256, pdf_sha256, software, verify_url`

func scanEntry(row pgx.Row, extra ...any) (Entry, error) {
	var e Entry
	var lv, nv []byte
	dest := append([]any{&e.Code, &e.Number, &e.Protocol, &e.Comune, &e.IssuedAt, &e.At, &e.Parcels, &e.Requester, &e.RequesterID,
		&e.RequestDate, &e.Purpose, &e.StampID, &e.StampAmount, &e.StampExemption, &e.Officer, &e.OfficerTitle, &e.IssuedBy,
		&lv, &nv, &e.ContentSHA256, &e.PDFSHA256, &e.Software, &e.VerifyURL}, extra...)
	if err := row.Scan(dest...); err != nil {
		return e, err
	}
	if e.RequestDate != nil {
		// A date column reads back as midnight UTC: the day is Italy's.
		y, m, d := e.RequestDate.Date()
		day := time.Date(y, m, d, 0, 0, 0, 0, layers.Rome())
		e.RequestDate = &day
	}
	if err := json.Unmarshal(lv, &e.LayerVersions); err != nil {
		return e, fmt.Errorf("layer versions of %s: %w", e.Code, err)
	}
	if err := json.Unmarshal(nv, &e.NTAVersions); err != nil {
		return e, fmt.Errorf("rules versions of %s: %w", e.Code, err)
	}
	return e, nil
}

// byCode reads one certificate with what it said and its PDF.
func byCode(ctx context.Context, db DB, code string) (record, error) {
	var r record
	e, err := scanEntry(db.QueryRow(ctx, `SELECT `+entryColumns+`, content, pdf FROM sit_auth.certificates WHERE code = $1`, code),
		&r.content, &r.pdf)
	if errors.Is(err, pgx.ErrNoRows) {
		return r, ErrNotFound
	}
	if err != nil {
		return r, fmt.Errorf("certificate %s: %w", code, err)
	}
	r.Entry = e
	return r, nil
}

// Query filters the register.
type Query struct {
	// Comune limits it to one comune's certificates ("" every one).
	Comune string
	// Text matches the protocol, the number, the requester or a parcel.
	Text  string
	Year  int
	Limit int
}

// list reads the register, newest first.
func list(ctx context.Context, db DB, q Query) ([]Entry, error) {
	text := strings.TrimSpace(q.Text)
	rows, err := db.Query(ctx, `SELECT `+entryColumns+` FROM sit_auth.certificates
		WHERE ($1 = '' OR comune = $1) AND ($3 = 0 OR year = $3)
		AND ($2 = '' OR strpos(lower(protocol), lower($2)) > 0 OR strpos(lower(requester), lower($2)) > 0
			OR number || '/' || year = $2 OR EXISTS (SELECT 1 FROM unnest(parcels) p WHERE strpos(lower(p), lower($2)) > 0))
		ORDER BY issued_at DESC, id DESC LIMIT $4`, q.Comune, text, q.Year, q.Limit)
	if err != nil {
		return nil, fmt.Errorf("register: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Entry, error) { return scanEntry(r) })
}

// dayText is a calendar day as the date column takes it (nil: NULL).
func dayText(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := t.In(layers.Rome()).Format(time.DateOnly)
	return &s
}
