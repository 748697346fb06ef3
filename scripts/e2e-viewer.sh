#!/usr/bin/env bash
# Browser end-to-end tests of the map viewer (/map/): Debian's Chromium
# driven by playwright-core (e2e/node_modules, pinned), WebGL through
# SwiftShader, against `sit serve` of a throwaway demo database.
#
# Flows (web/e2e/viewer.test.mjs): the map renders the layers (pixels
# sampled, no console errors); layer toggle and opacity; search a parcel by
# reference with the keyboard → zoom + highlight; click inside it → foglio,
# particella and the report's zones; the report in the panel and the PDF
# download (%PDF); the view kept in the URL hash; the digital-divide table
# equal to /analytics/broadband; a 375 px phone; a PMTiles base map; a
# table of the office's own (EPSG:3003, published with sit publish) in the
# layer list, drawn (rendered features) and answering a click.
#
# Runs against the shared fixture of scripts/lib/e2e.sh (the demo data and
# one `sit serve` with the comuni as a PMTiles base map), by scripts/e2e.sh
# or alone (it then builds the fixture). Screenshots of failing steps go to
# artifacts/e2e-viewer/ (CI keeps artifacts/); SIT_E2E_SHOTS=DIR saves every
# screenshot. A missing tool skips the script locally and fails it when CI=true.
set -euo pipefail
. "$(dirname "$0")/lib/e2e.sh"
e2e_init viewer
start=$(date +%s)
e2e_chromium
e2e_node_tools
e2e_fixture # sit embeds the committed viewer bundle; serves a PMTiles base map

# The parcel to look for: foglio 37 particella 125 when the dataset has it,
# else the first particella of foglio 37 (else of any foglio) that has a
# zoning zone; and a point inside it (the report's centroid is inside a
# convex parcel; the parcel lookup by point confirms it).
pick=$(python3 - "$base" <<'EOF'
import json, sys, urllib.parse, urllib.request
base = sys.argv[1]
def get(path):
    try:
        with urllib.request.urlopen(base + path) as r:
            return json.load(r)
    except Exception:
        return None
cands = []
for q in ("37/125", "37/1", "1/1"):
    sg = get("/parcels/suggest?limit=20&q=" + urllib.parse.quote(q)) or {}
    cands += [s["ref"] for s in sg.get("suggestions", []) if s.get("kind") == "parcel"]
for ref in cands:
    rep = get("/reports/zoning?f=json&parcel=" + urllib.parse.quote(ref))
    if not rep or not rep["parcels"][0]["zoning"]:
        continue
    lon, lat = rep["parcels"][0]["centroid"]
    at = get("/parcels/at?lon=%.7f&lat=%.7f" % (lon, lat))
    if at and at.get("id") == ref:
        print(ref, "%.7f" % lon, "%.7f" % lat)
        break
EOF
)
[ -n "$pick" ] || fail "no parcel with a zoning zone found through /parcels/suggest and /reports/zoning"
read -r ref lon lat <<<"$pick"
echo "e2e-viewer: parcel $ref, click at $lon,$lat; server $base" >&2

# The office's own table, published as it is: Gauss-Boaga (EPSG:3003), no
# Web Mercator column (tiles read SIT's tile copy), two building sites north
# of the parcel. Removed at exit: the other scripts share the server.
office=e2e_pubview
published=$office.cantieri
e2e_on_exit "sit publish --remove $office >/dev/null 2>&1 || true; q 'DROP SCHEMA IF EXISTS $office CASCADE' >/dev/null 2>&1 || true"
q "CREATE SCHEMA $office; CREATE TABLE $published (id int PRIMARY KEY, ditta text NOT NULL, geom geometry(Polygon, 3003));
  COMMENT ON TABLE $published IS 'Cantieri aperti';
  INSERT INTO $published SELECT i, d, ST_Transform(ST_MakeEnvelope($lon + 0.0012 * i, $lat + 0.004, $lon + 0.0012 * i + 0.001, $lat + 0.005, 4326), 3003)
    FROM (VALUES (0, 'Edil Serchio'), (1, 'Lavori Lucchesi')) v(i, d); ANALYZE $published" || fail "the office's table"
sit publish "$office" >/dev/null || fail "sit publish $office"
for _ in $(seq 1 300); do
  curl -sf "$base/layers" | grep -q "\"$published\"" && break
  sleep 0.1
done
curl -sf "$base/layers" | grep -q "\"$published\"" || fail "the server does not list $published"

node web/e2e/viewer.test.mjs --base "$base" --ref "$ref" --lon "$lon" --lat "$lat" --published "$published" \
  --artifacts "$root/artifacts/e2e-viewer" ${SIT_E2E_SHOTS:+--shots "$SIT_E2E_SHOTS"} --chromium "$chromium" >"$work/result.json" \
  || { cat "$work/result.json"; grep -i -E 'level=(error|warn)' "$serve_log" | tail -20 >&2 || true; fail "browser flows (screenshots in artifacts/e2e-viewer/)"; }
python3 - "$work/result.json" <<'EOF' >&2
import json, sys
d = json.load(open(sys.argv[1]))
t = d["timing"]
print("e2e-viewer: /map/ first idle %s ms (DOMContentLoaded %s ms, %s KiB transferred)" % (t.get("firstIdle"), t.get("domContentLoaded"), t.get("transferKiB")))
EOF
echo "e2e-viewer: all flows passed in $(( $(date +%s) - start )) s" >&2
