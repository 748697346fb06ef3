package layers

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// ddlStatement is an SQL statement that changes the schema, written as
// SIT writes SQL (keywords in capitals).
var ddlStatement = regexp.MustCompile(`^\s*((CREATE|ALTER|DROP)( OR REPLACE| UNLOGGED| TEMP| TEMPORARY| UNIQUE)* (TABLE|INDEX|VIEW|MATERIALIZED|FUNCTION|PROCEDURE|SCHEMA|ROLE|USER|EXTENSION|DATABASE|SEQUENCE|TRIGGER|TYPE|DEFAULT|POLICY)\b|TRUNCATE |GRANT [A-Z]|REVOKE [A-Z]|COMMENT ON )`)

// TestOnlyLayersWritesDDL keeps one home for the schema: no package but
// layers (tables, indexes, grants of imported data, migrations) and the
// cluster bootstrap (roles, database, extension) issues DDL. The test
// harness creates its throwaway databases; importertest writes SQLite
// fixtures, not PostgreSQL.
func TestOnlyLayersWritesDDL(t *testing.T) {
	allowed := []string{"layers", "internal/pgcluster", "internal/dbtest", "importers/importertest"}
	root := ".."
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		if d.IsDir() {
			if d.Name() == "node_modules" || d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".") && rel != "." {
				return filepath.SkipDir
			}
			for _, a := range allowed {
				if rel == a {
					return filepath.SkipDir
				}
			}
			return nil
		}
		if !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, p, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			if s, err := strconv.Unquote(lit.Value); err == nil && ddlStatement.MatchString(s) {
				t.Errorf("%s: DDL outside layers: %.60q", fset.Position(lit.Pos()), s)
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
