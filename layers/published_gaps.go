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
SELECT DISTINCT n.nspname, c.relname, pg_get_userbyid(c.relowner), has_table_privilege(` + readerRole + `, c.oid, 'SELECT'),
	pg_get_userbyid(n.nspowner)
FROM sit.published p
JOIN pg_namespace n ON n.nspname = p.schema_name
JOIN pg_class c ON c.relnamespace = n.oid AND (p.relation = '' OR p.relation = c.relname)
WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND NOT c.relispartition
	AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.atttypid = 'geometry'::regtype)
	AND NOT (has_table_privilege(` + readerRole + `, c.oid, 'SELECT') AND has_schema_privilege(` + readerRole + `, n.oid, 'USAGE'))
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
		var readable bool
		var schemaOwner string
		if err := r.Scan(&g.Schema, &g.Relation, &g.Owner, &readable, &schemaOwner); err != nil {
			return g, err
		}
		schema, id := pgx.Identifier{g.Schema}.Sanitize(), pgx.Identifier{g.Schema, g.Relation}.Sanitize()
		if readable {
			// The table is granted, its schema is not: one grant serves
			// every table of the schema.
			g.Note = fmt.Sprintf("not served: the reader role may not use schema %s. Its owner (%s, or a DBA) runs "+
				"GRANT USAGE ON SCHEMA %s TO sit_reader", g.Schema, schemaOwner, schema)
			return g, nil
		}
		g.Note = fmt.Sprintf("not served: the reader role may not read it (owned by %s). Its owner (or a DBA) runs "+
			"GRANT SELECT ON %s TO sit_reader; then sit publish %s installs the change trigger (for the tables %s creates later: "+
			"ALTER DEFAULT PRIVILEGES FOR ROLE %s IN SCHEMA %s GRANT SELECT ON TABLES TO sit_reader)",
			g.Owner, id, g.Schema, g.Owner, pgx.Identifier{g.Owner}.Sanitize(), schema)
		return g, nil
	})
	if err != nil {
		return nil, fmt.Errorf("published relations not readable: %w", err)
	}
	return gaps, nil
}
