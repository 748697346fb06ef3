-- Tables created, and partitions attached, in a published schema after
-- sit publish ran (issue 15). An event trigger needs a superuser: sit
-- publish creates sit_published_ddl on this function only when it runs as
-- one (this function is then a superuser's, as the migrations that made
-- it ran as that role); otherwise nothing calls it and the 2 s poll, the
-- notes of sit publish --list and a re-run of sit publish do the work.
--
-- At the end of each DDL command on a relation of a schema published as a
-- whole, or on a partition of a published table: the reader role may read
-- it and each table of it (partitions too) gets the change trigger; then
-- every server re-reads its catalog. An error is only a warning: the
-- office's own DDL must never fail because of SIT.
CREATE OR REPLACE FUNCTION sit.published_ddl() RETURNS event_trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    c record;
    t regclass;
    seen boolean := false;
BEGIN
    -- Only the commands that make or change relations: never GRANT or
    -- CREATE TRIGGER, which this function runs itself.
    FOR c IN SELECT DISTINCT e.objid, k.relkind, k.relispartition,
            EXISTS (SELECT 1 FROM pg_attribute a JOIN pg_type ty ON ty.oid = a.atttypid
                WHERE a.attrelid = e.objid AND a.attnum > 0 AND NOT a.attisdropped AND ty.typname = 'geometry') AS geo
        FROM pg_event_trigger_ddl_commands() e
        JOIN pg_class k ON k.oid = e.objid AND k.relkind IN ('r', 'p', 'v', 'm', 'f')
        WHERE e.classid = 'pg_class'::regclass
            AND e.command_tag IN ('CREATE TABLE', 'CREATE TABLE AS', 'SELECT INTO', 'ALTER TABLE', 'CREATE VIEW',
                'CREATE MATERIALIZED VIEW', 'CREATE FOREIGN TABLE')
            AND EXISTS (SELECT 1 FROM sit.published p JOIN pg_class r ON r.oid = coalesce(pg_partition_root(e.objid), e.objid)
                JOIN pg_namespace n ON n.oid = r.relnamespace
                WHERE p.schema_name = n.nspname AND (p.relation = '' OR p.relation = r.relname))
    LOOP
        seen := true;
        BEGIN
            IF c.geo AND NOT c.relispartition THEN
                EXECUTE format('GRANT SELECT ON %s TO sit_reader', c.objid::regclass);
            END IF;
            IF c.relkind IN ('r', 'p') AND (c.geo OR c.relispartition) THEN
                FOR t IN SELECT u.relid::regclass FROM (SELECT c.objid AS relid UNION SELECT relid FROM pg_partition_tree(c.objid)) u
                    JOIN pg_class k ON k.oid = u.relid AND k.relkind IN ('r', 'p')
                    WHERE NOT EXISTS (SELECT 1 FROM pg_trigger g WHERE g.tgrelid = u.relid AND g.tgname = 'sit_published_changed')
                LOOP
                    EXECUTE format('CREATE TRIGGER sit_published_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %s '
                        'FOR EACH STATEMENT EXECUTE FUNCTION sit.published_changed()', t);
                END LOOP;
                -- A partition attached brings rows no trigger saw.
                INSERT INTO sit.published_versions AS v (relid, version) VALUES (coalesce(pg_partition_root(c.objid), c.objid), 2)
                ON CONFLICT (relid) DO UPDATE SET version = v.version + 1, changed_at = now();
            END IF;
        EXCEPTION WHEN OTHERS THEN
            RAISE WARNING 'sit: % is not tracked: %', c.objid::regclass, SQLERRM;
        END;
    END LOOP;
    IF seen THEN
        PERFORM pg_notify('sit_layers', json_build_object('published', 'ddl')::text);
    END IF;
EXCEPTION WHEN OTHERS THEN
    -- sit.published gone (a restore in progress), or anything else.
    RAISE WARNING 'sit: published sources not updated: %', SQLERRM;
END
$$;
