package layers

import (
	"strings"

	"github.com/jackc/pgx/v5"
)

// dataSchema holds a view per layer, named after it, of its current
// version (and the loader's staging tables); versionSchema the tables of
// the versions themselves.
const (
	dataSchema    = "sit_data"
	versionSchema = "sit_versions"
)

// Every identifier and literal the loader splices into a statement goes
// through these helpers: names come from the catalog or are laundered, and
// property keys come from files, so none is ever spliced in unquoted.
// Values always travel as $n parameters.

// dataIdent is the quoted, schema-qualified name of a table in sit_data.
func dataIdent(table string) string { return pgx.Identifier{dataSchema, table}.Sanitize() }

// versionIdent is the quoted, schema-qualified name of a version's table.
func versionIdent(table string) string { return pgx.Identifier{versionSchema, table}.Sanitize() }

// quoteIdent quotes one bare identifier (a column, an index, a constraint).
func quoteIdent(name string) string { return pgx.Identifier{name}.Sanitize() }

// quoteLiteral quotes a string as an SQL literal (a JSON key in props->>'k').
func quoteLiteral(s string) string {
	return "'" + strings.ReplaceAll(strings.ReplaceAll(s, "\x00", ""), "'", "''") + "'"
}
