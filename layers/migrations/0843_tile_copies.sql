-- Tile copies (issue 15): SIT's own Web Mercator copy of a published
-- table outside EPSG:3857, so that its cold tiles cost what an import's
-- do, without altering the office's table. sit_copies.t_<oid> holds the
-- table's key, its other non-geometry columns and ST_Transform(geom, 3857)
-- with a GiST index; statement-level triggers with transition tables keep
-- it exact in the editing transaction. Only tiles read it.
DO $$ BEGIN IF to_regnamespace('sit_copies') IS NULL THEN CREATE SCHEMA sit_copies; END IF; END $$;

-- tile_copy = false: the office does not want the copy (the storage, or
-- the triggers' cost on its writes); tiles transform the rows.
ALTER TABLE sit.published ADD COLUMN IF NOT EXISTS tile_copy boolean NOT NULL DEFAULT true;

-- One row per copy. state: 'ok' (exact, tiles read it), 'stale' (a
-- trigger could not keep it: a column dropped, a type changed…; tiles
-- transform the rows until it is rebuilt), 'failed' (the last build
-- failed: reason says why; retried when the table's columns change, or
-- after ten minutes). signature is sit.tile_copy_signature at the build.
CREATE TABLE IF NOT EXISTS sit.tile_copies (
    relid           oid PRIMARY KEY,
    key_column      text NOT NULL,
    geometry_column text NOT NULL,
    signature       text NOT NULL,
    state           text NOT NULL CHECK (state IN ('ok', 'stale', 'failed')),
    reason          text NOT NULL DEFAULT '',
    changed_at      timestamptz NOT NULL DEFAULT now()
);

-- The columns a copy mirrors, as one string: every non-geometry column
-- and the geometry column, with their types (a column added, dropped,
-- renamed or retyped, an SRID changed: another signature).
CREATE OR REPLACE FUNCTION sit.tile_copy_signature(rel oid, geom text) RETURNS text
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT md5(string_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod), ',' ORDER BY a.attnum))
    FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
    WHERE a.attrelid = rel AND a.attnum > 0 AND NOT a.attisdropped
        AND (t.typname NOT IN ('geometry', 'geography') OR a.attname = geom)
$$;

-- Why a table cannot have a copy ('' when it can): checked again by the
-- build, whoever asks for it (the reader role may, see below), so that a
-- copy never shows what the published table does not.
CREATE OR REPLACE FUNCTION sit.tile_copy_refusal(rel oid, geom text, key text) RETURNS text
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    c pg_class;
    srid integer;
BEGIN
    SELECT * INTO c FROM pg_class WHERE oid = rel;
    IF NOT FOUND OR c.relkind <> 'r' OR c.relispartition THEN
        RETURN 'not a plain table';
    END IF;
    IF c.relhassubclass THEN
        RETURN 'a table with inheritance children or partitions (edits through them would bypass the copy''s triggers)';
    END IF;
    IF c.relrowsecurity THEN
        RETURN 'row-level security is on (a copy would not apply its policies)';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM sit.published p JOIN pg_namespace n ON n.nspname = p.schema_name
            WHERE n.oid = c.relnamespace AND (p.relation = '' OR p.relation = c.relname)
            ORDER BY p.relation = '' LIMIT 1) THEN
        RETURN 'not published';
    END IF;
    IF NOT (SELECT p.tile_copy FROM sit.published p JOIN pg_namespace n ON n.nspname = p.schema_name
            WHERE n.oid = c.relnamespace AND (p.relation = '' OR p.relation = c.relname)
            ORDER BY p.relation = '' LIMIT 1) THEN
        RETURN 'tile_copy = false';
    END IF;
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'sit_reader') AND NOT has_table_privilege('sit_reader', rel, 'SELECT') THEN
        RETURN 'the reader role may not read the table';
    END IF;
    IF NOT has_table_privilege(rel, 'TRIGGER') OR NOT has_table_privilege(rel, 'SELECT') THEN
        RETURN 'SIT''s owner role has no TRIGGER or SELECT privilege on the table';
    END IF;
    -- The SRID from the column's type, geometry(MultiPolygon,3003), as
    -- the catalog prints it (PostGIS's functions are not on this path).
    SELECT substring(format_type(a.atttypid, a.atttypmod) FROM ',([0-9]+)\)$')::integer INTO srid
    FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
    WHERE a.attrelid = rel AND a.attname = geom AND NOT a.attisdropped AND t.typname = 'geometry';
    IF NOT FOUND OR srid IS NULL OR srid <= 0 OR srid = 3857 THEN
        RETURN 'no geometry column ' || quote_ident(geom) || ' with an SRID other than 3857';
    END IF;
    -- The office's own stored Web Mercator column, indexed, is as fast.
    IF EXISTS (SELECT 1 FROM pg_attribute a JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
            JOIN pg_type t ON t.oid = a.atttypid AND t.typname = 'geometry'
            JOIN pg_index i ON i.indrelid = rel AND i.indkey[0] = a.attnum AND i.indpred IS NULL
            WHERE a.attrelid = rel AND a.attgenerated = 's' AND NOT a.attisdropped
                AND pg_get_expr(d.adbin, d.adrelid) ~ ('^(?:[[:alnum:]_]+\.)?st_transform\(' || quote_ident(geom) || ', 3857\)$')) THEN
        RETURN 'a stored Web Mercator column';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
            WHERE i.indrelid = rel AND i.indnatts = 1 AND i.indisunique AND i.indpred IS NULL AND i.indexprs IS NULL
                AND a.attnotnull AND a.attname = key) THEN
        RETURN 'no unique NOT NULL key column ' || quote_ident(key);
    END IF;
    RETURN '';
