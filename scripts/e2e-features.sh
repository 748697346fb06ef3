#!/usr/bin/env bash
# End-to-end checks of OGC API Features with real clients: GDAL's OAPIF
# driver (ogrinfo -so counts from numberMatched, extent, fields; ogr2ogr full
# copy to GeoPackage; -spat → bbox; -where → a cql-text filter), @camptocamp/ogc-client,
# @placemarkio/check-geojson, swagger-parser and redocly on /api; counts
# checked against PostGIS through psql.
#
# Runs against the shared fixture of scripts/lib/e2e.sh (the demo data and
# one `sit serve`), by scripts/e2e.sh or alone (it then builds the fixture).
# A missing tool skips the script locally and fails it when CI=true.
set -euo pipefail
. "$(dirname "$0")/lib/e2e.sh"
e2e_init features
e2e_need ogrinfo ogr2ogr
e2e_node_tools
e2e_need redocly
e2e_fixture

cad=$(q "SELECT name FROM sit.layers WHERE kind = 'cadastral' AND $served ORDER BY name LIMIT 1")
[ -n "$cad" ] || fail "no cadastral layer in the demo"
small=$(q "SELECT name FROM sit.layers WHERE feature_count BETWEEN 20 AND 3000 AND $served ORDER BY feature_count DESC LIMIT 1")
[ -n "$small" ] || fail "no small layer in the demo"
n=$(q "SELECT count(*) FROM sit_data.$cad")

# 1. ogrinfo -so: count from numberMatched (no paging), extent, fields.
before=$(requests "/collections/$cad/items")
ogrinfo -ro -so "OAPIF:$base" "$cad" >"$work/ogrinfo.txt" 2>&1 || { cat "$work/ogrinfo.txt" >&2; fail "ogrinfo -so"; }
grep -q "^Feature Count: $n\$" "$work/ogrinfo.txt" || { cat "$work/ogrinfo.txt" >&2; fail "ogrinfo count, want $n"; }
grep -q "^Extent: (10\.[0-9]*, 43\.[0-9]*) - (10\.[0-9]*, 43\.[0-9]*)" "$work/ogrinfo.txt" || { cat "$work/ogrinfo.txt" >&2; fail "ogrinfo extent"; }
for field in foglio particella area_m2; do
  grep -q "^$field: " "$work/ogrinfo.txt" || { cat "$work/ogrinfo.txt" >&2; fail "ogrinfo lacks field $field"; }
done
sent=$(( $(requests "/collections/$cad/items") - before ))
[ "$sent" -le 2 ] || fail "ogrinfo -so sent $sent items requests: it paged to count"
ok "ogrinfo -so $cad: $n features from numberMatched ($sent items request), extent and fields"

# 2. ogr2ogr full copies: the big layer with large pages, a small one with GDAL's defaults.
ogr2ogr -f GPKG "$work/cad.gpkg" "OAPIF:$base" "$cad" -oo PAGE_SIZE=1000 2>"$work/ogr2ogr.err" || { cat "$work/ogr2ogr.err" >&2; fail "ogr2ogr $cad"; }
got=$(ogrinfo -ro -so "$work/cad.gpkg" "$cad" | sed -n 's/^Feature Count: //p')
[ "$got" = "$n" ] || fail "ogr2ogr copied $got of $n features of $cad"
ns=$(q "SELECT count(*) FROM sit_data.$small")
ogr2ogr -f GPKG "$work/small.gpkg" "OAPIF:$base" "$small" 2>"$work/ogr2ogr2.err" || { cat "$work/ogr2ogr2.err" >&2; fail "ogr2ogr $small"; }
got=$(ogrinfo -ro -so "$work/small.gpkg" "$small" | sed -n 's/^Feature Count: //p')
[ "$got" = "$ns" ] || fail "ogr2ogr copied $got of $ns features of $small"
ok "ogr2ogr -f GPKG: $n/$n features of $cad, $ns/$ns of $small (default page size, next links)"

# 3. -spat reaches the server as bbox; same count as PostGIS.
read -r x0 y0 x1 y1 < <(q "SELECT ST_X(c) - 0.003, ST_Y(c) - 0.002, ST_X(c) + 0.003, ST_Y(c) + 0.002 FROM (SELECT ST_Centroid(ST_Extent(geom)) c FROM sit_data.$cad) s")
want=$(q "SELECT count(*) FROM sit_data.$cad WHERE ST_Intersects(geom, ST_MakeEnvelope($x0, $y0, $x1, $y1, 4326))")
# CPL_CURL_VERBOSE prints the requests GDAL sends.
got=$(ogrinfo --config CPL_CURL_VERBOSE YES -ro -al -so -spat "$x0" "$y0" "$x1" "$y1" "OAPIF:$base" "$cad" -oo PAGE_SIZE=1000 2>"$work/spat.err" | sed -n 's/^Feature Count: //p')
[ "$got" = "$want" ] || fail "-spat: $got features, PostGIS says $want"
grep -q "GET /collections/$cad/items?.*bbox=" "$work/spat.err" || { grep "GET " "$work/spat.err" >&2; fail "-spat did not reach the server as bbox"; }
ok "ogrinfo -spat: $got features = PostGIS, sent as bbox"

# 4. -where reaches the server (a CQL2 filter, or a queryable parameter).
foglio=$(q "SELECT foglio FROM sit_data.$cad GROUP BY foglio ORDER BY count(*) DESC LIMIT 1")
want=$(q "SELECT count(*) FROM sit_data.$cad WHERE foglio = '$foglio'")
got=$(ogrinfo --config CPL_CURL_VERBOSE YES -ro -al -so -where "foglio = '$foglio'" "OAPIF:$base" "$cad" 2>"$work/where.err" | sed -n 's/^Feature Count: //p')
[ "$got" = "$want" ] || fail "-where foglio = '$foglio': $got features, PostGIS says $want"
grep -Eq "GET /collections/$cad/items\?.*(foglio=$foglio|filter=foglio%20%3D%20'$foglio'&filter-lang=cql-text)" "$work/where.err" || { grep "GET " "$work/where.err" >&2; fail "-where did not reach the server"; }
ok "ogrinfo -where \"foglio = '$foglio'\": $got features, sent to the server (GDAL 3.6 writes it as a cql-text filter)"

# 5. Web clients and validators.
node query/testdata/clients/features.mjs "$base" "$cad" foglio || fail "web clients"
curl -fsS -H 'Accept: application/vnd.oai.openapi+json;version=3.0' "$base/api" >"$work/openapi.json"
redocly lint --extends=minimal --format=stylish "$work/openapi.json" >"$work/redocly.txt" 2>&1 || { cat "$work/redocly.txt" >&2; fail "redocly lint"; }
ok "redocly lint --extends=minimal: /api passes"
# Whole pages to files: `curl | grep -q` fails under pipefail when grep stops reading early.
curl -fsS -o "$work/api.html" "$base/api.html" && grep -q "/collections/{collectionId}/items" "$work/api.html" || fail "/api.html"
curl -fsS -o "$work/items.html" -H 'Accept: text/html' "$base/collections/$cad/items?limit=5" && grep -q "<svg" "$work/items.html" || fail "HTML items page has no map"
ok "all OGC API Features checks passed"
