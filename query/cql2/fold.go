package cql2

import "strings"

// CASEI and ACCENTI call two SQL functions that the migration
// layers/migrations/0400_cql2_fold.sql installs in schema sit; that file is
// generated from Go's Unicode tables by TestFoldMigration. They fold alike
// whatever the locale of the database (lower() only knows ASCII in a
// C-locale cluster) and need neither superuser rights nor an extension:
//
//   - sit.cql2_casei: lower(upper(lower())) under the ICU root collation
//     when the server has ICU (which also folds ß as ss, and ı as i), else
//     Unicode simple case folding by translate() with generated tables;
//     ASCII text takes a fast path;
//   - sit.cql2_accenti: the canonical decomposition (normalize NFD) without
//     the combining marks, then the Latin letters whose Unicode name is a
//     base letter "WITH" a mark (ø, ł, đ…), recomposed (NFC).
//
// Literals go through the same functions (PostgreSQL evaluates them once),
// so both sides of a comparison are folded by the same code.
const (
	caseiFunc   = "sit.cql2_casei"
	accentiFunc = "sit.cql2_accenti"
)

func (t *translator) fold(o Op) (expr, error) {
	if err := t.arity(o, 1); err != nil {
		return expr{}, err
	}
	fn := caseiFunc
	if o.Name == "accenti" {
		fn = accentiFunc
	}
	e, err := t.value(o.Args[0])
	if err != nil {
		return expr{}, err
	}
	switch e.lit.(type) {
	case String, Number:
	case nil:
		if e.t != TypeString {
			return expr{}, fail("%s applies to text, not %s", strings.ToUpper(o.Name), typeOrLit(e))
		}
	default:
		return expr{}, fail("%s applies to text, not %s", strings.ToUpper(o.Name), typeOrLit(e))
	}
	s, err := t.emit(e, TypeString)
	if err != nil {
		return expr{}, err
	}
	return expr{sql: fn + "(" + s + ")", t: TypeString}, nil
}