END
$$;

-- The trigger function of one copy: statement-level, set-based, in the
-- editing transaction. An error (the table changed under the copy) never
-- fails the office's statement: the copy is marked stale (tiles fall back
-- to transforming the rows) and rebuilt by the next catalog pass.
CREATE OR REPLACE FUNCTION sit.tile_copy_trigger_sql(rel oid, geom text, key text, gis text) RETURNS text
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $sql$
DECLARE
    copy text := format('sit_copies.%I', 't_' || rel);
    cols text;
    vals text;
BEGIN
    SELECT string_agg(format('%I', a.attname), ', ' ORDER BY a.attnum),
        string_agg(CASE WHEN a.attname = geom THEN format('%I.st_transform(%I, 3857)', gis, a.attname) ELSE format('%I', a.attname) END, ', ' ORDER BY a.attnum)
    INTO cols, vals
    FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
    WHERE a.attrelid = rel AND a.attnum > 0 AND NOT a.attisdropped AND (t.typname NOT IN ('geometry', 'geography') OR a.attname = geom);
    RETURN format($f$CREATE OR REPLACE FUNCTION sit_copies.%I() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $body$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM sit.tile_copies WHERE relid = %s AND state = 'ok') THEN
        RETURN NULL;
    END IF;
    BEGIN
        IF TG_OP = 'TRUNCATE' THEN
            DELETE FROM %s;
        ELSIF TG_OP IN ('UPDATE', 'DELETE') THEN
            DELETE FROM %3$s c USING sit_old o WHERE c.%4$I = o.%4$I;
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
            INSERT INTO %3$s (%5$s) SELECT %6$s FROM sit_new;
        END IF;
    EXCEPTION WHEN OTHERS THEN
        UPDATE sit.tile_copies SET state = 'stale', reason = SQLERRM, changed_at = now() WHERE relid = %2$s;
    END;
    RETURN NULL;
EXCEPTION WHEN OTHERS THEN
    RAISE WARNING 'sit: tile copy of %% not kept: %%', TG_RELID::regclass, SQLERRM;
    RETURN NULL;
END
$body$$f$, 'f_' || rel, rel, copy, key, cols, vals);
END
$sql$;

