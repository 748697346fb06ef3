#!/usr/bin/env bash
# End-to-end checks with QGIS, the desktop GIS offices run (Debian 12: QGIS
# 3.22, apt-get install qgis python3-qgis), headless (QT_QPA_PLATFORM=
# offscreen), driven by e2e/qgis_e2e.py; counts checked against PostGIS:
#   an OGC API Features layer with "Only request features overlapping the
#   view extent" ticked downloads only a small view (requests counted), also
#   under an attribute filter.
# QGIS's answers go to artifacts/e2e-qgis/ on failure.
#
# Runs against the shared fixture of scripts/lib/e2e.sh, by scripts/e2e.sh or
# alone (it then builds the fixture). QGIS missing: SKIP locally, FAIL when
# CI=true.
set -euo pipefail
. "$(dirname "$0")/lib/e2e.sh"
e2e_init qgis
# Debian's python3 has the qgis module; a python3 earlier on PATH (pyenv…) has not.
qpy=${QGIS_PYTHON:-/usr/bin/python3}
if ! QT_QPA_PLATFORM=offscreen "$qpy" -c 'import qgis.core' >/dev/null 2>&1; then
  [ "${CI:-}" = true ] && fail "QGIS's Python module is missing for $qpy (scripts/setup.sh installs qgis python3-qgis)"
  note "SKIP: no QGIS Python module for $qpy (apt-get install qgis python3-qgis)"
  exit 0
fi
e2e_fixture
export QT_QPA_PLATFORM=offscreen
art=$root/artifacts/e2e-qgis
keep() { mkdir -p "$art"; cp "$@" "$art/"; }
qgis() { # QGIS logs its warnings on stderr: kept for a failure
  timeout 600 "$qpy" e2e/qgis_e2e.py "$@" 2>>"$work/qgis.err" || { tail -20 "$work/qgis.err" >&2; keep "$work/qgis.err"; fail "QGIS: qgis_e2e.py $1"; }
}

cad=$(q "SELECT name FROM sit.layers WHERE kind = 'cadastral' AND name NOT LIKE 'e2e\_%' ORDER BY name LIMIT 1")
zon=$(q "SELECT name FROM sit.layers WHERE kind = 'zoning' AND name NOT LIKE 'e2e\_%' ORDER BY name LIMIT 1")
[ -n "$cad" ] && [ -n "$zon" ] || fail "the demo lacks a cadastral or a zoning layer"

# OAPIF: a view of about 500 × 300 m in the middle of the parcels, and the
# same view under a filter on the commonest foglio there.
read -r x0 y0 x1 y1 < <(q "SELECT ST_X(c) - 0.003, ST_Y(c) - 0.0015, ST_X(c) + 0.003, ST_Y(c) + 0.0015 FROM (SELECT ST_Centroid(ST_Extent(geom)) c FROM sit_data.$cad) s")
view="ST_Intersects(geom, ST_MakeEnvelope($x0, $y0, $x1, $y1, 4326))"
want=$(q "SELECT count(*) FROM sit_data.$cad WHERE $view")
foglio=$(q "SELECT foglio FROM sit_data.$cad WHERE $view GROUP BY foglio ORDER BY count(*) DESC, foglio LIMIT 1")
wantf=$(q "SELECT count(*) FROM sit_data.$cad WHERE $view AND foglio = '$foglio'")
total=$(q "SELECT count(*) FROM sit_data.$cad")
qgis oapif "$base" "$cad" "$x0" "$y0" "$x1" "$y1" foglio "$foglio" >"$work/oapif.json"
python3 - "$work/oapif.json" "$want" "$wantf" "$total" "$cad" <<'PY' || { keep "$work/oapif.json"; fail "QGIS OAPIF (answers in artifacts/e2e-qgis/oapif.json)"; }
import json, math, sys, urllib.parse
d = json.load(open(sys.argv[1]))
want, wantf, total, layer = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
def items(reqs):
    return [urllib.parse.urlparse(u) for u in reqs if urllib.parse.urlparse(u).path.endswith("/collections/%s/items" % layer)]
bad = []
if d["featureCount"] != total:
    bad.append("layer feature count %d, PostGIS %d" % (d["featureCount"], total))
for name, n in (("view", want), ("filtered", wantf)):
    got = d[name]
    its = items(got["requests"])
    limits = [int(urllib.parse.parse_qs(u.query).get("limit", ["0"])[0]) for u in its]
    if got["features"] != n:
        bad.append("%s: %d features, PostGIS %d" % (name, got["features"], n))
    if any("bbox" not in urllib.parse.parse_qs(u.query) for u in its):
        bad.append("%s: an items request without bbox: the whole layer" % name)
    if not its or len(its) > math.ceil(want / min(limits)) + 1:
        bad.append("%s: %d items requests for %d features in the view (limit %s)" % (name, len(its), want, limits))
    print("qgis: %s: %d features in %d items requests (limit %d)" % (name, got["features"], len(its), min(limits or [0])), file=sys.stderr)
opened = items(d["openRequests"])
if len(opened) > 1:
    bad.append("opening the layer sent %d items requests" % len(opened))
sys.exit("; ".join(bad) if bad else 0)
PY
ok "QGIS OAPIF with restrictToRequestBBOX: $want parcels of the view = PostGIS, $wantf under foglio = '$foglio' (filtered by QGIS), only bbox requests"
