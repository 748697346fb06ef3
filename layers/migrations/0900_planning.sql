-- The planning register (issue 17): planning instruments and their acts,
-- the layers each one draws, the text of their rules (NTA) by article,
-- the admitted uses of their zones, and the zoning certificates issued
-- (certificato di destinazione urbanistica, DPR 380/2001 art. 30).
-- The package planning reads and writes these tables; the status of an
-- instrument at a date is derived from its acts, never stored.
-- Idempotent (IF NOT EXISTS): a test may run the migrations after 0501 again.

CREATE TABLE IF NOT EXISTS sit.plans (
    code            text PRIMARY KEY CHECK (code ~ '^[a-z0-9][a-z0-9_-]{0,47}$'),
    name            text NOT NULL CHECK (btrim(name) <> ''),
    -- PS piano strutturale, PO piano operativo, PRG piano regolatore
    -- generale, variant (variante), PA piano attuativo, other
    kind            text NOT NULL CHECK (kind IN ('PS', 'PO', 'PRG', 'variant', 'PA', 'other')),
    -- a variant amends its parent
    parent          text REFERENCES sit.plans (code) ON UPDATE CASCADE,
    description     text NOT NULL DEFAULT '',
    -- end of the safeguard measures of the adopted instrument when it is
    -- not adoption + 3 years (DPR 380/2001 art. 12 c. 3)
    safeguard_until date,
    created_at      timestamptz NOT NULL DEFAULT now(),
    CHECK (kind <> 'variant' OR parent IS NOT NULL),
    CHECK (parent IS NULL OR parent <> code)
);

CREATE TABLE IF NOT EXISTS sit.plan_acts (
    id          bigserial PRIMARY KEY,
    plan        text NOT NULL REFERENCES sit.plans (code) ON UPDATE CASCADE ON DELETE CASCADE,
    -- adoption (adozione), approval (approvazione), efficacy (the
    -- publication from which an approved plan is in force, e.g. on the
    -- BURT), expiry (decadenza, revoca, sostituzione)
    kind        text NOT NULL CHECK (kind IN ('adoption', 'approval', 'efficacy', 'expiry')),
    number      text NOT NULL DEFAULT '',
    date        date NOT NULL,
    -- who passed it: Consiglio comunale, Giunta…
    body        text NOT NULL DEFAULT '',
    title       text NOT NULL DEFAULT '',
    -- where it was published (BURT n. 32 del 11/08/2021)
    publication text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (plan, kind, number, date)
);
CREATE INDEX IF NOT EXISTS plan_acts_plan_idx ON sit.plan_acts (plan, date);

