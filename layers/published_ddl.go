package layers

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// PublishSpec says what to publish: a whole schema (Relation "") or one
// relation of it.
type PublishSpec struct {
	Schema, Relation string
	// Key names a unique column to use as the feature id (a view has no
	// key the catalog can see); Geometry chooses the geometry column of a
	// relation with several.
	Key, Geometry string
	Visibility    Visibility
	// Kind and Roles let a relation play a role (the cadastre, zones):
	// its kind names the canonical columns it has.
	Kind  Kind
	Roles []string
	// NoTrack leaves the tables without the change trigger.
	NoTrack bool
	// NoTileCopy: SIT keeps no tile copy of the tables (their tiles
	// transform every row; the office's writes pay nothing for it).
	NoTileCopy bool
	// Mercator adds to each table a generated Web Mercator copy of its
	// geometry and its index (what Advice would list), where the owner
	// role may: the office asks for it, SIT never does it unasked.
	Mercator bool
	// By says who declares the source (the command line by default):
	// sit publish --from-config unpublishes only what the file declared.
	By DeclaredBy
}

// DeclaredBy is who declared a published source.
type DeclaredBy string

const (
	ByCommand DeclaredBy = "cli"    // sit publish SCHEMA[.RELATION]
	ByAPI     DeclaredBy = "api"    // POST /admin/published, the console
	ByConfig  DeclaredBy = "config" // a [[publish]] table, sit publish --from-config
	// ByUnknown: published before SIT recorded who declared it.
	ByUnknown DeclaredBy = ""
)

// Describe says who declared a source, for people.
func (b DeclaredBy) Describe() string {
	switch b {
	case ByCommand:
		return "published by hand (sit publish)"
	case ByAPI:
		return "published through the admin API"
	case ByConfig:
		return "published from the configuration"
	}
	return "published before SIT recorded by whom"
}

// Normal checks what can be told without the database and fills the
// defaults (public, generic): the one check of a spec, whoever gives it
// (the command line, the configuration file, the admin API).
func (spec PublishSpec) Normal() (PublishSpec, error) {
	bad := func(field string, err error) (PublishSpec, error) { return spec, &SpecError{Field: field, Err: err} }
	if spec.Schema == "" {
		return bad("source", fmt.Errorf("name a schema: SCHEMA or SCHEMA.RELATION"))
	}
	if spec.Visibility == "" {
		spec.Visibility = Public
	}
	if _, err := ParseVisibility(string(spec.Visibility)); err != nil {
		return bad("visibility", err)
	}
	if spec.Kind == "" {
		spec.Kind = KindGeneric
	}
	if spec.By == ByUnknown {
		spec.By = ByCommand
	}
	if _, err := ParseKind(string(spec.Kind)); err != nil {
		return bad("kind", err)
	}
	if spec.Relation == "" && (spec.Kind != KindGeneric || len(spec.Roles) > 0 || spec.Key != "" || spec.Geometry != "") {
		return bad("source", fmt.Errorf("a key, a geometry column, a kind and roles are one relation's: publish SCHEMA.RELATION"))
	}
	if err := CheckRoles(spec.Kind, spec.Roles); err != nil {
		return bad("roles", err)
	}
	if sitSchemas[spec.Schema] {
		return bad("source", fmt.Errorf("schema %s is SIT's own (or PostgreSQL's): publish the office's schemas", spec.Schema))
	}
	return spec, nil
}

// SpecError is a publish request the database cannot satisfy or that is
// wrong in itself, naming the field at fault (source, visibility, kind,
// roles) for an API to answer 400 with it.
type SpecError struct {
	Field string
	Err   error
}

func (e *SpecError) Error() string { return e.Err.Error() }
func (e *SpecError) Unwrap() error { return e.Err }

// Source is SCHEMA or SCHEMA.RELATION.
func (spec PublishSpec) Source() string { return spec.Schema + dotted(spec.Relation) }

