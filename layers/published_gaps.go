package layers

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// publishedGapsSQL lists the relations with a geometry column that a
// published entry names (a whole schema, or the relation itself) but the
// reader role may not read: typically a table another role created in a
// published schema after sit publish ran (default privileges cover only
// the tables the owner role creates).
const publishedGapsSQL = `
SELECT DISTINCT n.nspname, c.relname, pg_get_userbyid(c.relowner)
FROM sit.published p
JOIN pg_namespace n ON n.nspname = p.schema_name
JOIN pg_class c ON c.relnamespace = n.oid AND (p.relation = '' OR p.relation = c.relname)
WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND NOT c.relispartition
	AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.atttypid = 'geometry'::regtype)
	AND NOT has_table_privilege(` + readerRole + `, c.oid, 'SELECT')
ORDER BY 1, 2`

// PublishedGap is a relation in a published scope that is not served,
// with what makes it served.
type PublishedGap struct {
	Schema, Relation, Owner string
	// Note says why and which statements and command fix it.
	Note string
}

// PublishedGaps lists the relations in a published scope that the reader
// role may not read, each with the GRANT its owner runs and the command
// that then tracks it. Any role may run it (catalog reads only).
func PublishedGaps(ctx context.Context, q Querier) ([]PublishedGap, error) {
	rows, err := q.Query(ctx, publishedGapsSQL)
	if err != nil {
		return nil, fmt.Errorf("published relations not readable: %w", err)
	}
	gaps, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (PublishedGap, error) {
		var g PublishedGap
		return g, r.Scan(&g.Schema, &g.Relation, &g.Owner)
	})
	if err != nil {
		return nil, fmt.Errorf("published relations not readable: %w", err)
	}
	for i, g := range gaps {
		schema, id := pgx.Identifier{g.Schema}.Sanitize(), pgx.Identifier{g.Schema, g.Relation}.Sanitize()
		gaps[i].Note = fmt.Sprintf("not served: the reader role may not read it (owned by %s). Its owner (or a DBA) runs "+
			"GRANT SELECT ON %s TO sit_reader; then sit publish %s installs the change trigger (for the tables %s creates later: "+
			"ALTER DEFAULT PRIVILEGES FOR ROLE %s IN SCHEMA %s GRANT SELECT ON TABLES TO sit_reader)",
			g.Owner, id, g.Schema, g.Owner, pgx.Identifier{g.Owner}.Sanitize(), schema)
	}
	return gaps, nil
}
