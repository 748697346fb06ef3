package docs

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// maxFuncLines is the Go style's bound on a function, from its func line
// to its closing brace.
const maxFuncLines = 80

// longFuncAllowed lists the functions that may be longer, each with why.
// The style allows parsers' grammar tables; nothing else belongs here.
var longFuncAllowed = map[string]string{}

// TestFunctionLength: no Go function (or function literal) of the
// repository is over maxFuncLines lines. Tables are data, not logic: a
// function that only returns one composite literal (the console's texts,
// a grammar's rules) is not bounded, and in tests the lines of multi-line
// literals (the cases of a table-driven test) do not count; the code
// around them does.
func TestFunctionLength(t *testing.T) {
	var long []string
	root := ".."
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path != root && (d.Name() == "node_modules" || d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ParseComments)
		if err != nil {
			return err
		}
		if ast.IsGenerated(f) {
			return nil
		}
		rel, _ := filepath.Rel(root, path)
		long = append(long, longFunctions(fset, f, filepath.ToSlash(rel), strings.HasSuffix(path, "_test.go"))...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(long)
	for _, l := range long {
		t.Error(l)
	}
}

// longFunctions returns the functions of f over the bound that are not
// allowed, as "file:line name: N lines".
func longFunctions(fset *token.FileSet, f *ast.File, rel string, test bool) []string {
	var out []string
	ast.Inspect(f, func(n ast.Node) bool {
		var body *ast.BlockStmt
		name := "func literal"
		switch fn := n.(type) {
		case *ast.FuncDecl:
			body, name = fn.Body, fn.Name.Name
			if fn.Recv != nil && len(fn.Recv.List) == 1 {
				name = receiverName(fn.Recv.List[0].Type) + "." + name
			}
		case *ast.FuncLit:
			body = fn.Body
		}
		if body == nil || isTable(body) {
			return true
		}
		start := fset.Position(n.Pos()).Line
		lines := fset.Position(body.End()).Line - start + 1
		if test {
			lines -= tableLines(fset, body)
		}
		if lines > maxFuncLines {
			if _, ok := longFuncAllowed[rel+":"+name]; !ok {
				out = append(out, fmt.Sprintf("%s:%d %s: %d lines, more than %d: split it along its seams", rel, start, name, lines, maxFuncLines))
			}
		}
		return true
	})
	return out
}

// isTable says whether a body only returns one composite literal: a table
// (texts, grammar rules), data rather than logic, however long.
func isTable(body *ast.BlockStmt) bool {
	if len(body.List) != 1 {
		return false
	}
	ret, ok := body.List[0].(*ast.ReturnStmt)
	if !ok || len(ret.Results) != 1 {
		return false
	}
	_, ok = ret.Results[0].(*ast.CompositeLit)
	return ok
}

// tableLines counts the lines of a body taken by multi-line composite
// literals (outermost ones only), less the line each starts on.
func tableLines(fset *token.FileSet, body *ast.BlockStmt) int {
	n := 0
	ast.Inspect(body, func(node ast.Node) bool {
		switch x := node.(type) {
		case *ast.FuncLit:
			return false // a literal function's code is code
		case *ast.CompositeLit:
			if span := fset.Position(x.End()).Line - fset.Position(x.Pos()).Line; span > 0 {
				n += span
				return false
			}
		}
		return true
	})
	return n
}

func receiverName(e ast.Expr) string {
	switch x := e.(type) {
	case *ast.StarExpr:
		return receiverName(x.X)
	case *ast.IndexExpr:
		return receiverName(x.X)
	case *ast.Ident:
		return x.Name
	}
	return "?"
}