// PublishReport says what Publish did and what it could not do.
type PublishReport struct {
	// Relations in scope; Tracked those with the change trigger.
	Relations, Tracked []string
	// Pending are statements the store's role lacked the right to run:
	// the relations' owner (or a DBA) runs them.
	Pending []string
	// EventTrigger is set when the event trigger sit_published_ddl is
	// there (created when the store's role is a superuser): tables
	// created and partitions attached later are readable and tracked at
	// once, and every server hears of them at the commit.
	EventTrigger bool
	// Advice are statements that would make the tiles of the published
	// tables as fast as an import's (a stored Web Mercator copy): SIT
	// does not alter the office's tables, their owner may run them.
	Advice []string
	// Copied are the sources whose tiles read SIT's tile copy.
	Copied []string
}

// sitSchemas are SIT's own schemas: never published (they hold accounts,
// and imported layers are served already).
var sitSchemas = map[string]bool{"sit": true, "sit_data": true, "sit_versions": true, "sit_auth": true, "sit_staging": true, TileCopySchema: true,
	"pg_catalog": true, "information_schema": true, "pg_toast": true}

// Publish records spec in sit.published, lets the reader role read what it
// names and installs the change trigger on its tables. It does what the
// owner role may and lists the rest in the report; the catalog of every
// server picks the relations up at once (notification) or within
// publishedPoll.
func (s *Store) Publish(ctx context.Context, spec PublishSpec) (PublishReport, error) {
	var rep PublishReport
	spec, err := spec.Normal()
	if err != nil {
		return rep, err
	}
	rels, err := s.relationsIn(ctx, spec.Schema, spec.Relation)
	if err != nil {
		return rep, err
	}
	// The file never claims a source published by hand or through the
	// API (so that it never unpublishes one); they claim the file's.
	if _, err := s.pool.Exec(ctx, `INSERT INTO sit.published AS p (schema_name, relation, key_column, geometry_column, visibility, kind, roles, declared_by, tile_copy)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (schema_name, relation) DO UPDATE
		SET key_column = EXCLUDED.key_column, geometry_column = EXCLUDED.geometry_column, visibility = EXCLUDED.visibility,
			kind = EXCLUDED.kind, roles = EXCLUDED.roles, tile_copy = EXCLUDED.tile_copy,
			declared_by = CASE WHEN EXCLUDED.declared_by = 'config' AND p.declared_by IN ('cli', 'api') THEN p.declared_by ELSE EXCLUDED.declared_by END`,
		spec.Schema, spec.Relation, spec.Key, spec.Geometry, string(spec.Visibility), string(spec.Kind), append([]string{}, spec.Roles...), string(spec.By),
		!spec.NoTileCopy); err != nil {
		return rep, fmt.Errorf("publish %s: %w", spec.Schema, err)
	}
	schema := pgx.Identifier{spec.Schema}.Sanitize()
	s.grantReader(ctx, &rep, "GRANT USAGE ON SCHEMA "+schema+" TO sit_reader", "SELECT has_schema_privilege('sit_reader', $1, 'USAGE')", spec.Schema)
	if spec.Relation == "" {
		// Tables the owner role creates later are readable at once.
		s.tryDDL(ctx, &rep, "ALTER DEFAULT PRIVILEGES IN SCHEMA "+schema+" GRANT SELECT ON TABLES TO sit_reader")
		if err := s.officeDefaults(ctx, &rep, spec.Schema); err != nil {
			return rep, err
		}
	}
	for _, r := range rels {
		rep.Relations = append(rep.Relations, r.name)
		id := pgx.Identifier{spec.Schema, r.name}.Sanitize()
		if r.kind == "function" {
			// EXECUTE is PUBLIC's unless the office revoked it; the
			// function reads its tables with the caller's rights (or its
			// owner's, if SECURITY DEFINER).
			continue
		}
		s.grantReader(ctx, &rep, "GRANT SELECT ON "+id+" TO sit_reader", "SELECT has_table_privilege('sit_reader', $1::regclass, 'SELECT')", id)
		if spec.NoTrack || (r.kind != "r" && r.kind != "p") {
			continue
		}
		ok, _, err := s.track(ctx, &rep, pgx.Identifier{spec.Schema, r.name})
		if err != nil {
			return rep, err
		}
		if ok {
			rep.Tracked = append(rep.Tracked, r.name)
		}
	}
	if !spec.NoTrack {
		if err := s.trackBases(ctx, &rep, spec.Schema, rels); err != nil {
			return rep, err
		}
	}
	if err := s.mercator(ctx, &rep, spec); err != nil {
		return rep, err
	}
	if err := s.tileCopies(ctx, &rep, spec); err != nil {
		return rep, err
	}
	if rep.EventTrigger, err = s.eventTrigger(ctx); err != nil {
		return rep, err
	}
	return rep, notify(ctx, s, spec.Schema)
}

