-- SIT catalog: the layers and the history of their imports (DESIGN §3).
CREATE SCHEMA IF NOT EXISTS sit;
CREATE SCHEMA IF NOT EXISTS sit_data;

CREATE TABLE sit.layers (
    name            text PRIMARY KEY CHECK (name ~ '^[a-z][a-z0-9_]{0,47}$'),
    title           text NOT NULL DEFAULT '',
    description     text NOT NULL DEFAULT '',
    attribution     text NOT NULL DEFAULT '',
    kind            text NOT NULL DEFAULT 'generic'
                    CHECK (kind IN ('cadastral','zoning','constraint','broadband','boundary','address','generic')),
    table_name      text NOT NULL UNIQUE,
    geometry_type   text NOT NULL DEFAULT 'Geometry',
    source_srid     integer NOT NULL DEFAULT 4326,
    fid_type        text NOT NULL DEFAULT 'integer' CHECK (fid_type IN ('integer','text')),
    version         bigint NOT NULL DEFAULT 0,
    feature_count   bigint NOT NULL DEFAULT 0,
    extent          double precision[] CHECK (extent IS NULL OR cardinality(extent) = 4),
    properties      jsonb NOT NULL DEFAULT '[]',
    temporal_property text,
    temporal_extent timestamptz[] CHECK (temporal_extent IS NULL OR cardinality(temporal_extent) = 2),
    min_zoom        integer NOT NULL DEFAULT 0 CHECK (min_zoom BETWEEN 0 AND 24),
    max_zoom        integer NOT NULL DEFAULT 22 CHECK (max_zoom BETWEEN 0 AND 24),
    style           jsonb,
    roles           text[] NOT NULL DEFAULT '{}',
    synthetic       boolean NOT NULL DEFAULT false,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE sit.imports (
    id              bigserial PRIMARY KEY,
    layer           text NOT NULL,
    source_name     text NOT NULL,
    format          text NOT NULL DEFAULT '',
    sha256          text NOT NULL DEFAULT '',
    source_size     bigint NOT NULL DEFAULT 0,
    mode            text NOT NULL DEFAULT 'replace' CHECK (mode IN ('replace','append')),
    started_at      timestamptz NOT NULL DEFAULT now(),
    finished_at     timestamptz,
    status          text NOT NULL DEFAULT 'running'
                    CHECK (status IN ('running','succeeded','failed','interrupted')),
    read_count      bigint NOT NULL DEFAULT 0,
    loaded_count    bigint NOT NULL DEFAULT 0,
    rejected_count  bigint NOT NULL DEFAULT 0,
    repaired_count  bigint NOT NULL DEFAULT 0,
    errors          jsonb NOT NULL DEFAULT '[]',
    message         text NOT NULL DEFAULT '',
    version         bigint,
    backend_pid     integer
);
CREATE INDEX imports_layer_idx ON sit.imports (layer, started_at DESC);

-- Parsing helpers used by the loader's casts: the loader has already
-- checked the values, these only read the accepted spellings.
CREATE FUNCTION sit.to_double(v text) RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE
        WHEN v IS NULL OR btrim(v) = '' THEN NULL
        -- Italian: 1.234,5 or 12,5
        WHEN v ~ '^\s*[+-]?[0-9]{1,3}(\.[0-9]{3})+,[0-9]+\s*$' THEN replace(replace(btrim(v), '.', ''), ',', '.')::double precision
        WHEN v ~ '^\s*[+-]?[0-9]+,[0-9]+\s*$' THEN replace(btrim(v), ',', '.')::double precision
        ELSE btrim(v)::double precision
    END
$$;
