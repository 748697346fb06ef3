package planning

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/jackc/pgx/v5"
)

// UseStatus says whether a zone admits a use.
type UseStatus string

// The answers of a zone's table of uses.
const (
	UseAdmitted    UseStatus = "admitted"
	UseExcluded    UseStatus = "excluded"
	UseConditional UseStatus = "conditional"
)

// Label is the Italian word.
func (u UseStatus) Label() string {
	switch u {
	case UseAdmitted:
		return "ammesso"
	case UseExcluded:
		return "escluso"
	case UseConditional:
		return "ammesso a condizione"
	}
	return "non previsto"
}

// parseUseStatus reads a status in English or Italian.
func parseUseStatus(s string) (UseStatus, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "admitted", "ammesso", "ammessa", "si", "sì", "yes", "y", "s":
		return UseAdmitted, nil
	case "excluded", "escluso", "esclusa", "vietato", "non ammesso", "no", "n":
		return UseExcluded, nil
	case "conditional", "condizionato", "condizionata", "ammesso a condizione", "c":
		return UseConditional, nil
	}
	return "", fmt.Errorf("status %q: want admitted, excluded or conditional (ammesso, escluso, condizionato)", s)
}

// Use is one row of a zone's table of uses.
type Use struct {
	Plan      string    `json:"plan"`
	ZoneCode  string    `json:"zone_code"`
	Code      string    `json:"use"`
	Label     string    `json:"label,omitempty"`
	Status    UseStatus `json:"status"`
	Condition string    `json:"condition,omitempty"`
	Article   string    `json:"article,omitempty"`
}

var useCodeRE = regexp.MustCompile(`^[a-z0-9][a-z0-9_.-]*$`)

// useColumns are the header names a table of uses may use.
var useColumns = map[string][]string{
	"zone_code": {"zone_code", "zona", "zone", "zto", "sigla"},
	"use":       {"use", "use_code", "uso", "codice_uso", "destinazione"},
	"label":     {"label", "use_label", "descrizione", "description"},
	"status":    {"status", "stato", "ammissibilita", "ammissibilità", "esito"},
	"condition": {"condition", "condizione", "condizioni", "conditions"},
	"article":   {"article", "articolo", "art", "norm_ref"},
}

const maxUseRows = 100000

// ParseUses reads a table of uses (CSV, ',' or ';' separated, with a
// header naming zone_code, use, status and optionally label, condition,
// article, in English or Italian). A conditional use must say its
// condition.
func ParseUses(r io.Reader, plan string) ([]Use, error) {
	br := bufio.NewReader(io.LimitReader(r, 16<<20))
	first, _ := br.Peek(4096)
	cr := csv.NewReader(br)
	if strings.Count(string(first), ";") > strings.Count(string(first), ",") {
		cr.Comma = ';'
	}
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	head, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("table of uses: header: %w", err)
	}
	col, err := useHeader(head)
	if err != nil {
		return nil, err
	}
	var out []Use
	seen := map[[2]string]int{}
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("table of uses: %w", err)
		}
		u, err := useRow(rec, col, plan)
		if err != nil {
			return nil, fmt.Errorf("table of uses, line %d: %w", line, err)
		}
		if u.ZoneCode == "" {
			continue // a blank line
		}
		key := [2]string{u.ZoneCode, u.Code}
		if prev, dup := seen[key]; dup {
			return nil, fmt.Errorf("table of uses, line %d: zone %s, use %s already given on line %d", line, u.ZoneCode, u.Code, prev)
		}
		seen[key] = line
		if len(out) == maxUseRows {
			return nil, fmt.Errorf("table of uses: more than %d rows", maxUseRows)
		}
		out = append(out, u)
	}
	if len(out) == 0 {
		return nil, errors.New("table of uses: no rows")
	}
	return out, nil
}

func useHeader(head []string) (map[string]int, error) {
	col := map[string]int{}
	for i, h := range head {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		for name, alts := range useColumns {
			for _, a := range alts {
				if h == a {
					col[name] = i
				}
			}
		}
	}
	for _, need := range []string{"zone_code", "use", "status"} {
		if _, ok := col[need]; !ok {
			return nil, fmt.Errorf("table of uses: no %s column (the header names zone_code, use, status, and may name label, condition, article)", need)
		}
	}
	return col, nil
}

