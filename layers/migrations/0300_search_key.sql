-- Address search (package cadastre): a search key that ignores case,
-- accents and punctuation, and splits a house number from its letter
-- ("Via dell'Anfiteatro, 12/A" → "via dell anfiteatro 12 a"). The Go side
-- (cadastre.SearchKey) computes the same key for what the user types; a test
-- checks that the two agree. Upper-case accented letters are translated
-- before lower(), which only knows ASCII in a C-locale database.
CREATE FUNCTION sit.search_key(v text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
    SELECT btrim(regexp_replace(regexp_replace(regexp_replace(
        lower(translate(v,
            'àáâãäåèéêëìíîïòóôõöùúûüçñÀÁÂÃÄÅÈÉÊËÌÍÎÏÒÓÔÕÖÙÚÛÜÇÑ',
            'aaaaaaeeeeiiiiooooouuuucnaaaaaaeeeeiiiiooooouuuucn')),
        '[^a-z0-9]+', ' ', 'g'),
        '([0-9])([a-z])', '\1 \2', 'g'),
        ' +', ' ', 'g'))
$$;

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'sit_reader') THEN
        GRANT EXECUTE ON FUNCTION sit.search_key(text) TO sit_reader;
    END IF;
END
$$;
