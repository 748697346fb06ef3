-- Derived broadband columns (DESIGN §3), documented in the README:
-- speed_band: the download speed class of the Italian and EU targets,
--   [0,30) "<30", [30,100) "30-100", [100,1000) "100-1000", [1000,∞) ">=1000".
-- area_class: the source's own classification when it has one (Infratel colour
--   n/g/blank = black/grey/white); otherwise derived from the speed: white below
--   30 Mbit/s (no NGA network), grey from 30 to 100, black from 100 up.
CREATE FUNCTION sit.speed_band(mbps double precision) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE
        WHEN mbps IS NULL THEN NULL
        WHEN mbps < 30 THEN '<30'
        WHEN mbps < 100 THEN '30-100'
        WHEN mbps < 1000 THEN '100-1000'
        ELSE '>=1000'
    END
$$;

CREATE FUNCTION sit.area_class(mbps double precision) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE
        WHEN mbps IS NULL THEN NULL
        WHEN mbps < 30 THEN 'white'
        WHEN mbps < 100 THEN 'grey'
        ELSE 'black'
    END
$$;

CREATE FUNCTION sit.area_class_label(v text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE lower(btrim(coalesce(v, '')))
        WHEN 'n' THEN 'black' WHEN 'nera' THEN 'black' WHEN 'nero' THEN 'black' WHEN 'black' THEN 'black'
        WHEN 'g' THEN 'grey' WHEN 'grigia' THEN 'grey' WHEN 'grigio' THEN 'grey' WHEN 'grey' THEN 'grey' WHEN 'gray' THEN 'grey'
        WHEN 'b' THEN 'white' WHEN 'bianca' THEN 'white' WHEN 'bianco' THEN 'white' WHEN 'white' THEN 'white'
        ELSE NULL
    END
$$;
