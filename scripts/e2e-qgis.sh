#!/usr/bin/env bash
# End-to-end checks with QGIS, the desktop GIS offices run (Debian 12: QGIS
# 3.22, apt-get install qgis python3-qgis), headless (QT_QPA_PLATFORM=
# offscreen), driven by e2e/qgis_e2e.py; counts checked against PostGIS:
#   1. an OGC API Features layer with "Only request features overlapping the
#      view extent" ticked downloads only a small view (requests counted),
#      also under an attribute filter;
#   2. a vector tile layer with the server's style (/styles/default.json),
#      rendered to PNG: zone classes A–F in distinct colours, each the
#      viewer's colour at the style's opacity; the map under the layer shows
#      through where there is no data.
# PNGs and QGIS's answers go to artifacts/e2e-qgis/ on failure (SIT_E2E_SHOTS=
# DIR keeps the PNG always).
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

cad=$(q "SELECT name FROM sit.layers WHERE kind = 'cadastral' AND $served ORDER BY name LIMIT 1")
zon=$(q "SELECT name FROM sit.layers WHERE kind = 'zoning' AND $served ORDER BY name LIMIT 1")
[ -n "$cad" ] && [ -n "$zon" ] || fail "the demo lacks a cadastral or a zoning layer"

# 1. OAPIF: a view of about 500 × 300 m in the middle of the parcels, and the
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

# 2. Vector tiles with the server style. One sample point per zone class:
# the centre of the widest zone of that class, away from outlines (zone,
# constraint, boundary), inside at most one constraint area (whose light
# fill tints it); and one "paper" point in no zone.
union() { q "SELECT coalesce(string_agg(format('SELECT %L AS layer, geom_3857 AS g FROM sit_data.%I', name, name), ' UNION ALL '), 'SELECT NULL AS layer, NULL::geometry AS g WHERE false') FROM sit.layers WHERE kind = '$1' AND $served"; }
cons=$(union constraint)
bnds=$(union boundary)
# Other zoning layers (an adopted variant) are drawn over this one: sample
# only where none of them is.
others=$(q "SELECT coalesce(string_agg(format('SELECT geom_3857 AS g FROM sit_data.%I', name), ' UNION ALL '), 'SELECT NULL::geometry AS g WHERE false') FROM sit.layers WHERE kind = 'zoning' AND name <> '$zon' AND $served")
q "WITH o AS (SELECT coalesce(ST_Buffer(ST_Union(g), 150), 'SRID=3857;POLYGON EMPTY'::geometry) AS g FROM ($others) x),
   z AS (SELECT zone_class, CASE WHEN ST_Intersects(z.geom_3857, o.g) THEN ST_Difference(z.geom_3857, o.g) ELSE z.geom_3857 END AS g
     FROM sit_data.$zon z, o WHERE zone_class IN ('A', 'B', 'C', 'D', 'E', 'F')),
   c AS (
     SELECT zone_class, (ST_MaximumInscribedCircle(g)).center AS p, (ST_MaximumInscribedCircle(g)).radius AS r
     FROM z WHERE NOT ST_IsEmpty(g))
   SELECT DISTINCT ON (zone_class) zone_class, ST_X(ST_Transform(p, 4326)), ST_Y(ST_Transform(p, 4326)),
     coalesce((SELECT string_agg(k.layer, ',') FROM ($cons) k WHERE ST_Intersects(k.g, c.p)), '-')
   FROM c
   WHERE r > 120
     AND NOT EXISTS (SELECT 1 FROM ($cons) k WHERE ST_DWithin(ST_Boundary(k.g), c.p, 150))
     AND (SELECT count(*) FROM ($cons) k WHERE ST_Intersects(k.g, c.p)) <= 1
     AND NOT EXISTS (SELECT 1 FROM ($bnds) b WHERE ST_DWithin(ST_Boundary(b.g), c.p, 150))
   ORDER BY zone_class, r DESC" >"$work/classes.txt"
q "WITH e AS (SELECT ST_Extent(geom_3857) b FROM sit_data.$zon),
        g AS (SELECT ST_SetSRID(ST_MakePoint(ST_XMin(b) + i * (ST_XMax(b) - ST_XMin(b)) / 20, ST_YMin(b) + j * (ST_YMax(b) - ST_YMin(b)) / 20), 3857) p
              FROM e, generate_series(1, 19) i, generate_series(1, 19) j)
   SELECT 'paper', ST_X(ST_Transform(p, 4326)), ST_Y(ST_Transform(p, 4326)), '-' FROM g
   WHERE NOT EXISTS (SELECT 1 FROM sit_data.$zon z WHERE ST_DWithin(z.geom_3857, g.p, 300))
     AND NOT EXISTS (SELECT 1 FROM ($cons) k WHERE ST_DWithin(k.g, g.p, 300))
     AND NOT EXISTS (SELECT 1 FROM ($bnds) b WHERE ST_DWithin(ST_Boundary(b.g), g.p, 300))
   LIMIT 1" >>"$work/classes.txt"
