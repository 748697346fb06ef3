-- Versioned tables (issue 11 item 7): each replace builds a new table
-- sit_versions.<layer>_v<N> and switches sit.layers.table_name to it in
-- the import's transaction. Readers query the table named by their
-- catalog snapshot, so a commit never waits for them nor they for it; old
-- tables are dropped later (Store.collect) once no reader can use them.
-- sit_data.<layer> becomes a view of the current version: the stable name
-- for people, desktop GIS and scripts.
DO $$ BEGIN IF to_regnamespace('sit_versions') IS NULL THEN CREATE SCHEMA sit_versions; END IF; END $$;

CREATE TABLE sit.layer_versions (
    layer         text NOT NULL,
    version       bigint NOT NULL,
    table_name    text NOT NULL,
    import_id     bigint,
    feature_count bigint NOT NULL DEFAULT 0,
    created_at    timestamptz NOT NULL DEFAULT now(),
    -- when a later version replaced it; NULL for the current one
    retired_at    timestamptz,
    -- when its table was dropped; the row stays, so that version numbers
    -- never repeat (tile ETags and caches key on them)
    dropped_at    timestamptz,
    PRIMARY KEY (layer, version)
);

DO $$
DECLARE r record; t text;
BEGIN
    FOR r IN SELECT name, table_name, version, feature_count FROM sit.layers LOOP
        t := r.name || '_v' || greatest(r.version, 1);
        IF to_regclass(format('sit_data.%I', r.table_name)) IS NOT NULL THEN
            EXECUTE format('ALTER TABLE sit_data.%I SET SCHEMA sit_versions', r.table_name);
            EXECUTE format('ALTER TABLE sit_versions.%I RENAME TO %I', r.table_name, t);
            EXECUTE format('CREATE VIEW sit_data.%I AS SELECT * FROM sit_versions.%I', r.name, t);
        END IF;
        UPDATE sit.layers SET table_name = t WHERE name = r.name;
        INSERT INTO sit.layer_versions (layer, version, table_name, feature_count) VALUES (r.name, r.version, t, r.feature_count);
    END LOOP;
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'sit_reader') THEN
        GRANT USAGE ON SCHEMA sit_versions TO sit_reader;
        GRANT SELECT ON ALL TABLES IN SCHEMA sit_versions, sit_data TO sit_reader;
        GRANT SELECT ON sit.layer_versions TO sit_reader;
        ALTER DEFAULT PRIVILEGES IN SCHEMA sit_versions GRANT SELECT ON TABLES TO sit_reader;
    END IF;
END
$$;
