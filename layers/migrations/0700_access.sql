-- Several comuni on one instance, layer visibility, accounts, sessions,
-- machine tokens, the audit log and upload jobs (README: Accounts, roles
-- and comuni).
--
-- sit.comuni is public branding (the reader serves it). Everything about
-- people and credentials lives in the schema sit_auth, which the reader
-- cannot even look into; the serving process writes it as sit_web, which
-- may change those tables and nothing else (no DDL, no layer data).
-- Idempotent: a test re-runs the migrations after 0501 on a database.

CREATE TABLE IF NOT EXISTS sit.comuni (
    slug            text PRIMARY KEY CHECK (slug ~ '^[a-z][a-z0-9-]{0,47}$'),
    name            text NOT NULL CHECK (name <> ''),
    belfiore        text NOT NULL DEFAULT '' CHECK (belfiore = '' OR belfiore ~ '^[A-Z][0-9]{3}$'),
    report_header   text NOT NULL DEFAULT '',
    -- lon, lat, zoom of the viewer's first view
    default_view    double precision[] CHECK (default_view IS NULL OR cardinality(default_view) = 3),
    coat_of_arms    bytea CHECK (coat_of_arms IS NULL OR octet_length(coat_of_arms) <= 262144),
    coat_of_arms_type text NOT NULL DEFAULT '' CHECK (coat_of_arms_type IN ('', 'image/png', 'image/svg+xml', 'image/jpeg', 'image/webp')),
    is_default      boolean NOT NULL DEFAULT false,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
-- At most one comune answers the URLs without /c/{comune}/.
CREATE UNIQUE INDEX IF NOT EXISTS comuni_one_default ON sit.comuni (is_default) WHERE is_default;

-- A layer belongs to one comune, or to none: province-wide layers
-- (boundaries, AGCOM) are shared by every comune. Existing layers stay
-- shared and public: an upgrade changes nothing anyone sees.
ALTER TABLE sit.layers
    ADD COLUMN IF NOT EXISTS comune text REFERENCES sit.comuni (slug) ON UPDATE CASCADE,
    ADD COLUMN IF NOT EXISTS visibility text NOT NULL DEFAULT 'public'
        CHECK (visibility IN ('public', 'professional', 'internal'));
CREATE INDEX IF NOT EXISTS layers_comune_idx ON sit.layers (comune);

CREATE SCHEMA IF NOT EXISTS sit_auth;

CREATE TABLE IF NOT EXISTS sit_auth.accounts (
    id              bigserial PRIMARY KEY,
    username        text NOT NULL CHECK (username ~ '^[a-z0-9][a-z0-9._@-]{0,63}$'),
    display_name    text NOT NULL DEFAULT '',
    email           text NOT NULL DEFAULT '',
    -- argon2id in the PHC string format; NULL for accounts that only log in
    -- through the identity provider
    password_hash   text,
    role            text NOT NULL CHECK (role IN ('professional', 'editor', 'admin')),
    -- NULL: every comune (the instance's administrators)
    comune          text REFERENCES sit.comuni (slug) ON UPDATE CASCADE,
    -- the layers an editor may import and edit
    layers          text[] NOT NULL DEFAULT '{}',
    oidc_issuer     text,
    oidc_subject    text,
    disabled        boolean NOT NULL DEFAULT false,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    last_login_at   timestamptz,
    UNIQUE (oidc_issuer, oidc_subject)
);
CREATE UNIQUE INDEX IF NOT EXISTS accounts_username_idx ON sit_auth.accounts (username);

CREATE TABLE IF NOT EXISTS sit_auth.sessions (
    -- SHA-256 of the cookie's value: a stolen table opens no session
    id              bytea PRIMARY KEY CHECK (octet_length(id) = 32),
    account_id      bigint NOT NULL REFERENCES sit_auth.accounts (id) ON DELETE CASCADE,
    csrf_token      text NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    last_seen_at    timestamptz NOT NULL DEFAULT now(),
    expires_at      timestamptz NOT NULL,
    remote_addr     text NOT NULL DEFAULT '',
    user_agent      text NOT NULL DEFAULT '',
    via             text NOT NULL DEFAULT 'password' CHECK (via IN ('password', 'oidc'))
);
CREATE INDEX IF NOT EXISTS sessions_account_idx ON sit_auth.sessions (account_id);
CREATE INDEX IF NOT EXISTS sessions_expires_idx ON sit_auth.sessions (expires_at);

CREATE TABLE IF NOT EXISTS sit_auth.tokens (
    id              bigserial PRIMARY KEY,
    name            text NOT NULL CHECK (name ~ '^[a-z0-9][a-z0-9._-]{0,63}$'),
    -- SHA-256 of the token; prefix is its first characters, to recognise it
    hash            bytea NOT NULL UNIQUE CHECK (octet_length(hash) = 32),
    prefix          text NOT NULL,
    role            text NOT NULL CHECK (role IN ('professional', 'editor', 'admin')),
    comune          text REFERENCES sit.comuni (slug) ON UPDATE CASCADE,
    layers          text[] NOT NULL DEFAULT '{}',
    created_by      text NOT NULL DEFAULT '',
    created_at      timestamptz NOT NULL DEFAULT now(),
    expires_at      timestamptz,
    revoked_at      timestamptz,
    last_used_at    timestamptz
);
-- A name is unique among the tokens in force; revoked ones keep theirs.
CREATE UNIQUE INDEX IF NOT EXISTS tokens_name_idx ON sit_auth.tokens (name) WHERE revoked_at IS NULL;

-- Failed logins per account name and per client address, shared by every
-- server instance.
CREATE TABLE IF NOT EXISTS sit_auth.throttle (
    key             text PRIMARY KEY,
    failures        integer NOT NULL DEFAULT 0,
    window_start    timestamptz NOT NULL DEFAULT now(),
    locked_until    timestamptz
);

-- OpenID Connect logins in progress: state (hashed), nonce, PKCE verifier.
CREATE TABLE IF NOT EXISTS sit_auth.oidc_flows (
    state_hash      bytea PRIMARY KEY,
    nonce           text NOT NULL,
    verifier        text NOT NULL,
    return_to       text NOT NULL DEFAULT '/',
    expires_at      timestamptz NOT NULL
);

-- Every administrative action: who, what, when, from where, with what result.
CREATE TABLE IF NOT EXISTS sit_auth.audit (
    id              bigserial PRIMARY KEY,
    at              timestamptz NOT NULL DEFAULT now(),
    actor           text NOT NULL,
    comune          text,
    action          text NOT NULL,
    target          text NOT NULL DEFAULT '',
    remote_addr     text NOT NULL DEFAULT '',
    result          text NOT NULL CHECK (result IN ('ok', 'denied', 'failed')),
    status          integer NOT NULL DEFAULT 0,
    detail          jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX IF NOT EXISTS audit_at_idx ON sit_auth.audit (at DESC);
CREATE INDEX IF NOT EXISTS audit_comune_idx ON sit_auth.audit (comune, at DESC);

-- Uploads imported in the background: progress, then the counts and the
-- rejected records. updated_at is the heartbeat of the process running it.
CREATE TABLE IF NOT EXISTS sit_auth.jobs (
    id              text PRIMARY KEY,
    actor           text NOT NULL,
    comune          text,
    source_name     text NOT NULL,
    size_bytes      bigint NOT NULL DEFAULT 0,
    status          text NOT NULL DEFAULT 'queued'
                    CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'interrupted')),
    state           jsonb NOT NULL DEFAULT '{}',
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    finished_at     timestamptz
);
CREATE INDEX IF NOT EXISTS jobs_created_idx ON sit_auth.jobs (created_at DESC);

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'sit_web') THEN
        RAISE NOTICE 'role sit_web missing: accounts and sessions need it (sit db up, or the script of sit db grants)';
        RETURN;
    END IF;
    GRANT USAGE ON SCHEMA sit_auth TO sit_web;
    GRANT SELECT, INSERT, UPDATE, DELETE ON sit_auth.accounts, sit_auth.sessions, sit_auth.tokens,
        sit_auth.throttle, sit_auth.oidc_flows, sit_auth.jobs TO sit_web;
    -- The audit log is append-only for the server.
    GRANT SELECT, INSERT ON sit_auth.audit TO sit_web;
    GRANT USAGE ON ALL SEQUENCES IN SCHEMA sit_auth TO sit_web;
END
$$;
