package pg

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/sit-gis/sit/internal/pgcluster"
)

// Querier is what the privilege check needs from a pool or a connection.
type Querier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

// ReaderReport is what CheckReader found about the serving role.
type ReaderReport struct {
	Role string
	// Refusals make the role unfit to serve: it could write or escape.
	Refusals []string
	// Warnings are hardening steps left undone (`sit db grants`).
	Warnings []string
}

// Err is nil when the role may serve.
func (r ReaderReport) Err() error {
	if len(r.Refusals) == 0 {
		return nil
	}
	return fmt.Errorf("the serving role %s can write or act beyond reading (%s): serve with a read-only role (`sit db grants` prints how to make one)",
		r.Role, strings.Join(r.Refusals, "; "))
}

// sitSchemasSQL lists SIT's schemas for the checks below.
const sitSchemasSQL = `ARRAY['sit', 'sit_data', 'sit_versions', 'sit_auth']::name[]`

// dataSchemasSQL are the schemas of the catalog and the layers, which only
// the owner writes.
const dataSchemasSQL = `ARRAY['sit', 'sit_data', 'sit_versions']::name[]`

// CheckReader inspects the role q is logged in as, so that a server never
// starts with a role that could write: a superuser, a role with CREATEROLE,
// CREATEDB, BYPASSRLS or REPLICATION, a member of the roles that reach the
// server's files and programs, an owner of (or writer to) SIT's tables, or a
// role that may create objects anywhere in the database.
func CheckReader(ctx context.Context, q Querier) (ReaderReport, error) {
	r, a, err := checkAttributes(ctx, q)
	if err != nil {
		return r, err
	}
	readOnly, temp := a.readOnly, a.temp
	writable, err := writableRelations(ctx, q)
	if err != nil {
		return r, err
	}
	if len(writable) > 0 {
		r.Refusals = append(r.Refusals, "owns or may write "+strings.Join(writable, ", "))
	}
	if !readOnly {
		r.Warnings = append(r.Warnings, "not read-only at role level (ALTER ROLE … SET default_transaction_read_only = on)")
	}
	err = r.hardening(ctx, q, temp)
	return r, err
}

// hardening adds the warnings every serving role shares: temporary tables
// it may create (temp) and hardened functions it may still call.
func (r *ReaderReport) hardening(ctx context.Context, q Querier, temp bool) error {
	if temp {
		r.Warnings = append(r.Warnings, "may create temporary tables (REVOKE TEMPORARY ON DATABASE … FROM PUBLIC)")
	}
	fns, err := executableFunctions(ctx, q)
	if err != nil {
		return err
	}
	if len(fns) > 0 {
		r.Warnings = append(r.Warnings, "may execute "+strings.Join(fns, ", "))
	}
	return nil
}

// writableRelations lists (at most 5) relations of SIT's schemas the role
// owns or may change.
func writableRelations(ctx context.Context, q Querier) ([]string, error) {
	return names(ctx, q, `SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = ANY (`+sitSchemasSQL+`) AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
		AND (pg_has_role(c.relowner, 'USAGE') OR CASE WHEN c.relkind = 'S' THEN has_sequence_privilege(c.oid, 'USAGE, UPDATE')
			ELSE has_table_privilege(c.oid, 'INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER') END)
		ORDER BY 1 LIMIT 5`)
}

// executableFunctions lists the hardened functions the role may still call.
func executableFunctions(ctx context.Context, q Querier) ([]string, error) {
	return names(ctx, q, `SELECT f FROM unnest($1::text[]) f
		WHERE to_regprocedure(f) IS NOT NULL AND has_function_privilege(f, 'EXECUTE')`, pgcluster.HardenedFunctions())
}