python3 -c '
import json, sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
json.dump([{"name": n, "lon": float(x), "lat": float(y), "under": u} for n, x, y, u in rows], open(sys.argv[2], "w"))
names = [r[0] for r in rows]
missing = [c for c in "ABCDEF" if c not in names] + ([] if "paper" in names else ["paper"])
sys.exit("no sample point for " + ", ".join(missing) if missing else 0)' "$work/classes.txt" "$work/samples.json" || fail "sample points"
curl -sf "$base/styles/default.json" >"$work/style.json"
# The zooms of the style's tiles, from the TileJSON of its source.
tilejson=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["sources"]["sit"]["url"])' "$work/style.json")
read -r zmin zmax < <(curl -sf "$tilejson" | python3 -c 'import json,sys; t=json.load(sys.stdin); print(t["minzoom"], t["maxzoom"])')
qgis tiles "$base/styles/default.json" "$base/tiles/WebMercatorQuad/{z}/{y}/{x}" "$zmin" "$zmax" "$work/qgis-tiles.png" "$work/samples.json" >"$work/tiles.json"
python3 - "$work/tiles.json" "$work/style.json" "$zon" "$work/samples.json" <<'PY' || { keep "$work/qgis-tiles.png" "$work/tiles.json" "$work/samples.json" "$work/style.json"; fail "QGIS vector tiles with the server style (PNG in artifacts/e2e-qgis/)"; }
import json, sys
d, style, zon = json.load(open(sys.argv[1])), json.load(open(sys.argv[2])), sys.argv[3]
rgb = lambda h: tuple(int(h[i:i + 2], 16) for i in (1, 3, 5))
# The viewer draws the style: class colours from its zoning fill, at its opacity.
fill = next(l for l in style["layers"] if l.get("source-layer") == zon and l["type"] == "fill")
expr, alpha = fill["paint"]["fill-color"], float(fill["paint"].get("fill-opacity", 1))
assert expr[0] == "match", expr
# match labels are strings or (the form QGIS 3.22 converts) one-element arrays
viewer = {(k[0] if isinstance(k, list) else k): v for k, v in zip(expr[2:-1:2], expr[3:-1:2])}
def over(top, a, under):
    return tuple(t * a + u * (1 - a) for t, u in zip(top, under))
def fill_of(layer):
    f = next(l for l in style["layers"] if l.get("source-layer") == layer and l["type"] == "fill")
    return rgb(f["paint"]["fill-color"]), float(f["paint"].get("fill-opacity", 1))
under = {s["name"]: s["under"] for s in json.load(open(sys.argv[4]))}
got, bad = d["colors"], []
for cls in "ABCDEF":
    want = over(rgb(viewer[cls]), alpha, (255, 255, 255))
    if under[cls] != "-":  # a constraint area's light fill on top
        want = over(*fill_of(under[cls]), want)
    want = tuple(round(c) for c in want)
    have = rgb(got[cls])
    ok = max(abs(a - b) for a, b in zip(want, have)) <= 12
    print("qgis: zone %s: QGIS %s, viewer %s at %.2f over white%s = #%02x%02x%02x %s" % (
        cls, got[cls], viewer[cls], alpha, "" if under[cls] == "-" else " under " + under[cls], *want, "ok" if ok else "DIFFERS"), file=sys.stderr)
    if not ok:
        bad.append("zone %s is %s, want #%02x%02x%02x" % (cls, got[cls], *want))
cols = [rgb(got[c]) for c in "ABCDEF"]
close = [(a, b) for i, a in enumerate("ABCDEF") for b in "ABCDEF"[i + 1:] if sum(abs(x - y) for x, y in zip(cols[i], cols["ABCDEF".index(b)])) < 30]
if close:
    bad.append("zone classes drawn alike: %s" % close)
if got["paper"] != "#ffffff":
    bad.append("where there is no data QGIS draws %s over the map: the style covers what is under it" % got["paper"])
if 11 not in d["tileZooms"]:
    bad.append("tile zooms requested %s, want 11" % d["tileZooms"])
print("qgis: %d tile requests at z%s; converter warnings: %s" % (d["tileRequests"], d["tileZooms"], d["warnings"] or "none"), file=sys.stderr)
sys.exit("; ".join(bad) if bad else 0)
PY
[ -z "${SIT_E2E_SHOTS:-}" ] || { mkdir -p "$SIT_E2E_SHOTS"; cp "$work/qgis-tiles.png" "$SIT_E2E_SHOTS/"; }
ok "QGIS renders /styles/default.json: zone classes A–F in the viewer's colours, distinct; the map shows through where there is no data"
