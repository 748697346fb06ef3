-- Layer history (issue 17): the versions of sit.layer_versions (0501)
-- become a history. Each version is valid from valid_from (its commit, or
-- the date the import says its data describe) until the next version's;
-- catalog keeps the catalog row as it was (columns, kind, title), so that
-- a question about a date reads that version's table with that version's
-- columns. Retention (Store.collect) keeps a configurable number of
-- versions or days, and always the versions an issued certificate
-- recorded (sit.pinned_versions).
-- Idempotent: a test may run the migrations after 0501 again.
ALTER TABLE sit.layer_versions ADD COLUMN IF NOT EXISTS valid_from timestamptz;
ALTER TABLE sit.layer_versions ADD COLUMN IF NOT EXISTS catalog jsonb;
UPDATE sit.layer_versions SET valid_from = created_at WHERE valid_from IS NULL;
UPDATE sit.layer_versions v SET catalog = to_jsonb(l) FROM sit.layers l
    WHERE v.catalog IS NULL AND l.name = v.layer AND l.version = v.version;
ALTER TABLE sit.layer_versions ALTER COLUMN valid_from SET DEFAULT clock_timestamp();
ALTER TABLE sit.layer_versions ALTER COLUMN valid_from SET NOT NULL;
CREATE INDEX IF NOT EXISTS layer_versions_valid_idx ON sit.layer_versions (layer, valid_from DESC);

-- The history as people read it: each version's interval [valid_from,
-- valid_to), whether its table is still there, and the certificates that
-- pin it.
CREATE OR REPLACE VIEW sit.pinned_versions AS
SELECT DISTINCT e.key AS layer, e.value::bigint AS version
FROM sit_auth.certificates c, jsonb_each_text(c.layer_versions) e;

CREATE OR REPLACE VIEW sit.layer_history AS
SELECT v.layer, v.version, v.table_name, v.import_id, v.feature_count, v.created_at, v.valid_from,
       lead(v.valid_from) OVER (PARTITION BY v.layer ORDER BY v.version) AS valid_to,
       v.retired_at, v.dropped_at,
       EXISTS (SELECT 1 FROM sit.pinned_versions p WHERE p.layer = v.layer AND p.version = v.version) AS pinned,
       i.source_name
FROM sit.layer_versions v LEFT JOIN sit.imports i ON i.id = v.import_id;

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'sit_reader') THEN
        GRANT SELECT ON sit.layer_history, sit.pinned_versions TO sit_reader;
    END IF;
END
$$;