// DDLTrigger is the event trigger that makes relations created in a
// published schema readable and tracked at once (sit.published_ddl).
const DDLTrigger = "sit_published_ddl"

// eventTrigger creates DDLTrigger when the store's role is a superuser
// (only one may create an event trigger) and reports whether it is there.
// Without it the catalog's poll, sit publish --list's notes and a re-run
// of sit publish do the same work.
func (s *Store) eventTrigger(ctx context.Context) (bool, error) {
	var super, exists bool
	if err := s.pool.QueryRow(ctx, `SELECT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user),
		EXISTS (SELECT 1 FROM pg_event_trigger WHERE evtname = $1)`, DDLTrigger).Scan(&super, &exists); err != nil {
		return false, fmt.Errorf("event trigger: %w", err)
	}
	if exists || !super {
		return exists, nil
	}
	if _, err := s.pool.Exec(ctx, "CREATE EVENT TRIGGER "+DDLTrigger+" ON ddl_command_end EXECUTE FUNCTION sit.published_ddl()"); err != nil {
		return false, fmt.Errorf("event trigger: %w", err)
	}
	return true, nil
}

// mercator, with spec.Mercator, runs the statements that give the tables
// in spec's scope a stored Web Mercator copy (what the owner role may not do goes to
// Pending, the rest of that table's statements with it).
func (s *Store) mercator(ctx context.Context, rep *PublishReport, spec PublishSpec) error {
	if !spec.Mercator {
		return nil // advised by tileCopies, where no tile copy serves
	}
	ls, _, err := ListPublished(ctx, s.pool, time.Now())
	if err != nil {
		return err
	}
	for _, l := range ls {
		if l.Source.Schema != spec.Schema || (spec.Relation != "" && l.Source.Relation != spec.Relation) {
			continue
		}
		ddl := l.Source.MercatorDDL
		for i, sql := range ddl {
			if !s.tryDDL(ctx, rep, strings.TrimSuffix(sql, ";")) {
				rep.Pending = append(rep.Pending, ddl[i+1:]...)
				break
			}
		}
	}
	return nil
}

// tileCopies builds the tile copies of the tables in spec's scope (in
// the same pass it drops those no longer wanted) and lists in the report
// the tables whose tiles read one.
func (s *Store) tileCopies(ctx context.Context, rep *PublishReport, spec PublishSpec) error {
	ls, _, err := ListPublished(ctx, s.pool, time.Now())
	if err != nil {
		return err
	}
	var scope []Layer
	for _, l := range ls {
		if l.Source.Schema == spec.Schema && (spec.Relation == "" || l.Source.Relation == spec.Relation) {
			// Asked again (the office may have granted what the last
			// build lacked): no waiting for the retry period.
			l.Source.buildCopy = l.Source.buildCopy || l.Source.copyFailed
			scope = append(scope, l)
		}
	}
	changed, err := KeepTileCopies(ctx, s.pool, scope)
	if err != nil {
		return err
	}
	if changed {
		if ls, _, err = ListPublished(ctx, s.pool, time.Now()); err != nil {
			return err
		}
	}
	for _, l := range ls {
		if l.Source.Schema != spec.Schema || (spec.Relation != "" && l.Source.Relation != spec.Relation) {
			continue
		}
		if l.Source.TileCopy != "" {
			rep.Copied = append(rep.Copied, l.Name)
			continue
		}
		if l.Source.copyCandidate && (l.Source.copyFailed || (!l.Source.Tracked && !spec.NoTrack)) {
			s.copyGrant(ctx, rep, l)
		}
		if !spec.Mercator {
			// The stored column, as fast as a copy, for a table SIT
			// keeps none of (the office's choice when to rewrite it).
			rep.Advice = append(rep.Advice, l.Source.MercatorDDL...)
		}
	}
	return nil
}