-- The layers that draw an instrument: its zones, its constraints. A layer
-- belongs to at most one instrument (its zones are that plan's).
CREATE TABLE IF NOT EXISTS sit.plan_layers (
    plan    text NOT NULL REFERENCES sit.plans (code) ON UPDATE CASCADE ON DELETE CASCADE,
    layer   text NOT NULL UNIQUE,
    role    text NOT NULL CHECK (role IN ('zoning', 'constraints')),
    PRIMARY KEY (plan, layer)
);

-- The rules' text, one version per import: a version is valid from its
-- valid_from until the next version's, so a report about a date quotes
-- the text in force then, and an issued certificate keeps quoting the
-- version it recorded.
CREATE TABLE IF NOT EXISTS sit.nta_versions (
    plan        text NOT NULL REFERENCES sit.plans (code) ON UPDATE CASCADE ON DELETE CASCADE,
    version     integer NOT NULL CHECK (version > 0),
    source_name text NOT NULL DEFAULT '',
    sha256      text NOT NULL DEFAULT '',
    imported_at timestamptz NOT NULL DEFAULT now(),
    valid_from  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (plan, version)
);

CREATE TABLE IF NOT EXISTS sit.nta_articles (
    plan        text NOT NULL,
    version     integer NOT NULL,
    -- "28", "28 bis": as the heading spells it
    number      text NOT NULL,
    ord         integer NOT NULL,
    title       text NOT NULL DEFAULT '',
    body        text NOT NULL,
    -- pages of the source PDF, when it was one
    page_from   integer,
    page_to     integer,
    PRIMARY KEY (plan, version, number),
    FOREIGN KEY (plan, version) REFERENCES sit.nta_versions (plan, version) ON UPDATE CASCADE ON DELETE CASCADE
);

-- Which articles rule which zone code of the plan, per NTA version.
CREATE TABLE IF NOT EXISTS sit.nta_zone_articles (
    plan        text NOT NULL,
    version     integer NOT NULL,
    zone_code   text NOT NULL,
    number      text NOT NULL,
    PRIMARY KEY (plan, version, zone_code, number),
    FOREIGN KEY (plan, version, number) REFERENCES sit.nta_articles (plan, version, number) ON UPDATE CASCADE ON DELETE CASCADE
);

-- The admitted uses of each zone (destinazioni d'uso, DPR 380/2001 art.
-- 23-ter), for the SUAP's question "may this activity be located here?".
CREATE TABLE IF NOT EXISTS sit.zone_uses (
    plan        text NOT NULL REFERENCES sit.plans (code) ON UPDATE CASCADE ON DELETE CASCADE,
    zone_code   text NOT NULL,
    use_code    text NOT NULL CHECK (use_code ~ '^[a-z0-9][a-z0-9_.-]*$'),
    use_label   text NOT NULL DEFAULT '',
    status      text NOT NULL CHECK (status IN ('admitted', 'excluded', 'conditional')),
    condition   text NOT NULL DEFAULT '',
    article     text NOT NULL DEFAULT '',
    PRIMARY KEY (plan, zone_code, use_code),
    CHECK (status <> 'conditional' OR btrim(condition) <> '')
);

-- The certificates issued (certificato di destinazione urbanistica). The
-- register names people (requesters), so it lives in sit_auth beside the
-- accounts, which the reader role cannot look into; the server adds to it
-- as sit_web and never changes or deletes an entry (append-only, like the
-- audit log). number is the register's within the year; protocol the
-- comune's protocol number. content is what the certificate said (the
-- report as JSON) and content_sha256 its digest; layer_versions and
-- nta_versions what it was computed from, so that /verify/{code}
-- recomputes it from the same data after any later import; pdf and
-- pdf_sha256 the document handed over.
CREATE TABLE IF NOT EXISTS sit_auth.certificates (
    id              bigserial PRIMARY KEY,
    code            text NOT NULL UNIQUE CHECK (code ~ '^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$'),
    year            integer NOT NULL,
    number          integer NOT NULL CHECK (number > 0),
    protocol        text NOT NULL UNIQUE CHECK (btrim(protocol) <> ''),
    comune          text NOT NULL DEFAULT '',
    issued_at       timestamptz NOT NULL,
    at_date         timestamptz NOT NULL,
    parcels         text[] NOT NULL CHECK (cardinality(parcels) > 0),
    requester       text NOT NULL CHECK (btrim(requester) <> ''),
    requester_id    text NOT NULL DEFAULT '',
    request_date    date,
    purpose         text NOT NULL CHECK (btrim(purpose) <> ''),
    stamp_id        text NOT NULL DEFAULT '',
    stamp_amount    numeric(8, 2),
    stamp_exemption text NOT NULL DEFAULT '',
    officer         text NOT NULL CHECK (btrim(officer) <> ''),
    officer_title   text NOT NULL DEFAULT '',
    issued_by       text NOT NULL DEFAULT '',
    layer_versions  jsonb NOT NULL,
    nta_versions    jsonb NOT NULL DEFAULT '{}',
    content         jsonb NOT NULL,
    content_sha256  text NOT NULL CHECK (content_sha256 ~ '^[0-9a-f]{64}$'),
    pdf             bytea NOT NULL,
    pdf_sha256      text NOT NULL CHECK (pdf_sha256 ~ '^[0-9a-f]{64}$'),
    software        text NOT NULL DEFAULT '',
    UNIQUE (year, number),
    -- a stamp is paid (id and amount) or the certificate is exempt
    CHECK ((stamp_id <> '' AND stamp_amount IS NOT NULL AND stamp_amount > 0) OR btrim(stamp_exemption) <> '')
);
CREATE INDEX IF NOT EXISTS certificates_issued_idx ON sit_auth.certificates (issued_at DESC);
CREATE INDEX IF NOT EXISTS certificates_parcels_idx ON sit_auth.certificates USING gin (parcels);
CREATE INDEX IF NOT EXISTS certificates_requester_idx ON sit_auth.certificates (lower(requester));

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'sit_web') THEN
        GRANT SELECT, INSERT ON sit_auth.certificates TO sit_web;
        GRANT USAGE ON SEQUENCE sit_auth.certificates_id_seq TO sit_web;
    END IF;
END
$$;
