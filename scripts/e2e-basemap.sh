#!/usr/bin/env bash
# Browser checks of the demo's base map (street names, house numbers, foglio
# labels, drawn from the catalog's own layers) and of the OGC API pages' map:
# Debian's Chromium driven by playwright-core (e2e/node_modules, pinned),
# WebGL through SwiftShader, against the shared fixture's `sit serve`.
#
# Flows (web/e2e/basemap.test.mjs): the viewer at z17 over Lucca's walled
# centre draws street names and house numbers (the labels MapLibre placed,
# read with queryRenderedFeatures; hiding the base map's layers changes the
# picture); foglio labels at z15; the HTML page of a parcel draws it over the
# base map with a scale bar in place of its SVG sketch. A request to any
# other host than the server fails the run. Screenshots of failing
# steps go to artifacts/e2e-basemap/; SIT_E2E_SHOTS=DIR saves every one.
# A missing tool skips the script locally and fails it when CI=true.
set -euo pipefail
. "$(dirname "$0")/lib/e2e.sh"
e2e_init basemap
start=$(date +%s)
e2e_chromium
e2e_node_tools
e2e_fixture

# The parcel: foglio 37 particella 125 when the dataset has it, else the
# first parcel the suggestions give for foglio 37, else for foglio 1.
ref=$(python3 - "$base" <<'PY'
import json, sys, urllib.parse, urllib.request
base = sys.argv[1]
for q in ("37/125", "37/1", "1/1"):
    with urllib.request.urlopen(base + "/parcels/suggest?limit=5&q=" + urllib.parse.quote(q)) as r:
        s = [x["ref"] for x in json.load(r).get("suggestions", []) if x.get("kind") == "parcel"]
    if s:
        print(s[0])
        break
PY
)
[ -n "$ref" ] || fail "no parcel found through /parcels/suggest"
echo "e2e-basemap: parcel $ref; server $base" >&2

node web/e2e/basemap.test.mjs --base "$base" --ref "$ref" --artifacts "$root/artifacts/e2e-basemap" \
  ${SIT_E2E_SHOTS:+--shots "$SIT_E2E_SHOTS"} --chromium "$chromium" >"$work/result.json" \
  || { cat "$work/result.json"; fail "browser checks (screenshots in artifacts/e2e-basemap/)"; }
echo "e2e-basemap: all checks passed in $(( $(date +%s) - start )) s" >&2
