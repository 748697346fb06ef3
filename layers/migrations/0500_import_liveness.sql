-- Import history that is true at once (issue 11 item 6). An import holds a
-- session advisory lock keyed by its id on the connection that runs its
-- transaction, for as long as its process lives: a row still 'running'
-- whose lock nobody holds belongs to a dead process, whose transaction
-- rolled back. The phase is written outside the transaction as the import
-- moves on, so that it survives the rollback.
ALTER TABLE sit.imports ADD COLUMN phase text NOT NULL DEFAULT 'starting'
    CHECK (phase IN ('starting', 'staging', 'building', 'indexing', 'appending', 'committing', 'done'));

-- The lock's keys: (class 20759, import id) in the two-integer advisory
-- space, apart from the layer locks (hashtext('sit.import'), layer).
CREATE FUNCTION sit.hold_import_lock(import_id bigint) RETURNS void
LANGUAGE sql VOLATILE AS $$ SELECT pg_advisory_lock(20759, (import_id & 2147483647)::integer) $$;

CREATE FUNCTION sit.release_import_lock(import_id bigint) RETURNS boolean
LANGUAGE sql VOLATILE AS $$ SELECT pg_advisory_unlock(20759, (import_id & 2147483647)::integer) $$;

CREATE FUNCTION sit.import_alive(import_id bigint) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM pg_locks
        WHERE locktype = 'advisory' AND granted AND objsubid = 2
          AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
          AND classid = 20759 AND objid = (import_id & 2147483647)::oid)
$$;

-- The history as it is now: a dead import shows as interrupted, with the
-- phase it died in, before anyone closes its row.
CREATE VIEW sit.import_history AS
SELECT i.id, i.layer, i.source_name, i.format, i.sha256, i.source_size, i.mode, i.started_at, i.finished_at,
       CASE WHEN dead THEN 'interrupted' ELSE i.status END AS status, i.phase,
       i.read_count, i.loaded_count, i.rejected_count, i.repaired_count, i.errors,
       CASE WHEN dead THEN format('the importing process ended while %s; the previous version was kept', i.phase)
            ELSE i.message END AS message,
       i.version
FROM sit.imports i, LATERAL (SELECT i.status = 'running' AND NOT sit.import_alive(i.id) AS dead) d;

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'sit_reader') THEN
        GRANT SELECT ON sit.import_history TO sit_reader;
    END IF;
END
$$;
