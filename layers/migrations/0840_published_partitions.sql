-- Edits made directly on a partition of a published partitioned table
-- (issue 15): PostgreSQL fires statement-level triggers only on the
-- relation a statement names, so sit publish installs the trigger on every
-- partition too, and the trigger bumps the counter of the partition tree's
-- root (the published relation), whichever member it fires on.
CREATE OR REPLACE FUNCTION sit.published_changed() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    rel oid := coalesce(pg_partition_root(TG_RELID), TG_RELID);
BEGIN
    INSERT INTO sit.published_versions AS v (relid, version) VALUES (rel, 2)
    ON CONFLICT (relid) DO UPDATE SET version = v.version + 1, changed_at = now();
    PERFORM pg_notify('sit_layers', json_build_object('published', rel::bigint)::text);
    RETURN NULL;
END
$$;
