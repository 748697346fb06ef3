package layers

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"time"

	"github.com/jackc/pgx/v5"
)

// ErrNoComune is returned for a comune that is not in sit.comuni.
var ErrNoComune = errors.New("comune not found")

// Comune is a workspace of the instance (sit.comuni): a municipality with
// its own layers, accounts and branding. Its slug is its URL segment
// (/c/{slug}/…).
type Comune struct {
	Slug         string
	Name         string // "Comune di Lucca"
	Belfiore     string // cadastral code, e.g. E715
	ReportHeader string // first line of its reports
	// DefaultView is the viewer's first view: lon, lat, zoom (nil: the data's extent).
	DefaultView *[3]float64
	// CoatOfArms is the image shown by the viewer and the reports.
	CoatOfArms     []byte
	CoatOfArmsType string
	// Default answers the URLs without /c/{comune}/.
	Default   bool
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Header is the line reports print at their top.
func (c Comune) Header() string {
	if c.ReportHeader != "" {
		return c.ReportHeader
	}
	return c.Name
}

var slugRE = regexp.MustCompile(`^[a-z][a-z0-9-]{0,47}$`)

// ValidateSlug checks a comune's URL name.
func ValidateSlug(s string) error {
	if !slugRE.MatchString(s) {
		return fmt.Errorf("comune %q: use lower-case letters, digits and - (start with a letter, at most 48)", s)
	}
	return nil
}

const comuneColumns = `slug, name, belfiore, report_header, default_view, coat_of_arms, coat_of_arms_type, is_default, created_at, updated_at`

func scanComune(row pgx.Row) (Comune, error) {
	var c Comune
	var view []float64
	err := row.Scan(&c.Slug, &c.Name, &c.Belfiore, &c.ReportHeader, &view, &c.CoatOfArms, &c.CoatOfArmsType, &c.Default, &c.CreatedAt, &c.UpdatedAt)
	if len(view) == 3 {
		c.DefaultView = &[3]float64{view[0], view[1], view[2]}
	}
	return c, err
}

// ListComuni reads every comune, ordered by slug.
func ListComuni(ctx context.Context, q Querier) ([]Comune, error) {
	return listRows(ctx, q, "list comuni", "SELECT "+comuneColumns+" FROM sit.comuni ORDER BY slug", scanComune)
}

// GetComune reads one comune; ErrNoComune when there is none.
func GetComune(ctx context.Context, q Querier, slug string) (Comune, error) {
	return getRow(ctx, q, "get comune", ErrNoComune, slug, "SELECT "+comuneColumns+" FROM sit.comuni WHERE slug = $1", scanComune)
}

// ComunePatch changes a comune; nil fields stay as they are.
type ComunePatch struct {
	Name, Belfiore, ReportHeader *string
	DefaultView                  *[3]float64
	CoatOfArms                   *[]byte
	CoatOfArmsType               *string
	Default                      *bool
}

// AddComune creates a comune (the first one becomes the default).
func (s *Store) AddComune(ctx context.Context, slug string, p ComunePatch) error {
	if err := ValidateSlug(slug); err != nil {
		return err
	}
	if p.Name == nil || *p.Name == "" {
		return errors.New("a comune needs a name (--name \"Comune di …\")")
	}
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO sit.comuni (slug, name, is_default)
			VALUES ($1, $2, NOT EXISTS (SELECT 1 FROM sit.comuni))`, slug, *p.Name); err != nil {
			return fmt.Errorf("add comune %s: %w", slug, err)
		}
		return updateComune(ctx, tx, slug, p)
	})
}

// UpdateComune applies a patch.
func (s *Store) UpdateComune(ctx context.Context, slug string, p ComunePatch) error {
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error { return updateComune(ctx, tx, slug, p) })
}

func updateComune(ctx context.Context, tx pgx.Tx, slug string, p ComunePatch) error {
	c, err := GetComune(ctx, tx, slug)
	if err != nil {
		return err
	}
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
		}
	}
	set(&c.Name, p.Name)
	set(&c.Belfiore, p.Belfiore)
	set(&c.ReportHeader, p.ReportHeader)
	set(&c.CoatOfArmsType, p.CoatOfArmsType)
	if p.DefaultView != nil {
		c.DefaultView = p.DefaultView
	}
	if p.CoatOfArms != nil {
		c.CoatOfArms = *p.CoatOfArms
	}
	var view []float64
	if v := c.DefaultView; v != nil {
		if v[0] < -180 || v[0] > 180 || v[1] < -90 || v[1] > 90 || v[2] < 0 || v[2] > 22 {
			return fmt.Errorf("default view %v: want lon,lat,zoom with zoom 0–22", *v)
		}
		view = v[:]
	}
	if p.Default != nil && *p.Default {
		if _, err := tx.Exec(ctx, "UPDATE sit.comuni SET is_default = false WHERE is_default AND slug <> $1", slug); err != nil {
			return err
		}
		c.Default = true
	} else if p.Default != nil {
		c.Default = false
	}
	if _, err := tx.Exec(ctx, `UPDATE sit.comuni SET name = $2, belfiore = $3, report_header = $4, default_view = $5,
		coat_of_arms = $6, coat_of_arms_type = $7, is_default = $8, updated_at = now() WHERE slug = $1`,
		slug, c.Name, c.Belfiore, c.ReportHeader, view, c.CoatOfArms, c.CoatOfArmsType, c.Default); err != nil {
		return fmt.Errorf("update comune %s: %w", slug, err)
	}
	return notifyCatalog(ctx, tx, map[string]any{"comune": slug})
}

// notifyCatalog tells every server to re-read the catalog.
func notifyCatalog(ctx context.Context, tx pgx.Tx, what map[string]any) error {
	payload, _ := json.Marshal(what)
	_, err := tx.Exec(ctx, "SELECT pg_notify($1, $2)", NotifyChannel, string(payload))
	return err
}