-- (Re)builds the copy of a published table, in the caller's transaction:
-- the trigger function, the four triggers (CREATE OR REPLACE TRIGGER
-- takes SHARE ROW EXCLUSIVE on the table, so the office's writes wait
-- until the copy is filled and committed, and none is missed), the table,
-- its fill, its indexes. Returns '' when built, else why not (recorded as
-- 'failed'; 'busy' when another session builds it). SECURITY DEFINER: the catalog (the reader role) rebuilds a
-- copy it finds stale; it may only build copies of published tables it
-- reads. lock_timeout: a long office transaction on the table makes the
-- build give up (and retry later) rather than queue the office's writes.
CREATE OR REPLACE FUNCTION sit.tile_copy_build(rel oid, geom text, key text) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp SET lock_timeout = '2s' AS $$
DECLARE
    why text;
    gis text;
    copy text := format('sit_copies.%I', 't_' || rel);
    defs text;
    ev text;
BEGIN
    -- One build of a table at a time (every server's catalog may ask);
    -- another that finds the copy built has nothing to do.
    IF NOT pg_try_advisory_xact_lock(5117, (rel::bigint - 2147483648)::integer) THEN
        RETURN 'busy';
    END IF;
    IF EXISTS (SELECT 1 FROM sit.tile_copies c WHERE c.relid = rel AND c.state = 'ok' AND c.key_column = key
            AND c.geometry_column = geom AND c.signature = sit.tile_copy_signature(rel, geom))
        AND to_regclass(copy) IS NOT NULL
        AND (SELECT count(*) FROM pg_trigger WHERE tgrelid = rel AND tgname LIKE 'sit\_tile\_copy\_%') = 4 THEN
        RETURN '';
    END IF;
    why := sit.tile_copy_refusal(rel, geom, key);
    IF why = '' THEN
        BEGIN
            SELECT n.nspname INTO gis FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'postgis';
            EXECUTE sit.tile_copy_trigger_sql(rel, geom, key, gis);
            FOREACH ev IN ARRAY ARRAY['INSERT', 'UPDATE', 'DELETE', 'TRUNCATE'] LOOP
                EXECUTE format('CREATE OR REPLACE TRIGGER %I AFTER %s ON %s %s FOR EACH STATEMENT EXECUTE FUNCTION sit_copies.%I()',
                    'sit_tile_copy_' || lower(ev), ev, rel::regclass,
                    CASE ev WHEN 'INSERT' THEN 'REFERENCING NEW TABLE AS sit_new' WHEN 'UPDATE' THEN 'REFERENCING OLD TABLE AS sit_old NEW TABLE AS sit_new'
                        WHEN 'DELETE' THEN 'REFERENCING OLD TABLE AS sit_old' ELSE '' END, 'f_' || rel);
            END LOOP;
            SELECT string_agg(CASE WHEN a.attname = geom
                    THEN format('%I %s', a.attname, regexp_replace(format_type(a.atttypid, a.atttypmod), ',[0-9]+\)$', ',3857)'))
                    ELSE format('%I %s', a.attname, format_type(a.atttypid, a.atttypmod)) END, ', ' ORDER BY a.attnum)
            INTO defs
            FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
            WHERE a.attrelid = rel AND a.attnum > 0 AND NOT a.attisdropped AND (t.typname NOT IN ('geometry', 'geography') OR a.attname = geom);
            EXECUTE 'DROP TABLE IF EXISTS ' || copy;
            EXECUTE format('CREATE TABLE %s (%s)', copy, defs);
            -- Marked ok before the fill: the triggers of this transaction's
            -- own statements keep it (none here, but the order is the rule).
            INSERT INTO sit.tile_copies AS c (relid, key_column, geometry_column, signature, state, reason)
            VALUES (rel, key, geom, sit.tile_copy_signature(rel, geom), 'ok', '')
            ON CONFLICT (relid) DO UPDATE SET key_column = EXCLUDED.key_column, geometry_column = EXCLUDED.geometry_column,
                signature = EXCLUDED.signature, state = 'ok', reason = '', changed_at = now();
            EXECUTE format('INSERT INTO %s SELECT %s FROM ONLY %s', copy,
                (SELECT string_agg(CASE WHEN a.attname = geom THEN format('%I.st_transform(%I, 3857)', gis, a.attname) ELSE format('%I', a.attname) END,
                    ', ' ORDER BY a.attnum)
                FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
                WHERE a.attrelid = rel AND a.attnum > 0 AND NOT a.attisdropped AND (t.typname NOT IN ('geometry', 'geography') OR a.attname = geom)),
                rel::regclass);
            EXECUTE format('CREATE INDEX ON %s USING gist (%I)', copy, geom);
            EXECUTE format('CREATE INDEX ON %s (%I)', copy, key);
            EXECUTE 'ANALYZE ' || copy;
            IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'sit_reader') THEN
                EXECUTE 'GRANT SELECT ON ' || copy || ' TO sit_reader';
            END IF;
            PERFORM pg_notify('sit_layers', json_build_object('published', rel::bigint)::text);
            RETURN '';
        EXCEPTION WHEN OTHERS THEN
            why := SQLERRM;
        END;
    END IF;
    INSERT INTO sit.tile_copies AS c (relid, key_column, geometry_column, signature, state, reason)
    VALUES (rel, key, geom, coalesce(sit.tile_copy_signature(rel, geom), ''), 'failed', why)
    ON CONFLICT (relid) DO UPDATE SET key_column = EXCLUDED.key_column, geometry_column = EXCLUDED.geometry_column,
        signature = EXCLUDED.signature, state = 'failed', reason = why, changed_at = now();
    -- A failed copy is never read: drop what a previous build left.
    PERFORM sit.tile_copy_drop(rel, false);
    RETURN why;
