// Package docs holds the developer documents and the tests that keep them
// true of the code: ARCHITECTURE.md's package map and import rules are
// checked against `go list`, and the length rule of the Go style against
// every function of the repository.
package docs

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
)

const module = "github.com/sit-gis/sit/"

// goPackage is what the tests read of `go list -json`.
type goPackage struct {
	ImportPath string
	Dir        string
	GoFiles    []string
	Imports    []string
	Deps       []string
}

// rel is the package's path inside the module ("cmd/sit").
func (p goPackage) rel() string { return strings.TrimPrefix(p.ImportPath, module) }

// sitImports are the SIT packages p imports directly (non-test files).
func (p goPackage) sitImports() []string {
	var out []string
	for _, i := range p.Imports {
		if strings.HasPrefix(i, module) {
			out = append(out, strings.TrimPrefix(i, module))
		}
	}
	return out
}

// listPackages runs `go list -json ./...` at the module's root.
func listPackages(t *testing.T) []goPackage {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go tool is needed to list the packages: %v", err)
	}
	cmd := exec.Command(goTool, "list", "-json=ImportPath,Dir,GoFiles,Imports,Deps", "./...")
	cmd.Dir = ".."
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	var pkgs []goPackage
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p goPackage
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatalf("read go list's output: %v", err)
		}
		pkgs = append(pkgs, p)
	}
	if len(pkgs) < 10 {
		t.Fatalf("go list found %d packages: is the test running inside the module?", len(pkgs))
	}
	return pkgs
}

// section returns the lines of ARCHITECTURE.md under a "## title" heading,
// up to the next heading of that level.
func section(t *testing.T, title string) []string {
	t.Helper()
	b, err := os.ReadFile("ARCHITECTURE.md")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	in := false
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "## ") {
			in = strings.TrimSpace(line[3:]) == title
			continue
		}
		if in {
			out = append(out, line)
		}
	}
	if len(out) == 0 {
		t.Fatalf("ARCHITECTURE.md has no section %q", title)
	}
	return out
}

// tableRows returns the cells of a Markdown table's body rows.
func tableRows(lines []string) [][]string {
	var rows [][]string
	for _, l := range lines {
		l = strings.TrimSpace(l)
		if !strings.HasPrefix(l, "|") || strings.HasPrefix(l, "| ---") {
			continue
		}
		cells := strings.Split(strings.Trim(l, "|"), "|")
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
		}
		rows = append(rows, cells)
	}
	if len(rows) > 0 {
		rows = rows[1:] // the header
	}
	return rows
}

var codeSpan = regexp.MustCompile("`([^`]+)`")

// codeSpans returns the `…` spans of a cell.
func codeSpans(cell string) []string {
	var out []string
	for _, m := range codeSpan.FindAllStringSubmatch(cell, -1) {
		out = append(out, m[1])
	}
	return out
}

// TestArchitecture checks ARCHITECTURE.md against the packages go list
// finds (listed once: it is the slow part).
func TestArchitecture(t *testing.T) {
	pkgs := listPackages(t)
	t.Run("package map", func(t *testing.T) { checkPackageMap(t, pkgs) })
	t.Run("import rules", func(t *testing.T) { checkImportRules(t, pkgs) })
	t.Run("arrows of issue 12", func(t *testing.T) { checkArrows(t, pkgs) })
	t.Run("DESIGN layout", func(t *testing.T) { checkDesignLayout(t, pkgs) })
}

// checkDesignLayout: DESIGN.md's outline of the layout names every
// top-level folder that holds a package, and every package of internal/.
func checkDesignLayout(t *testing.T, pkgs []goPackage) {
	b, err := os.ReadFile("../DESIGN.md")
	if err != nil {
		t.Fatal(err)
	}
	design := string(b)
	start := strings.Index(design, "## 2. Layout")
	end := strings.Index(design, "## 3.")
	if start < 0 || end < start {
		t.Fatal("DESIGN.md has no section 2. Layout before section 3")
	}
	layout := design[start:end]
	for _, p := range pkgs {
		parts := strings.Split(p.rel(), "/")
		if !regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(parts[0]) + `/`).MatchString(layout) {
			t.Errorf("DESIGN.md's layout has no line for %s/ (package %s)", parts[0], p.rel())
		}
		if parts[0] == "internal" && !regexp.MustCompile(`\b`+regexp.QuoteMeta(parts[1])+`\b`).MatchString(layout) {
			t.Errorf("DESIGN.md's layout does not name internal/%s", parts[1])
		}
	}
}

// checkPackageMap: every package of the module has its one line in the
// package map, and every line names a package that exists.
func checkPackageMap(t *testing.T, pkgs []goPackage) {
	mapped := map[string]string{}
	for _, row := range tableRows(section(t, "Package map")) {
		names := codeSpans(row[0])
		if len(names) != 1 || len(row) < 2 || len(row[1]) < 10 {
			t.Errorf("package map row %q: want one `package` and a sentence", strings.Join(row, " | "))
			continue
		}
		if _, dup := mapped[names[0]]; dup {
			t.Errorf("package map names %s twice", names[0])
		}
		mapped[names[0]] = row[1]
	}
	have := map[string]bool{}
	for _, p := range pkgs {
		have[p.rel()] = true
		if _, ok := mapped[p.rel()]; !ok {
			t.Errorf("package %s is not in docs/ARCHITECTURE.md's package map: add one line saying what it holds", p.rel())
		}
	}
	for name := range mapped {
		if !have[name] {
			t.Errorf("docs/ARCHITECTURE.md's package map names %s, which go list does not know", name)
		}
	}
}

