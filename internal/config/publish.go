package config

import (
	"errors"
	"fmt"
	"strings"

	"github.com/BurntSushi/toml"
)

// PublishSection is the file's array of tables of published sources:
// [[publish]], one table per schema or relation.
const PublishSection = "publish"

// Publish is one [[publish]] table of the file: a schema or relation of
// the office's database to serve as it is (README: sit publish). These
// are declarations: `sit publish --from-config` applies them (as the
// owner role); `sit serve` only compares them with the database and warns
// of differences. File only: no flag or environment variable.
type Publish struct {
	// Source is SCHEMA (every relation with a geometry column) or
	// SCHEMA.RELATION (a table, view, materialized view, foreign table or
	// function).
	Source string `toml:"source"`
	// Key and Geometry: the feature-id column and the chosen geometry
	// column of one relation.
	Key      string `toml:"key"`
	Geometry string `toml:"geometry"`
	// Visibility: public (default), professional or internal.
	Visibility string `toml:"visibility"`
	// Kind and Roles let one relation play a role (the cadastre…).
	Kind  string   `toml:"kind"`
	Roles []string `toml:"roles"`
	// NoTrack installs no change trigger.
	NoTrack bool `toml:"no_track"`
	// Mercator adds to each table a generated Web Mercator copy of its
	// geometry and its index (sit publish --mercator).
	Mercator bool `toml:"mercator"`
	// NoTileCopy: SIT keeps no tile copy of the tables (sit publish
	// --no-tile-copy).
	NoTileCopy bool `toml:"no_tile_copy"`
}

// Schema and Relation split Source at its first dot.
func (p Publish) Schema() string { s, _, _ := strings.Cut(p.Source, "."); return s }

// Relation is "" for a whole schema.
func (p Publish) Relation() string { _, r, _ := strings.Cut(p.Source, "."); return r }

// readPublish decodes the [[publish]] tables of a file; unknown keys in
// them are refused like any other.
func readPublish(file, text string) ([]Publish, []error) {
	var doc struct {
		Publish []Publish `toml:"publish"`
	}
	md, err := toml.Decode(text, &doc)
	if err != nil {
		return nil, []error{fmt.Errorf("%s: [[%s]]: %w", file, PublishSection, err)}
	}
	var errs []error
	for _, k := range md.Undecoded() {
		if len(k) > 1 && k[0] == PublishSection {
			errs = append(errs, fmt.Errorf("%s: unknown key %s in [[%s]] (want source, key, geometry, visibility, kind, roles, no_track, mercator, no_tile_copy)",
				file, k[len(k)-1], PublishSection))
		}
	}
	return doc.Publish, errs
}

// checkPublish reports what can be told without the database: a source
// in each table, its form, its visibility, no source twice.
func checkPublish(ps []Publish) []Problem {
	var out []Problem
	seen := map[string]bool{}
	for i, p := range ps {
		key := fmt.Sprintf("%s[%d]", PublishSection, i+1)
		bad := func(err error) { out = append(out, Problem{Key: key, Err: err}) }
		switch {
		case p.Source == "":
			bad(errors.New("source is missing: SCHEMA or SCHEMA.RELATION"))
			continue
		case p.Schema() == "" || strings.HasSuffix(p.Source, "."):
			bad(fmt.Errorf("source %q: want SCHEMA or SCHEMA.RELATION", p.Source))
		case seen[p.Source]:
			bad(fmt.Errorf("source %s is published twice", p.Source))
		}
		seen[p.Source] = true
		switch p.Visibility {
		case "", "public", "professional", "internal":
		default:
			bad(fmt.Errorf("visibility %q: want public, professional or internal", p.Visibility))
		}
		if p.Relation() == "" && (p.Key != "" || p.Geometry != "" || len(p.Roles) > 0 || (p.Kind != "" && p.Kind != "generic")) {
			bad(fmt.Errorf("source %s is a whole schema: key, geometry, kind and roles are one relation's", p.Source))
		}
	}
	return out
}

// printPublish writes the [[publish]] tables as a file holds them.
func (p *printer) publish(ps []Publish) {
	for _, e := range ps {
		p.line("\n[[%s]]", PublishSection)
		p.line("source = %s", tomlString(e.Source))
		for _, kv := range [][2]string{{"key", e.Key}, {"geometry", e.Geometry}, {"visibility", e.Visibility}, {"kind", e.Kind}} {
			if kv[1] != "" {
				p.line("%s = %s", kv[0], tomlString(kv[1]))
			}
		}
		if len(e.Roles) > 0 {
			quoted := make([]string, len(e.Roles))
			for i, r := range e.Roles {
				quoted[i] = tomlString(r)
			}
			p.line("roles = [%s]", strings.Join(quoted, ", "))
		}
		if e.NoTrack {
			p.line("no_track = true")
		}
		if e.Mercator {
			p.line("mercator = true")
		}
		if e.NoTileCopy {
			p.line("no_tile_copy = true")
		}
	}
}
