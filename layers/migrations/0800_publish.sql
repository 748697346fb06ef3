-- Published sources (issue 15): relations and functions the office keeps
-- in its own schemas, served as they are, without an import.
--
-- sit.published says what is published: a whole schema (relation = '')
-- or one relation or function. Only what is listed here is ever served.
CREATE TABLE IF NOT EXISTS sit.published (
    schema_name     text NOT NULL,
    relation        text NOT NULL DEFAULT '',
    -- A unique column to use as the feature id where the catalog has no
    -- key (a view); '' uses the primary key or a unique NOT NULL column.
    key_column      text NOT NULL DEFAULT '',
    -- The geometry column of a relation with several ('' makes one
    -- collection per geometry column).
    geometry_column text NOT NULL DEFAULT '',
    visibility      text NOT NULL DEFAULT 'public' CHECK (visibility IN ('public', 'professional', 'internal')),
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (schema_name, relation)
);

-- The change counter of each tracked relation: bumped by a statement-level
-- trigger (installed by sit publish where the office allows it) in the
-- editing transaction, so a reader sees the new version exactly when it
-- sees the new rows.
CREATE TABLE IF NOT EXISTS sit.published_versions (
    relid      oid PRIMARY KEY,
    version    bigint NOT NULL DEFAULT 1,
    changed_at timestamptz NOT NULL DEFAULT now()
);

-- The trigger function: one row update and one notification per
-- statement (not per row), whatever the statement touched. The
-- notification's payload is the same for every statement of a transaction
-- on the table, so PostgreSQL folds them into one, delivered at commit.
-- SECURITY DEFINER: the office's editors need no right on schema sit.
CREATE OR REPLACE FUNCTION sit.published_changed() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    INSERT INTO sit.published_versions AS v (relid, version) VALUES (TG_RELID, 2)
    ON CONFLICT (relid) DO UPDATE SET version = v.version + 1, changed_at = now();
    PERFORM pg_notify('sit_layers', json_build_object('published', TG_RELID::bigint)::text);
    RETURN NULL;
END
$$;

-- The extent of a geometry column from the planner's statistics (no
-- scan), in longitude/latitude; NULL when there are none (never analysed,
-- a view).
CREATE OR REPLACE FUNCTION sit.published_extent(s text, r text, g text, srid integer) RETURNS float8[]
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    b box2d;
    e geometry;
BEGIN
    BEGIN
        b := ST_EstimatedExtent(s, r, g);
    EXCEPTION WHEN OTHERS THEN
        RETURN NULL;
    END;
    IF b IS NULL THEN
        RETURN NULL;
    END IF;
    e := ST_Transform(ST_SetSRID(b::geometry, srid), 4326);
    RETURN ARRAY[ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e)];
EXCEPTION WHEN OTHERS THEN
    RETURN NULL;
END
$$;

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'sit_reader') THEN
        GRANT SELECT ON sit.published, sit.published_versions TO sit_reader;
        GRANT EXECUTE ON FUNCTION sit.published_extent(text, text, text, integer) TO sit_reader;
    END IF;
END
$$;
