-- Who declared each published source (issue 15): the command line
-- ('cli'), the admin API ('api') or the configuration file's [[publish]]
-- tables ('config'). sit publish --from-config unpublishes only the
-- sources it declared itself and that the file no longer names; '' is a
-- source published before this was recorded (never unpublished by the
-- file, claimed by it when the file names it).
ALTER TABLE sit.published
    ADD COLUMN IF NOT EXISTS declared_by text NOT NULL DEFAULT '' CHECK (declared_by IN ('', 'cli', 'api', 'config'));