// copyGrant adds to the report's pending statements the grant a table's
// owner gives SIT's owner role when the tile copy failed for want of it
// (its triggers need TRIGGER, its fill SELECT).
func (s *Store) copyGrant(ctx context.Context, rep *PublishReport, l Layer) {
	var may bool
	if err := s.pool.QueryRow(ctx, `SELECT has_table_privilege($1::oid, 'TRIGGER') AND has_table_privilege($1::oid, 'SELECT')`,
		l.Source.Relid).Scan(&may); err != nil || may {
		return
	}
	s.grantTriggers(ctx, rep, pgx.Identifier{l.Source.Schema, l.Source.Relation})
}

// role is the role SIT's owner connections run as: the grantee of the
// grants asked of other roles' owners.
func (s *Store) role(ctx context.Context) (string, error) {
	var me string
	err := s.pool.QueryRow(ctx, "SELECT current_user").Scan(&me)
	return me, err
}

// grantTriggers adds to the pending statements, once, the grant with
// which a table's owner lets SIT's owner role install its triggers itself
// (the change trigger, and the tile copy's for a keyed table outside
// EPSG:3857), an alternative to creating the change trigger by hand.
func (s *Store) grantTriggers(ctx context.Context, rep *PublishReport, table pgx.Identifier) {
	me, err := s.role(ctx)
	if err != nil {
		return
	}
	grant := "GRANT SELECT, TRIGGER ON " + table.Sanitize() + " TO " + pgx.Identifier{me}.Sanitize() +
		"; -- lets SIT install its triggers (change tracking, tile copy) at the next sit publish"
	if !slices.Contains(rep.Pending, grant) {
		rep.Pending = append(rep.Pending, grant)
	}
}

// trackBases installs the trigger on the tables the published views read
// (through other views too), wherever they are: a view's version is the
// sum of theirs, so it is tracked only when they all are.
func (s *Store) trackBases(ctx context.Context, rep *PublishReport, schema string, rels []scopedRelation) error {
	var views []string
	for _, r := range rels {
		if r.kind == "v" {
			views = append(views, r.name)
		}
	}
	if len(views) == 0 {
		return nil
	}
	rows, err := s.pool.Query(ctx, `WITH RECURSIVE deps(relid, kind) AS (
			SELECT c.oid, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
			WHERE n.nspname = $1 AND c.relname = ANY($2) AND c.relkind = 'v'
			UNION
			`+viewBasesStep+`)
		SELECT DISTINCT n.nspname, c.relname FROM deps d JOIN pg_class c ON c.oid = d.relid JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE d.kind IN ('r', 'p')
		ORDER BY 1, 2`, schema, views)
	if err != nil {
		return fmt.Errorf("publish %s: the views' tables: %w", schema, err)
	}
	bases, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (pgx.Identifier, error) {
		var sch, rel string
		return pgx.Identifier{sch, rel}, r.Scan(&sch, &rel)
	})
	if err != nil {
		return fmt.Errorf("publish %s: the views' tables: %w", schema, err)
	}
	for _, b := range bases {
		ok, installed, err := s.track(ctx, rep, b)
		if err != nil {
			return err
		}
		if ok && installed > 0 {
			rep.Tracked = append(rep.Tracked, b[0]+"."+b[1]+" (read by a view)")
		}
	}
	return nil
}

// treeSQL lists a table and, when it is partitioned, its partitions at
// every level (pg_partition_tree lists nothing for a plain table), with
// whether each has the change trigger and its owner.
const treeSQL = `SELECT n.nspname, c.relname, EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgrelid = c.oid AND t.tgname = $2),
	pg_get_userbyid(c.relowner)
	FROM (SELECT $1::regclass AS relid UNION SELECT relid FROM pg_partition_tree($1::regclass)) pt
	JOIN pg_class c ON c.oid = pt.relid JOIN pg_namespace n ON n.oid = c.relnamespace
	WHERE c.relkind IN ('r', 'p')
	ORDER BY c.oid <> $1::regclass, 1, 2`

// treeMember is one row of treeSQL.
type treeMember struct {
	id        pgx.Identifier
	triggered bool
	owner     string
}

