package planning

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/sit-gis/sit/layers"
)

// DB is what the register needs from a pool: reads, and transactions for
// the writes (the owner's pool; the server reads only).
type DB = layers.DB

// ErrNotFound is returned for a plan, article or certificate not in the register.
var ErrNotFound = errors.New("not found")

// Store reads and writes the planning register.
type Store struct {
	db DB
}

// NewStore makes a store over db.
func NewStore(db DB) *Store { return &Store{db: db} }

var codeRE = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,47}$`)

// CheckCode checks a plan code: lower-case letters, digits, - and _.
func CheckCode(code string) error {
	if !codeRE.MatchString(code) {
		return fmt.Errorf("plan code %q: use 1–48 lower-case letters, digits, - or _ (po2020, var-centro)", code)
	}
	return nil
}

// AddPlan registers a plan. A variant names its parent, which must exist.
func (s *Store) AddPlan(ctx context.Context, p Plan) error {
	if err := CheckCode(p.Code); err != nil {
		return err
	}
	if strings.TrimSpace(p.Name) == "" {
		return errors.New("a plan needs a name")
	}
	if p.Kind == KindVariant && p.Parent == "" {
		return errors.New("a variant names the plan it amends (--parent)")
	}
	if p.Parent != "" {
		if _, err := s.Plan(ctx, p.Parent); err != nil {
			return fmt.Errorf("parent: %w", err)
		}
	}
	var parent *string
	if p.Parent != "" {
		parent = &p.Parent
	}
	_, err := s.db.Exec(ctx, `INSERT INTO sit.plans (code, name, kind, parent, description, safeguard_until)
		VALUES ($1, $2, $3, $4, $5, $6)`, p.Code, strings.TrimSpace(p.Name), string(p.Kind), parent, p.Description, dayOrNil(p.SafeguardGiven))
	if isUnique(err) {
		return fmt.Errorf("plan %s is already registered", p.Code)
	}
	if err != nil {
		return fmt.Errorf("add plan %s: %w", p.Code, err)
	}
	return nil
}

// AddAct records an act of a plan. Acts follow the plan's life: approval
// after adoption, efficacy after approval.
func (s *Store) AddAct(ctx context.Context, code string, a Act) error {
	p, err := s.Plan(ctx, code)
	if err != nil {
		return err
	}
	if a.Date.IsZero() {
		return errors.New("an act needs its date")
	}
	if err := checkSequence(p.Acts, a); err != nil {
		return err
	}
	_, err = s.db.Exec(ctx, `INSERT INTO sit.plan_acts (plan, kind, number, date, body, title, publication)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, code, string(a.Kind), a.Number, day(a.Date), a.Body, a.Title, a.Publication)
	if isUnique(err) {
		return fmt.Errorf("plan %s already has this %s act", code, a.Kind)
	}
	if err != nil {
		return fmt.Errorf("add act to %s: %w", code, err)
	}
	return nil
}

// checkSequence refuses an act out of the plan's order of life.
func checkSequence(acts []Act, a Act) error {
	before := map[ActKind]ActKind{ActApproval: ActAdoption, ActEfficacy: ActApproval}
	if need, ok := before[a.Kind]; ok {
		prev := first(acts, need, time.Time{})
		if prev != nil && a.Date.Before(prev.Date) {
			return fmt.Errorf("the %s (%s) cannot precede the %s (%s)", a.Kind, a.Date.Format("2006-01-02"), need, prev.Date.Format("2006-01-02"))
		}
		if prev == nil && a.Kind == ActEfficacy {
			return errors.New("record the approval before its efficacy")
		}
	}
	return nil
}

// Attach says that a layer draws a plan's zones (role zoning) or
// constraints (role constraints). The layer must be in the catalog.
func (s *Store) Attach(ctx context.Context, code, layer, role string) error {
	if role != layers.RoleZoning && role != layers.RoleConstraints {
		return fmt.Errorf("role %q: a plan's layer is zoning or constraints", role)
	}
	if _, err := s.Plan(ctx, code); err != nil {
		return err
	}
	if _, err := layers.GetLayer(ctx, s.db, layer); err != nil {
		return err
	}
	_, err := s.db.Exec(ctx, `INSERT INTO sit.plan_layers (plan, layer, role) VALUES ($1, $2, $3)
		ON CONFLICT (plan, layer) DO UPDATE SET role = excluded.role`, code, layer, role)
	if isUnique(err) {
		return fmt.Errorf("layer %s already draws another plan", layer)
	}
	if err != nil {
		return fmt.Errorf("attach %s to %s: %w", layer, code, err)
	}
	return nil
}

// RemovePlans empties the register of plans (their acts, layers, rules
// and uses go with them; issued certificates stay): variants first.
func (s *Store) RemovePlans(ctx context.Context) error {
	return pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		for {
			tag, err := tx.Exec(ctx, `DELETE FROM sit.plans p WHERE NOT EXISTS (SELECT 1 FROM sit.plans c WHERE c.parent = p.code)`)
			if err != nil {
				return fmt.Errorf("remove plans: %w", err)
			}
			if tag.RowsAffected() == 0 {
				return nil
			}
		}
	})
}

