-- The serving role reads only. Creating it needs CREATEROLE; with a
-- database URL that lacks it, the grants are skipped with a notice.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'sit_reader') THEN
        BEGIN
            CREATE ROLE sit_reader NOLOGIN;
        EXCEPTION WHEN insufficient_privilege THEN
            RAISE NOTICE 'cannot create role sit_reader: the server will read with the connecting role';
            RETURN;
        END;
    END IF;
    GRANT USAGE ON SCHEMA sit, sit_data TO sit_reader;
    GRANT SELECT ON ALL TABLES IN SCHEMA sit, sit_data TO sit_reader;
    ALTER DEFAULT PRIVILEGES IN SCHEMA sit GRANT SELECT ON TABLES TO sit_reader;
    ALTER DEFAULT PRIVILEGES IN SCHEMA sit_data GRANT SELECT ON TABLES TO sit_reader;
    GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA sit TO sit_reader;
END
$$;
