-- The derived broadband columns agree with the vocabulary's Go rules
-- (domain.SpeedBand, domain.AreaClass, domain.AreaClassFromColour) on every
-- value, as layers' TestDerivedBroadbandSQLMatchesGo checks: an unknown
-- speed (negative, NaN, infinite) has no band and no class (0003 put a
-- negative speed in "<30" and NaN in ">=1000"), and the colour words
-- include "area nera/grigia/bianca" as Go reads them.
CREATE OR REPLACE FUNCTION sit.speed_band(mbps double precision) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE
        WHEN mbps IS NULL OR mbps < 0 OR mbps = 'NaN'::float8 OR mbps = 'Infinity'::float8 THEN NULL
        WHEN mbps < 30 THEN '<30'
        WHEN mbps < 100 THEN '30-100'
        WHEN mbps < 1000 THEN '100-1000'
        ELSE '>=1000'
    END
$$;

CREATE OR REPLACE FUNCTION sit.area_class(mbps double precision) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE
        WHEN mbps IS NULL OR mbps < 0 OR mbps = 'NaN'::float8 OR mbps = 'Infinity'::float8 THEN NULL
        WHEN mbps < 30 THEN 'white'
        WHEN mbps < 100 THEN 'grey'
        ELSE 'black'
    END
$$;

CREATE OR REPLACE FUNCTION sit.area_class_label(v text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE lower(btrim(coalesce(v, '')))
        WHEN 'n' THEN 'black' WHEN 'nera' THEN 'black' WHEN 'nero' THEN 'black' WHEN 'black' THEN 'black' WHEN 'area nera' THEN 'black'
        WHEN 'g' THEN 'grey' WHEN 'grigia' THEN 'grey' WHEN 'grigio' THEN 'grey' WHEN 'grey' THEN 'grey' WHEN 'gray' THEN 'grey' WHEN 'area grigia' THEN 'grey'
        WHEN 'b' THEN 'white' WHEN 'bianca' THEN 'white' WHEN 'bianco' THEN 'white' WHEN 'white' THEN 'white' WHEN 'area bianca' THEN 'white'
        ELSE NULL
    END
$$;
