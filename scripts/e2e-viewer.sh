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
# equal to /analytics/broadband; a 375 px phone; a PMTiles base map.
#
# Screenshots of failing steps go to artifacts/e2e-viewer/ (CI keeps
# artifacts/); SIT_E2E_SHOTS=DIR saves every screenshot. A missing tool
# skips the script locally and fails it when CI=true.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
start=$(date +%s)

fail() { echo "e2e-viewer: FAIL: $*" >&2; exit 1; }
need() {
  command -v "$1" >/dev/null 2>&1 && return 0
  if [ "${CI:-}" = true ]; then fail "$1 is not installed (scripts/setup.sh installs it)"; fi
  echo "e2e-viewer: SKIP: $1 is not installed" >&2
  exit 0
}
need go; need node; need npm; need python3; need curl
chromium=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$chromium" ]; then
  if [ "${CI:-}" = true ]; then fail "no Chromium at $chromium (scripts/setup.sh installs it; never a downloaded browser)"; fi
  echo "e2e-viewer: SKIP: no Chromium at $chromium" >&2
  exit 0
fi

if [ ! -d e2e/node_modules/playwright-core ]; then
  (cd e2e && npm ci --no-audit --no-fund --loglevel=error)
fi
export NODE_PATH="$root/e2e/node_modules${NODE_PATH:+:$NODE_PATH}"

# The viewer must be built before sit embeds it.
if [ ! -x web/node_modules/.bin/esbuild ]; then
  (cd web && npm ci --no-audit --no-fund --loglevel=error)
fi
(cd web && npm run build --silent >/dev/null)

work=$(mktemp -d /tmp/sit-e2e-viewer.XXXXXX)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  [ -x "$work/sit" ] && "$work/sit" db down --data-dir "$work/pg" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

go build -o "$work/sit" ./cmd/sit
sit() { "$work/sit" --data-dir "$work/pg" --log-level warn "$@"; }
sit demo --no-serve --parcels "${SIT_E2E_PARCELS:-5000}" >"$work/demo.log" 2>&1 || { cat "$work/demo.log" >&2; fail "sit demo"; }

# A base map the viewer reads with pmtiles.js (HTTP Range requests): the
# comuni exported as a small PMTiles archive, served under /pmtiles/.
mkdir -p "$work/pm"
sit export pmtiles --layers comuni_lu --maxzoom 10 "$work/pm/base.pmtiles" >/dev/null 2>&1 || fail "sit export pmtiles"

"$work/sit" --data-dir "$work/pg" serve --addr 127.0.0.1:0 --pmtiles-dir "$work/pm" --basemap /pmtiles/base.pmtiles >"$work/serve.log" 2>&1 &
server_pid=$!
base=""
for _ in $(seq 1 100); do
  base=$(sed -n 's/.*msg=serving url=\(http:[^ ]*\)\/ .*/\1/p' "$work/serve.log" | head -1)
  [ -n "$base" ] && break
  sleep 0.1
done
[ -n "$base" ] || { cat "$work/serve.log" >&2; fail "sit serve did not start"; }

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

node web/e2e/viewer.test.mjs --base "$base" --ref "$ref" --lon "$lon" --lat "$lat" \
  --artifacts "$root/artifacts/e2e-viewer" ${SIT_E2E_SHOTS:+--shots "$SIT_E2E_SHOTS"} --chromium "$chromium" >"$work/result.json" \
  || { cat "$work/result.json"; grep -i -E 'error|warn' "$work/serve.log" | tail -20 >&2 || true; fail "browser flows (screenshots in artifacts/e2e-viewer/)"; }
python3 - "$work/result.json" <<'EOF' >&2
import json, sys
d = json.load(open(sys.argv[1]))
t = d["timing"]
print("e2e-viewer: /map/ first idle %s ms (DOMContentLoaded %s ms, %s KiB transferred)" % (t.get("firstIdle"), t.get("domContentLoaded"), t.get("transferKiB")))
EOF
echo "e2e-viewer: all flows passed in $(( $(date +%s) - start )) s" >&2
