package ingest

import (
	"fmt"
	"sort"
	"strings"

	"github.com/sit-gis/sit/importers"
)

// tableName is what the user calls a dataset: its name without the file's
// stem (a CXF family "bordi", not "E715_FOGLI_bordi"); a dataset named
// after the file (single-table formats) is named after the file the user
// knows (an upload is stored under another name).
func (p *Plan) tableName(ds importers.Dataset) string {
	name := ds.Info.Name
	for _, stem := range []string{fileStem(p.req.Path), fileStem(p.req.sourceName())} {
		if strings.EqualFold(name, stem) {
			return fileStem(p.req.sourceName())
		}
		if len(name) > len(stem)+1 && strings.EqualFold(name[:len(stem)+1], stem+"_") {
			return name[len(stem)+1:]
		}
	}
	return name
}

// tableNames lists the tables of the source, for messages.
func (p *Plan) tableNames() []string {
	var names []string
	for _, ds := range p.src.Datasets {
		names = append(names, p.tableName(ds))
	}
	return names
}

// pick keeps the dataset --table names, or all of them. One --kind or
// --role for a file of several tables is refused: it would silently give
// the same kind to every table (issue 14); kinds per table are named
// TABLE=KIND. Per-table kinds and roles must name tables of the file.
func (p *Plan) pick() ([]importers.Dataset, error) {
	if err := p.checkTableKeys(); err != nil {
		return nil, err
	}
	all := p.src.Datasets
	if p.req.Table == "" {
		if len(all) > 1 && (p.set.kindSet || len(p.set.roles) > 0) {
			return nil, p.manyTablesError()
		}
		return all, nil
	}
	for _, ds := range all {
		if strings.EqualFold(p.tableName(ds), p.req.Table) || strings.EqualFold(ds.Info.Name, p.req.Table) {
			return []importers.Dataset{ds}, nil
		}
	}
	return nil, fieldErrf("table", "%s has no table %q (it holds: %s)", p.req.sourceName(), p.req.Table, strings.Join(p.tableNames(), ", "))
}

func (p *Plan) manyTablesError() error {
	what := "--kind " + string(p.set.kind)
	field := "kind"
	if !p.set.kindSet {
		what, field = "--role "+strings.Join(p.set.roles, ","), "role"
	}
	names := p.tableNames()
	return fieldErrf(field, "%s holds %d tables (%s): %s would apply to every one of them. Import one table with --table %s, or say it per table: --%s %s=…",
		p.req.sourceName(), len(names), strings.Join(names, ", "), what, names[0], field, names[0])
}

// checkTableKeys refuses per-table kinds and roles for tables the file
// does not have.
func (p *Plan) checkTableKeys() error {
	have := map[string]bool{}
	for _, n := range p.tableNames() {
		have[strings.ToLower(n)] = true
	}
	check := func(field string, keys []string) error {
		sort.Strings(keys)
		for _, k := range keys {
			if !have[k] {
				return fieldErr(field, fmt.Errorf("%s has no table %q (it holds: %s)", p.req.sourceName(), k, strings.Join(p.tableNames(), ", ")))
			}
		}
		return nil
	}
	var kinds, roles []string
	for k := range p.set.kinds {
		kinds = append(kinds, k)
	}
	for k := range p.set.roleMap {
		roles = append(roles, k)
	}
	if err := check("kind", kinds); err != nil {
		return err
	}
	return check("role", roles)
}