func names(ctx context.Context, q Querier, sql string, args ...any) ([]string, error) {
	rows, err := q.Query(ctx, sql, args...)
	if err != nil {
		return nil, fmt.Errorf("check the serving role: %w", err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("check the serving role: %w", err)
	}
	return out, nil
}

// CheckWeb inspects the role the server writes accounts, sessions, tokens
// and the audit log with (sit_web): it may change sit_auth's tables and
// nothing else. It is refused if it has any attribute or membership
// CheckReader refuses, may create objects anywhere, owns any of SIT's
// relations, may write the catalog or the layers, or may change or delete
// audit entries.
func CheckWeb(ctx context.Context, q Querier) (ReaderReport, error) {
	r, a, err := checkAttributes(ctx, q)
	if err != nil {
		return r, err
	}
	temp := a.temp
	bad, err := names(ctx, q, `SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = ANY (`+sitSchemasSQL+`) AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
		AND (pg_has_role(c.relowner, 'USAGE')
			OR (n.nspname = ANY (`+dataSchemasSQL+`) AND CASE WHEN c.relkind = 'S' THEN has_sequence_privilege(c.oid, 'USAGE, UPDATE')
				ELSE has_table_privilege(c.oid, 'INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER') END)
			OR (n.nspname = 'sit_auth' AND c.relkind IN ('r', 'p') AND has_table_privilege(c.oid, 'TRUNCATE, REFERENCES, TRIGGER'))
			OR (n.nspname = 'sit_auth' AND c.relname = 'audit' AND has_table_privilege(c.oid, 'UPDATE, DELETE')))
		ORDER BY 1 LIMIT 5`)
	if err != nil {
		return r, err
	}
	if len(bad) > 0 {
		r.Refusals = append(r.Refusals, "owns or may write beyond the accounts "+strings.Join(bad, ", "))
	}
	err = r.hardening(ctx, q, temp)
	return r, err
}

// roleFacts are what checkAttributes read besides the refusals.
type roleFacts struct{ readOnly, temp bool }

// checkAttributes reads the role q is logged in as and refuses what no
// serving role may have: superuser, CREATEROLE, CREATEDB, BYPASSRLS,
// REPLICATION, membership of the roles that reach the server's files and
// programs, CREATE on the database or on any schema.
func checkAttributes(ctx context.Context, q Querier) (ReaderReport, roleFacts, error) {
	var r ReaderReport
	var f roleFacts
	var super, createRole, createDB, bypass, repl, create bool
	var danger, schemas []string
	err := q.QueryRow(ctx, `SELECT rolname, rolsuper, rolcreaterole, rolcreatedb, rolbypassrls, rolreplication,
		coalesce('default_transaction_read_only=on' = ANY (rolconfig), false),
		has_database_privilege(current_database(), 'CREATE'), has_database_privilege(current_database(), 'TEMPORARY'),
		ARRAY(SELECT g FROM unnest(ARRAY['pg_execute_server_program', 'pg_write_server_files', 'pg_read_server_files',
			'pg_write_all_data', 'pg_signal_backend']) g WHERE pg_has_role(current_user, g, 'USAGE')),
		ARRAY(SELECT nspname::text FROM pg_namespace WHERE has_schema_privilege(oid, 'CREATE')
			AND nspname !~ '^pg_(toast_)?temp_')
		FROM pg_roles WHERE rolname = current_user`).Scan(&r.Role, &super, &createRole, &createDB, &bypass, &repl,
		&f.readOnly, &create, &f.temp, &danger, &schemas)
	if err != nil {
		return r, f, fmt.Errorf("check the serving role: %w", err)
	}
	for _, a := range []struct {
		set  bool
		what string
	}{{super, "superuser"}, {createRole, "CREATEROLE"}, {createDB, "CREATEDB"}, {bypass, "BYPASSRLS"}, {repl, "REPLICATION"},
		{create, "CREATE on the database"}} {
		if a.set {
			r.Refusals = append(r.Refusals, a.what)
		}
	}
	for _, g := range danger {
		r.Refusals = append(r.Refusals, "member of "+g)
	}
	if len(schemas) > 0 {
		r.Refusals = append(r.Refusals, "CREATE on schema "+strings.Join(schemas, ", "))
	}
	return r, f, nil
}