// tree lists table and its partitions (treeSQL).
func (s *Store) tree(ctx context.Context, table pgx.Identifier) ([]treeMember, error) {
	rows, err := s.pool.Query(ctx, treeSQL, table.Sanitize(), TrackTrigger)
	if err != nil {
		return nil, fmt.Errorf("partitions of %s: %w", table.Sanitize(), err)
	}
	ms, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (treeMember, error) {
		var sch, rel string
		var m treeMember
		err := r.Scan(&sch, &rel, &m.triggered, &m.owner)
		m.id = pgx.Identifier{sch, rel}
		return m, err
	})
	if err != nil {
		return nil, fmt.Errorf("partitions of %s: %w", table.Sanitize(), err)
	}
	return ms, nil
}

// track installs the change trigger on a table and, when it is
// partitioned, on each partition (PostgreSQL fires a statement-level
// trigger only on the relation a statement names; the trigger bumps the
// tree's root). It reports whether all of them have it and how many it
// installed; installing one bumps the version (a partition attached since
// the last run brought rows no trigger saw).
func (s *Store) track(ctx context.Context, rep *PublishReport, table pgx.Identifier) (ok bool, installed int, err error) {
	ms, err := s.tree(ctx, table)
	if err != nil {
		return false, 0, err
	}
	ok = len(ms) > 0
	for _, m := range ms {
		switch {
		case m.triggered:
		case s.tryDDL(ctx, rep, "CREATE TRIGGER "+TrackTrigger+" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "+m.id.Sanitize()+
			" FOR EACH STATEMENT EXECUTE FUNCTION sit.published_changed()"):
			installed++
		default:
			// The statement goes to the table's owner, who needs to
			// reach the trigger function in schema sit (nothing more).
			ok = false
			s.tryDDL(ctx, rep, "GRANT USAGE ON SCHEMA sit TO "+pgx.Identifier{m.owner}.Sanitize())
			s.grantTriggers(ctx, rep, m.id)
		}
	}
	if installed > 0 {
		if _, err := s.pool.Exec(ctx, `INSERT INTO sit.published_versions AS v (relid, version) VALUES ($1::regclass, 2)
			ON CONFLICT (relid) DO UPDATE SET version = v.version + 1, changed_at = now()`, table.Sanitize()); err != nil {
			return false, installed, fmt.Errorf("bump %s: %w", table.Sanitize(), err)
		}
	}
	return ok, installed, nil
}

// untrack drops the change trigger from a table and its partitions.
func (s *Store) untrack(ctx context.Context, rep *PublishReport, table pgx.Identifier) error {
	ms, err := s.tree(ctx, table)
	if err != nil {
		return err
	}
	for _, m := range ms {
		if m.triggered {
			s.tryDDL(ctx, rep, "DROP TRIGGER IF EXISTS "+TrackTrigger+" ON "+m.id.Sanitize())
		}
	}
	return nil
}

// Unpublish removes spec from sit.published and the change triggers of
// the relations it named (the grants stay: the office may rely on them).
func (s *Store) Unpublish(ctx context.Context, schema, relation string) (PublishReport, error) {
	var rep PublishReport
	tag, err := s.pool.Exec(ctx, "DELETE FROM sit.published WHERE schema_name = $1 AND relation = $2", schema, relation)
	if err != nil {
		return rep, fmt.Errorf("unpublish %s: %w", schema, err)
	}
	if tag.RowsAffected() == 0 {
		return rep, fmt.Errorf("%w: %s%s is not published", ErrNotFound, schema, dotted(relation))
	}
	rels, err := s.relationsIn(ctx, schema, relation)
	if err != nil {
		return rep, err
	}
	for _, r := range rels {
		rep.Relations = append(rep.Relations, r.name)
		if r.kind != "r" && r.kind != "p" {
			continue
		}
		id := pgx.Identifier{schema, r.name}
		var needed bool
		if err := s.pool.QueryRow(ctx, neededSQL, id.Sanitize()).Scan(&needed); err != nil {
			return rep, fmt.Errorf("unpublish %s: %w", id.Sanitize(), err)
		}
		if needed {
			continue // another published source (its schema, a view over it) is tracked through it
		}
		if err := s.untrack(ctx, &rep, id); err != nil {
			return rep, err
		}
	}
	if _, err := KeepTileCopies(ctx, s.pool, nil); err != nil {
		return rep, err
	}
	return rep, notify(ctx, s, schema)
}