// Plans lists the register, each plan with its acts (by date) and layers.
func (s *Store) Plans(ctx context.Context) ([]Plan, error) {
	return s.plans(ctx, "")
}

// Plan reads one plan; ErrNotFound when the register has none of that code.
func (s *Store) Plan(ctx context.Context, code string) (Plan, error) {
	ps, err := s.plans(ctx, code)
	if err != nil {
		return Plan{}, err
	}
	if len(ps) == 0 {
		return Plan{}, fmt.Errorf("plan %q: %w (sit plan list shows the register)", code, ErrNotFound)
	}
	return ps[0], nil
}

func (s *Store) plans(ctx context.Context, code string) ([]Plan, error) {
	rows, err := s.db.Query(ctx, `SELECT code, name, kind, coalesce(parent, ''), description, safeguard_until
		FROM sit.plans WHERE $1 = '' OR code = $1 ORDER BY code`, code)
	if err != nil {
		return nil, fmt.Errorf("plans: %w", err)
	}
	var out []Plan
	byCode := map[string]int{}
	for rows.Next() {
		var p Plan
		var kind string
		var until *time.Time
		if err := rows.Scan(&p.Code, &p.Name, &kind, &p.Parent, &p.Description, &until); err != nil {
			rows.Close()
			return nil, fmt.Errorf("plans: %w", err)
		}
		p.Kind = Kind(kind)
		p.KindLabel = p.Kind.Label()
		if until != nil {
			d := dayIn(*until)
			p.SafeguardGiven = &d
		}
		p.Acts, p.Layers = []Act{}, []PlanLayer{}
		byCode[p.Code] = len(out)
		out = append(out, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("plans: %w", err)
	}
	if err := s.loadActs(ctx, code, out, byCode); err != nil {
		return nil, err
	}
	return out, s.loadLayers(ctx, code, out, byCode)
}

func (s *Store) loadActs(ctx context.Context, code string, out []Plan, byCode map[string]int) error {
	rows, err := s.db.Query(ctx, `SELECT plan, kind, number, date, body, title, publication FROM sit.plan_acts
		WHERE $1 = '' OR plan = $1 ORDER BY plan, date, id`, code)
	if err != nil {
		return fmt.Errorf("plan acts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var plan, kind string
		var a Act
		if err := rows.Scan(&plan, &kind, &a.Number, &a.Date, &a.Body, &a.Title, &a.Publication); err != nil {
			return fmt.Errorf("plan acts: %w", err)
		}
		a.Kind = ActKind(kind)
		a.Label = a.Kind.Label()
		a.Date = dayIn(a.Date)
		if i, ok := byCode[plan]; ok {
			out[i].Acts = append(out[i].Acts, a)
		}
	}
	return rows.Err()
}

func (s *Store) loadLayers(ctx context.Context, code string, out []Plan, byCode map[string]int) error {
	rows, err := s.db.Query(ctx, `SELECT plan, layer, role FROM sit.plan_layers WHERE $1 = '' OR plan = $1 ORDER BY plan, role DESC, layer`, code)
	if err != nil {
		return fmt.Errorf("plan layers: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var plan string
		var l PlanLayer
		if err := rows.Scan(&plan, &l.Layer, &l.Role); err != nil {
			return fmt.Errorf("plan layers: %w", err)
		}
		if i, ok := byCode[plan]; ok {
			out[i].Layers = append(out[i].Layers, l)
		}
	}
	return rows.Err()
}

// Instrument is a plan as it stands at a date.
type Instrument struct {
	Plan
	Standing
}

// Instruments lists every registered plan with where it stands at the
// instant at: those that apply (in force, then adopted) first, each group
// by kind (a plan before its variants) and code.
func (s *Store) Instruments(ctx context.Context, at time.Time) ([]Instrument, error) {
	ps, err := s.Plans(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]Instrument, 0, len(ps))
	for _, p := range ps {
		out = append(out, Instrument{Plan: p, Standing: p.StandingAt(at)})
	}
	rank := func(st Status) int {
		switch st {
		case StatusInForce:
			return 0
		case StatusAdopted:
			return 1
		}
		return 2
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if rank(a.Status) != rank(b.Status) {
			return rank(a.Status) < rank(b.Status)
		}
		if (a.Kind == KindVariant) != (b.Kind == KindVariant) {
			return b.Kind == KindVariant
		}
		return a.Code < b.Code
	})
	return out, nil
}

// day is a calendar date for a date column (its day in Italian time).
func day(t time.Time) string { return t.In(layers.Rome()).Format("2006-01-02") }

func dayOrNil(t *time.Time) any {
	if t == nil {
		return nil
	}
	return day(*t)
}

// dayIn reads a date column (midnight UTC from pgx) as that day at
// midnight in Italian time.
func dayIn(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, layers.Rome())
}

func isUnique(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23505"
}
