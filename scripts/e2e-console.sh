#!/usr/bin/env bash
# Browser end-to-end test of the office console (/console/): Debian's
# Chromium driven by playwright-core (e2e/node_modules, pinned) against a
# `sit serve --allow-uploads` of the shared fixture's database (the
# fixture's own server holds no owner credentials; this one is stopped at
# exit).
#
# The script builds a small zipped Shapefile with ogr2ogr (Latin-1
# attributes declared by a .cpg, one record without geometry, which the
# import rejects), makes an administrator and a professional account, and
# runs e2e/console.test.mjs: sign in, upload, progress, counts and rejects,
# the layer public on /collections and its tile cached, set to
# "professional" in the console, then gone for the public (collections,
# items, the cached tile, TileJSON) and there for the professional; the
# audit log; an administrator of the instance publishing the office's own
# table (made here as the owner) from the console and unpublishing it; a
# professional turned away from the console. At exit the layer, the
# office's schema and the accounts are removed. Screenshots of a failing step go to
# artifacts/e2e-console/ (SIT_E2E_SHOTS=DIR saves every step's). A missing
# tool skips the script locally and fails it when CI=true.
set -euo pipefail
. "$(dirname "$0")/lib/e2e.sh"
e2e_init console
start=$(date +%s)
e2e_chromium
e2e_need ogr2ogr
e2e_node_tools
e2e_fixture

layer=e2e_varianti
admin=e2e-console-admin
pro=e2e-console-pro
instance=e2e-console-instance
office=e2e_ufficio
# The default comune (the accounts' comune) and a point of its default view.
read -r comune lon lat <<<"$(sit comune list | awk 'NR > 1 { for (i = 2; i <= NF; i++) if ($i == "true") { split($(i + 1), v, ","); print $1, v[1], v[2]; exit } }')"
[ -n "${comune:-}" ] && [ -n "${lat:-}" ] || fail "no default comune with a default view (sit comune list)"
note "comune $comune, point $lon,$lat"

cleanup() {
  if [ -n "${upid:-}" ]; then kill "$upid" 2>/dev/null || true; wait "$upid" 2>/dev/null || true; fi
  sit layers rm "$layer" --yes >/dev/null 2>&1 || true
  sit user rm "$admin" >/dev/null 2>&1 || true
  sit user rm "$pro" >/dev/null 2>&1 || true
  sit user rm "$instance" >/dev/null 2>&1 || true
  sit publish --remove "$office" >/dev/null 2>&1 || true
  q "DROP SCHEMA IF EXISTS $office CASCADE" >/dev/null 2>&1 || true
}
e2e_on_exit cleanup

# The accounts (a password from /dev/urandom, given on stdin, never on a command line).
head -c 18 /dev/urandom | base64 | tr -d '/+=' >"$work/password"
for who in "$admin:admin" "$pro:professional"; do
  sit user add "${who%%:*}" --role "${who##*:}" --comune "$comune" --password-stdin <"$work/password" >/dev/null ||
    fail "sit user add ${who%%:*}"
done
# An administrator of the instance (no comune), who publishes the office's own table.
sit user add "$instance" --role admin --password-stdin <"$work/password" >/dev/null || fail "sit user add $instance"
q "CREATE SCHEMA $office; CREATE TABLE $office.strade (id int PRIMARY KEY, nome text, geom geometry(LineString, 4326));
  INSERT INTO $office.strade VALUES (1, 'via Fillungo', ST_SetSRID(ST_MakeLine(ST_MakePoint($lon, $lat), ST_MakePoint($lon + 0.001, $lat)), 4326)),
  (2, 'via Roma', ST_SetSRID(ST_MakeLine(ST_MakePoint($lon, $lat + 0.001), ST_MakePoint($lon + 0.001, $lat + 0.001)), 4326))" ||
  fail "the office's table"

# The file: two polygons in the middle of the fixture's area, one record
# without geometry; Latin-1 attributes, declared by the .cpg GDAL writes.
python3 - "$work/in.geojson" "$lon" "$lat" <<'PY'
import json, sys
lon, lat = float(sys.argv[2]), float(sys.argv[3])
def sq(x, y, d=0.004):
    return {"type": "Polygon", "coordinates": [[[x - d, y - d], [x + d, y - d], [x + d, y + d], [x - d, y + d], [x - d, y - d]]]}
feats = [
    {"type": "Feature", "properties": {"nome": "Città vecchia", "note": "perché sì"}, "geometry": sq(lon, lat)},
    {"type": "Feature", "properties": {"nome": "Sant'Alessio", "note": "più à"}, "geometry": sq(lon + 0.01, lat)},
    {"type": "Feature", "properties": {"nome": "Senza geometria", "note": "è vuota"}, "geometry": None},
]
json.dump({"type": "FeatureCollection", "features": feats}, open(sys.argv[1], "w"), ensure_ascii=False)
PY
mkdir -p "$work/shp"
ogr2ogr -f 'ESRI Shapefile' -lco ENCODING=ISO-8859-1 "$work/shp/varianti.shp" "$work/in.geojson" || fail "ogr2ogr"
[ "$(cat "$work/shp/varianti.cpg")" = ISO-8859-1 ] || fail "no Latin-1 .cpg: $(cat "$work/shp/varianti.cpg")"
grep -q "$(printf 'Citt\xe0')" "$work/shp/varianti.dbf" || fail "the .dbf is not Latin-1"
(cd "$work/shp" && python3 -c 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1], "w"); [z.write(f) for f in sys.argv[2:]]' \
  ../varianti.zip varianti.shp varianti.shx varianti.dbf varianti.prj varianti.cpg)

# A server that imports uploads, on the fixture's database.
# The background child opens the log itself: make it before polling it.
: >"$work/serve.log"
"$E2E_DIR/sit" --data-dir "$E2E_DIR/pg" --log-level info serve --addr 127.0.0.1:0 --allow-uploads --upload-dir "$work/uploads" \
  >"$work/serve.log" 2>&1 &
upid=$!
url=""
for _ in $(seq 1 600); do
  url=$(sed -n 's/.*msg=serving url=\(http:[^ ]*\)\/ .*/\1/p' "$work/serve.log" | head -1)
  [ -n "$url" ] && break
  kill -0 "$upid" 2>/dev/null || break
  sleep 0.1
done
[ -n "$url" ] || { cat "$work/serve.log" >&2; fail "sit serve --allow-uploads did not start"; }
note "console at $url/console/, tile at $lon,$lat"

node e2e/console.test.mjs --base "$url" --admin "$admin" --pro "$pro" --instance "$instance" --office "$office" --password-file "$work/password" \
  --zip "$work/varianti.zip" --layer "$layer" --lon "$lon" --lat "$lat" \
  --artifacts "$root/artifacts/e2e-console" ${SIT_E2E_SHOTS:+--shots "$SIT_E2E_SHOTS"} --chromium "$chromium" >"$work/result.json" ||
  { cat "$work/result.json"; grep -i -E 'level=(error|warn)' "$work/serve.log" | tail -20 >&2 || true; fail "console flow (screenshots in artifacts/e2e-console/)"; }
if grep -q "$(cat "$work/password")" "$work/serve.log"; then fail "the server logged a password"; fi
python3 - "$work/result.json" <<'PY' >&2
import json, sys
d = json.load(open(sys.argv[1]))
c = d["counts"]
print("e2e-console: job %s: %d read, %d loaded, %d rejected; states shown: %d" % (c["job"], c["read"], c["loaded"], c["rejected"], len(d["progress"])))
PY
echo "e2e-console: the console flow passed in $(( $(date +%s) - start )) s" >&2