// importRule is one row of the import rules: the packages it covers, the
// SIT packages they may import, whether they may depend on net/http.
type importRule struct {
	packages, allowed []string
	http              bool
}

// matches says whether pattern (a path, or path/... for it and below)
// covers pkg, and how specific the pattern is.
func matches(pattern, pkg string) (bool, int) {
	if base, ok := strings.CutSuffix(pattern, "/..."); ok {
		return pkg == base || strings.HasPrefix(pkg, base+"/"), len(base)
	}
	return pattern == pkg, len(pattern) + 1 // an exact name beats a pattern
}

func readImportRules(t *testing.T) []importRule {
	t.Helper()
	var rules []importRule
	for _, row := range tableRows(section(t, "Import rules")) {
		if len(row) != 3 {
			t.Fatalf("import rules row %q: want three cells", strings.Join(row, " | "))
		}
		r := importRule{packages: codeSpans(row[0]), allowed: codeSpans(row[1]), http: row[2] == "yes"}
		if row[2] != "yes" && row[2] != "no" {
			t.Fatalf("import rules row %q: the net/http cell is yes or no", strings.Join(row, " | "))
		}
		if len(r.packages) == 0 {
			t.Fatalf("import rules row %q names no package", strings.Join(row, " | "))
		}
		rules = append(rules, r)
	}
	return rules
}

// ruleFor is the most specific rule naming pkg.
func ruleFor(rules []importRule, pkg string) (importRule, bool) {
	best, bestLen := importRule{}, -1
	for _, r := range rules {
		for _, p := range r.packages {
			if ok, n := matches(p, pkg); ok && n > bestLen {
				best, bestLen = r, n
			}
		}
	}
	return best, bestLen >= 0
}

// checkImportRules: each package imports only what its row of the import
// rules allows, and the rows marked "no" do not depend on net/http.
func checkImportRules(t *testing.T, pkgs []goPackage) {
	rules := readImportRules(t)
	have := map[string]bool{}
	for _, p := range pkgs {
		have[p.rel()] = true
	}
	for _, r := range rules {
		for _, name := range r.packages {
			if !strings.HasSuffix(name, "/...") && !have[name] {
				t.Errorf("docs/ARCHITECTURE.md's import rules name %s, which go list does not know", name)
			}
		}
	}
	for _, p := range pkgs {
		r, ok := ruleFor(rules, p.rel())
		if !ok {
			t.Errorf("package %s has no row in docs/ARCHITECTURE.md's import rules", p.rel())
			continue
		}
		for _, imp := range p.sitImports() {
			if strings.HasPrefix(imp, "cmd/") {
				t.Errorf("%s imports %s: no package imports a command", p.rel(), imp)
				continue
			}
			if r.packages[0] == "cmd/sit" {
				continue // anything but cmd/...
			}
			allowed := slices.ContainsFunc(r.allowed, func(a string) bool { ok, _ := matches(a, imp); return ok })
			if !allowed {
				t.Errorf("%s imports %s, which its import rule (%s) does not allow", p.rel(), imp, strings.Join(r.packages, ", "))
			}
		}
		if !r.http && slices.Contains(p.Deps, "net/http") {
			t.Errorf("%s depends on net/http, but the core must not know HTTP (docs/ARCHITECTURE.md, import rules)", p.rel())
		}
	}
}

// checkArrows checks the arrows issue 12 names: cadastre and reports do
// not depend on importers, and reports uses cadastre only for the parcel
// lookup.
func checkArrows(t *testing.T, pkgs []goPackage) {
	for _, p := range pkgs {
		if p.rel() != "cadastre" && p.rel() != "reports" {
			continue
		}
		for _, d := range p.Deps {
			if strings.HasPrefix(d, module+"importers") {
				t.Errorf("%s depends on %s", p.rel(), strings.TrimPrefix(d, module))
			}
		}
		if p.rel() == "reports" {
			checkCadastreUse(t, p)
		}
	}
}

// parcelLookup is what reports may use of cadastre.
var parcelLookup = []string{"New", "Options", "Service", "Parcel", "Lookup"}

func checkCadastreUse(t *testing.T, p goPackage) {
	fset := token.NewFileSet()
	used := map[string]bool{}
	for _, name := range p.GoFiles {
		f, err := parser.ParseFile(fset, filepath.Join(p.Dir, name), nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if sel, ok := n.(*ast.SelectorExpr); ok {
				if id, ok := sel.X.(*ast.Ident); ok && id.Name == "cadastre" {
					used[sel.Sel.Name] = true
				}
			}
			return true
		})
	}
	var bad []string
	for name := range used {
		if !slices.Contains(parcelLookup, name) {
			bad = append(bad, "cadastre."+name)
		}
	}
	sort.Strings(bad)
	if len(bad) > 0 {
		t.Errorf("reports uses %s of cadastre: only the parcel lookup (%s) may be borrowed; move shared rules to domain", strings.Join(bad, ", "), strings.Join(parcelLookup, ", "))
	}
}