END
$$;

-- Drops a copy: its table, and its triggers where SIT's owner may (DROP
-- TRIGGER needs the table's owner; a trigger left behind finds no 'ok'
-- row and returns at once). forget: its row goes too (unpublished).
CREATE OR REPLACE FUNCTION sit.tile_copy_drop(rel oid, forget boolean) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp SET lock_timeout = '2s' AS $$
DECLARE
    ev text;
    left_behind boolean := false;
BEGIN
    IF forget THEN
        DELETE FROM sit.tile_copies WHERE relid = rel;
    END IF;
    EXECUTE format('DROP TABLE IF EXISTS sit_copies.%I', 't_' || rel);
    IF EXISTS (SELECT 1 FROM pg_class WHERE oid = rel) THEN
        FOREACH ev IN ARRAY ARRAY['insert', 'update', 'delete', 'truncate'] LOOP
            BEGIN
                EXECUTE format('DROP TRIGGER IF EXISTS %I ON %s', 'sit_tile_copy_' || ev, rel::regclass);
            EXCEPTION WHEN OTHERS THEN
                left_behind := true;
            END;
        END LOOP;
    END IF;
    IF NOT left_behind THEN
        BEGIN
            EXECUTE format('DROP FUNCTION IF EXISTS sit_copies.%I()', 'f_' || rel);
        EXCEPTION WHEN dependent_objects_still_exist THEN
            -- A trigger still calls it (a restore under new oids, on a
            -- table SIT's owner may not drop triggers from): it stays, and
            -- returns at once (no 'ok' row of its oid).
            NULL;
        END;
    END IF;
END
$$;

-- Drops the copies of tables that are gone (dropped, or recreated under a
-- new oid by ogr2ogr -overwrite), unpublished or opted out. Returns how
-- many.
CREATE OR REPLACE FUNCTION sit.tile_copies_prune() RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp SET lock_timeout = '2s' AS $$
DECLARE
    r oid;
    n integer := 0;
BEGIN
    FOR r IN SELECT c.relid FROM sit.tile_copies c WHERE sit.tile_copy_refusal(c.relid, c.geometry_column, c.key_column)
            IN ('not a plain table', 'not published', 'tile_copy = false', 'a stored Web Mercator column') LOOP
        PERFORM sit.tile_copy_drop(r, true);
        n := n + 1;
    END LOOP;
    RETURN n;
END
$$;

REVOKE ALL ON FUNCTION sit.tile_copy_build(oid, text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION sit.tile_copy_drop(oid, boolean) FROM PUBLIC;
REVOKE ALL ON FUNCTION sit.tile_copies_prune() FROM PUBLIC;
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'sit_reader') THEN
        GRANT USAGE ON SCHEMA sit_copies TO sit_reader;
        GRANT SELECT ON sit.tile_copies TO sit_reader;
        GRANT EXECUTE ON FUNCTION sit.tile_copy_build(oid, text, text), sit.tile_copies_prune() TO sit_reader;
    END IF;
END
$$;