// viewBasesStep is the recursive step of a deps(relid, kind) query: the
// relations a view in deps reads (its rewrite rule's dependencies).
const viewBasesStep = `SELECT dep.refobjid, bc.relkind FROM deps d
	JOIN pg_rewrite rw ON rw.ev_class = d.relid AND d.kind = 'v'
	JOIN pg_depend dep ON dep.classid = 'pg_rewrite'::regclass AND dep.objid = rw.oid
		AND dep.refclassid = 'pg_class'::regclass AND dep.refobjid <> d.relid
	JOIN pg_class bc ON bc.oid = dep.refobjid`

// neededSQL says whether a table is still in the scope of a published
// source, or read by a published view: then its change trigger stays.
const neededSQL = `WITH RECURSIVE deps(relid, kind) AS (
	SELECT c.oid, c.relkind FROM sit.published p JOIN pg_namespace n ON n.nspname = p.schema_name
	JOIN pg_class c ON c.relnamespace = n.oid AND (p.relation = '' OR p.relation = c.relname)
	WHERE c.relkind IN ('r', 'p', 'v')
	UNION
	` + viewBasesStep + `)
SELECT EXISTS (SELECT 1 FROM deps WHERE relid = $1::regclass)`

func dotted(s string) string {
	if s == "" {
		return ""
	}
	return "." + s
}

// notify tells every server to re-read its catalog.
func notify(ctx context.Context, s *Store, schema string) error {
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		return notifyCatalog(ctx, tx, map[string]any{"published": schema})
	})
}

// scopedRelation is a relation Publish acts on.
type scopedRelation struct{ name, kind string }