func useRow(rec []string, col map[string]int, plan string) (Use, error) {
	get := func(name string) string {
		if i, ok := col[name]; ok && i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	u := Use{Plan: plan, ZoneCode: get("zone_code"), Code: strings.ToLower(get("use")), Label: get("label"),
		Condition: get("condition"), Article: get("article")}
	if u.ZoneCode == "" && u.Code == "" {
		return Use{}, nil
	}
	if !useCodeRE.MatchString(u.Code) {
		return Use{}, fmt.Errorf("use %q: a code of lower-case letters, digits, . _ - (commerciale.vicinato)", u.Code)
	}
	st, err := parseUseStatus(get("status"))
	if err != nil {
		return Use{}, err
	}
	u.Status = st
	if st == UseConditional && u.Condition == "" {
		return Use{}, fmt.Errorf("use %s in zone %s is conditional: say the condition", u.Code, u.ZoneCode)
	}
	return u, nil
}

// ImportUses replaces a plan's table of uses, in one transaction.
func (s *Store) ImportUses(ctx context.Context, plan string, uses []Use) error {
	if _, err := s.Plan(ctx, plan); err != nil {
		return err
	}
	return pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "DELETE FROM sit.zone_uses WHERE plan = $1", plan); err != nil {
			return fmt.Errorf("uses of %s: %w", plan, err)
		}
		rows := make([][]any, len(uses))
		for i, u := range uses {
			rows[i] = []any{plan, u.ZoneCode, u.Code, u.Label, string(u.Status), u.Condition, u.Article}
		}
		_, err := tx.CopyFrom(ctx, pgx.Identifier{"sit", "zone_uses"},
			[]string{"plan", "zone_code", "use_code", "use_label", "status", "condition", "article"}, pgx.CopyFromRows(rows))
		if err != nil {
			return fmt.Errorf("uses of %s: %w", plan, err)
		}
		return nil
	})
}

// UseKinds lists the uses the tables know, with a label: the codes a
// client may ask about.
func (s *Store) UseKinds(ctx context.Context) (map[string]string, error) {
	rows, err := s.db.Query(ctx, `SELECT use_code, max(use_label) FROM sit.zone_uses GROUP BY use_code ORDER BY use_code`)
	if err != nil {
		return nil, fmt.Errorf("uses: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var c, l string
		if err := rows.Scan(&c, &l); err != nil {
			return nil, err
		}
		out[c] = l
	}
	return out, rows.Err()
}

// ResolveUse finds the use code a client means: the code itself, or a
// label (without case). ErrNotFound when no table has it.
func (s *Store) ResolveUse(ctx context.Context, q string) (string, error) {
	q = strings.TrimSpace(q)
	var code string
	err := s.db.QueryRow(ctx, `SELECT use_code FROM sit.zone_uses WHERE use_code = lower($1) OR lower(use_label) = lower($1)
		ORDER BY use_code = lower($1) DESC, use_code LIMIT 1`, q).Scan(&code)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", fmt.Errorf("use %q: %w", q, ErrNotFound)
	}
	if err != nil {
		return "", fmt.Errorf("use %q: %w", q, err)
	}
	return code, nil
}

// UseIn is the row of the use in a plan's zone; ok false when the table
// does not list it.
func (s *Store) UseIn(ctx context.Context, plan, zone, use string) (Use, bool, error) {
	u := Use{Plan: plan, ZoneCode: zone, Code: use}
	var st string
	err := s.db.QueryRow(ctx, `SELECT use_label, status, condition, article FROM sit.zone_uses
		WHERE plan = $1 AND zone_code = $2 AND use_code = $3`, plan, zone, use).Scan(&u.Label, &st, &u.Condition, &u.Article)
	if errors.Is(err, pgx.ErrNoRows) {
		return u, false, nil
	}
	if err != nil {
		return u, false, fmt.Errorf("use %s in %s zone %s: %w", use, plan, zone, err)
	}
	u.Status = UseStatus(st)
	return u, true, nil
}

// HasUses reports whether a plan has a table of uses at all.
func (s *Store) HasUses(ctx context.Context, plan string) (bool, error) {
	var ok bool
	err := s.db.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM sit.zone_uses WHERE plan = $1)`, plan).Scan(&ok)
	return ok, err
}
