-- A published relation may play a role (cadastre, zones…): its kind says
-- which canonical columns it has (issue 15).
ALTER TABLE sit.published
    ADD COLUMN IF NOT EXISTS kind text NOT NULL DEFAULT 'generic',
    ADD COLUMN IF NOT EXISTS roles text[] NOT NULL DEFAULT '{}';
