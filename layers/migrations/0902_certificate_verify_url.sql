-- Issued certificates (issue 17): the address of the verification page
-- printed and QR-coded on each, so that its PDF is rebuilt byte for byte
-- whatever the server's address later.
ALTER TABLE sit_auth.certificates ADD COLUMN IF NOT EXISTS verify_url text NOT NULL DEFAULT '';
