-- Imports made of parts (issue 18): the members of the Agenzia delle
-- Entrate bulk download, one file per comune and layer. Each import of
-- such a layer records the parts its version is made of, with their
-- checksum, so that the next release reloads only the comuni whose file
-- changed and copies the others' rows as they are; the status says what
-- the import did with each: new, changed, reloaded (--replace),
-- unchanged (same checksum, rows copied) or kept (not in this import,
-- rows copied).
CREATE TABLE IF NOT EXISTS sit.import_parts (
    import_id bigint NOT NULL,
    layer     text NOT NULL,
    key       text NOT NULL,
    label     text NOT NULL DEFAULT '',
    path      text NOT NULL,
    sha256    text NOT NULL,
    bytes     bigint NOT NULL,
    status    text NOT NULL CHECK (status IN ('new', 'changed', 'reloaded', 'unchanged', 'kept')),
    PRIMARY KEY (import_id, key)
);
CREATE INDEX IF NOT EXISTS import_parts_layer ON sit.import_parts (layer, import_id);

-- The date the data of a version were published (a bulk download's
-- release), beside the date it was imported (created_at).
ALTER TABLE sit.layer_versions ADD COLUMN IF NOT EXISTS release_date date;

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'sit_reader') THEN
        GRANT SELECT ON sit.import_parts TO sit_reader;
    END IF;
END
$$;