// relationsIn lists the relations of a schema (or the one named) that have
// a geometry column; an error when the schema or the relation is not there.
func (s *Store) relationsIn(ctx context.Context, schema, relation string) ([]scopedRelation, error) {
	var exists bool
	if err := s.pool.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1)", schema).Scan(&exists); err != nil {
		return nil, fmt.Errorf("publish %s: %w", schema, err)
	}
	if !exists {
		return nil, fmt.Errorf("%w: there is no schema %s", ErrNotFound, schema)
	}
	// Without USAGE on the schema every later step fails with a bare
	// "permission denied": say what the schema's owner grants.
	var usage bool
	var me, owner string
	if err := s.pool.QueryRow(ctx, `SELECT has_schema_privilege(n.oid, 'USAGE'), current_user, pg_get_userbyid(n.nspowner)
		FROM pg_namespace n WHERE n.nspname = $1`, schema).Scan(&usage, &me, &owner); err != nil {
		return nil, fmt.Errorf("publish %s: %w", schema, err)
	}
	if !usage {
		return nil, &SpecError{Field: "source", Err: fmt.Errorf("SIT's owner role %s may not use schema %s: its owner (%s) or a DBA runs GRANT USAGE ON SCHEMA %s TO %s, sit_reader; and GRANT SELECT on the tables to publish",
			me, schema, owner, pgx.Identifier{schema}.Sanitize(), pgx.Identifier{me}.Sanitize())}
	}
	rows, err := s.pool.Query(ctx, `SELECT c.relname, c.relkind::text
		FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = $1 AND ($2 = '' OR c.relname = $2) AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND NOT c.relispartition
			AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
				AND a.atttypid = 'geometry'::regtype)
		ORDER BY c.relname`, schema, relation)
	if err != nil {
		return nil, fmt.Errorf("publish %s: %w", schema, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (scopedRelation, error) {
		var v scopedRelation
		return v, r.Scan(&v.name, &v.kind)
	})
	if err != nil {
		return nil, fmt.Errorf("publish %s: %w", schema, err)
	}
	if relation != "" && len(out) == 0 {
		// A function is published by name: each of its overloads is a
		// source of its own (listPublishedFunctions).
		var fns int
		if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
			WHERE n.nspname = $1 AND p.proname = $2 AND p.prokind = 'f'`, schema, relation).Scan(&fns); err != nil {
			return nil, fmt.Errorf("publish %s: %w", schema, err)
		}
		if fns > 0 {
			return []scopedRelation{{name: relation, kind: "function"}}, nil
		}
		return nil, fmt.Errorf("%w: %s.%s is not a table, view or materialized view with a geometry column, nor a function", ErrNotFound, schema, relation)
	}
	return out, nil
}

// grantReader runs grant (a GRANT to sit_reader) unless the reader has
// the privilege already, as the query has (a boolean, of $1 = arg) says.
// A GRANT by a role that may not grant only warns in PostgreSQL, so the
// privilege is checked again after it: still missing, the statement goes
// to the report for the object's owner.
func (s *Store) grantReader(ctx context.Context, rep *PublishReport, grant, has string, arg any) {
	may := func() bool {
		var ok bool
		err := s.pool.QueryRow(ctx, has, arg).Scan(&ok)
		return err == nil && ok
	}
	if may() {
		return // granted already (by its owner, or a default privilege)
	}
	if s.tryDDL(ctx, rep, grant) && !may() {
		rep.Pending = append(rep.Pending, grant+";")
	}
}

// officeDefaultsSQL lists the roles that create tables in a schema (its
// owner, the owners of its tables) other than SIT's owner and without a
// default privilege that lets the reader role read their future tables
// there (or anywhere).
const officeDefaultsSQL = `SELECT DISTINCT r.rolname FROM pg_namespace n
	JOIN pg_roles r ON r.oid = n.nspowner OR r.oid IN (SELECT c.relowner FROM pg_class c WHERE c.relnamespace = n.oid AND c.relkind IN ('r', 'p', 'v', 'm', 'f'))
	WHERE n.nspname = $1 AND r.rolname <> current_user AND NOT r.rolsuper
		AND NOT EXISTS (SELECT 1 FROM pg_default_acl d, aclexplode(d.defaclacl) a
			WHERE d.defaclrole = r.oid AND d.defaclnamespace IN (0, n.oid) AND d.defaclobjtype = 'r'
				AND a.grantee = (SELECT oid FROM pg_roles WHERE rolname = 'sit_reader') AND a.privilege_type = 'SELECT')
	ORDER BY 1`

// officeDefaults asks, of each other role that creates tables in a
// published schema, the default privilege that makes the tables it
// creates there later readable by the reader role, so that they are
// served within the catalog's poll without anyone granting them.
func (s *Store) officeDefaults(ctx context.Context, rep *PublishReport, schema string) error {
	rows, err := s.pool.Query(ctx, officeDefaultsSQL, schema)
	if err != nil {
		return fmt.Errorf("publish %s: the schema's roles: %w", schema, err)
	}
	owners, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return fmt.Errorf("publish %s: the schema's roles: %w", schema, err)
	}
	var me string
	if len(owners) > 0 {
		if me, err = s.role(ctx); err != nil {
			return fmt.Errorf("publish %s: %w", schema, err)
		}
	}
	for _, o := range owners {
		alter := "ALTER DEFAULT PRIVILEGES FOR ROLE " + pgx.Identifier{o}.Sanitize() + " IN SCHEMA " + pgx.Identifier{schema}.Sanitize()
		rep.Pending = append(rep.Pending, alter+" GRANT SELECT ON TABLES TO sit_reader; -- the tables "+o+" creates there later are served at once",
			alter+" GRANT SELECT, TRIGGER ON TABLES TO "+pgx.Identifier{me}.Sanitize()+
				"; -- and the next sit publish tracks them and keeps their tile copies (a table made again by ogr2ogr -overwrite too)")
	}
	return nil
}

// tryDDL runs one statement; when the role may not, the statement goes to
// the report for the relation's owner. It reports whether it ran.
func (s *Store) tryDDL(ctx context.Context, rep *PublishReport, sql string) bool {
	_, err := s.pool.Exec(ctx, sql)
	if err == nil {
		return true
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && (pgErr.Code == "42501" || pgErr.Code == "0LP01") {
		rep.Pending = append(rep.Pending, sql+";")
	} else {
		rep.Pending = append(rep.Pending, sql+"; -- "+err.Error())
	}
	return false
}
