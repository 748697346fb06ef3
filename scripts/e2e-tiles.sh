#!/usr/bin/env bash
# End-to-end checks of the vector tiles with real clients: GDAL's MVT driver,
# @mapbox/vector-tile + pbf (MapLibre's decoder), gl-style-validate,
# go-pmtiles' verifier and pmtiles.js over HTTP range requests; PostGIS counts
# through psql; cache freshness across a re-import.
#
# Runs against the shared fixture of scripts/lib/e2e.sh (the demo data and
# one `sit serve` with --pmtiles-dir), by scripts/e2e.sh or alone (it then
# builds the fixture). A missing tool skips the script locally and fails it
# when CI=true.
set -euo pipefail
. "$(dirname "$0")/lib/e2e.sh"
e2e_init tiles
e2e_need ogrinfo gdal_create gdal_translate gdalinfo
e2e_node_tools
e2e_need gl-style-validate
e2e_fixture

# -trimpath, as every build of the run but go test -race's: their compiled
# packages are shared (go-pmtiles' dependencies are most of the build).
go build -trimpath -o "$work/pmverify" ./tiles/internal/pmverify
go build -trimpath -o "$work/gen" ./tiles/internal/fixture/gen

# Data of its own beside the demo's, removed at exit so that the other
# scripts see the demo catalog: a small parcel layer to re-import, a zoning one.
"$work/gen" -kind parcels -n 400 -seed 1 >"$work/e2e1.geojson"
"$work/gen" -kind parcels -n 900 -seed 2 >"$work/e2e2.geojson"
"$work/gen" -kind zoning >"$work/zoning.geojson"
e2e_on_exit 'sit layers rm --yes e2e_parcels >/dev/null 2>&1; sit layers rm --yes e2e_zoning >/dev/null 2>&1; rm -f "$E2E_DIR/pm/lucca.pmtiles"'
sit import --layer e2e_parcels --kind cadastral --srid 4326 --replace "$work/e2e1.geojson" >/dev/null
sit import --layer e2e_zoning --kind zoning --srid 4326 --replace "$work/zoning.geojson" >/dev/null
e2e_wait_layer e2e_parcels
e2e_wait_layer e2e_zoning

# The cadastral layer of the demo and the names of every demo layer.
cad=$(q "SELECT name FROM sit.layers WHERE kind = 'cadastral' AND $served ORDER BY name LIMIT 1")
[ -n "$cad" ] || fail "no cadastral layer in the demo"
all=$(q "SELECT string_agg(name, ',' ORDER BY name) FROM sit.layers WHERE $served")

# A z16 tile over a parcel in the middle of the layer.
read -r lon lat < <(q "SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_PointOnSurface(geom) p FROM sit_data.$cad ORDER BY fid OFFSET (SELECT count(*) / 2 FROM sit_data.$cad) LIMIT 1) s")
read -r z x y < <(tile_of 16 "$lon" "$lat")

# 1. TileJSON 3.0 and the tile through GDAL, counted against PostGIS.
curl -sf "$base/tiles/$cad.json" >"$work/tilejson.json"
curl -sf -o "$work/t16.mvt" "$base/tiles/$cad/$z/$x/$y.mvt"
read -r x0 y0 x1 y1 < <(q "SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM ST_TileEnvelope($z, $x, $y) e")
read -r inner buffered < <(q "SELECT count(*) FILTER (WHERE ST_Intersects(geom_3857, ST_TileEnvelope($z, $x, $y))),
  count(*) FILTER (WHERE ST_Intersects(geom_3857, ST_TileEnvelope($z, $x, $y, margin => 64.0 / 4096))) FROM sit_data.$cad")
[ "$inner" -gt 0 ] || fail "test tile $z/$x/$y has no parcel"
gdal_all=$(ogrinfo -ro -al -so "$work/t16.mvt" -oo Z="$z" -oo X="$x" -oo Y="$y" | sed -n 's/^Feature Count: //p')
gdal_in=$(ogrinfo -ro -al -so "$work/t16.mvt" -oo Z="$z" -oo X="$x" -oo Y="$y" -spat "$x0" "$y0" "$x1" "$y1" | sed -n 's/^Feature Count: //p')
[ "$gdal_in" = "$inner" ] || fail "tile $z/$x/$y: GDAL finds $gdal_in parcels inside the tile, PostGIS counts $inner intersecting it"
[ "$gdal_all" = "$buffered" ] || fail "tile $z/$x/$y: GDAL decodes $gdal_all parcels, PostGIS counts $buffered meeting the tile with its buffer"
ok "GDAL decodes $z/$x/$y: $gdal_in parcels in the tile = PostGIS ($gdal_all with the 64-unit buffer = PostGIS)"

# 2. MapLibre's decoder, TileJSON 3.0 fields, the style validator.
curl -sf "$base/styles/default.json" >"$work/style.json"
gl-style-validate "$work/style.json" >"$work/style.out" 2>&1 || { cat "$work/style.out" >&2; fail "gl-style-validate rejects /styles/default.json"; }
[ ! -s "$work/style.out" ] || { cat "$work/style.out" >&2; fail "gl-style-validate reports errors"; }
ok "gl-style-validate accepts /styles/default.json"
glyphs=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['glyphs'])" "$work/style.json")
font=$(python3 -c "import json,sys; print([l for l in json.load(open(sys.argv[1]))['layers'] if l['type']=='symbol'][0]['layout']['text-font'][0])" "$work/style.json")
gurl=${glyphs//\{fontstack\}/${font// /%20}}; gurl=${gurl//\{range\}/0-255}
code=$(curl -s -o "$work/glyphs.pbf" -w '%{http_code}' "$gurl")
[ "$code" = 200 ] && [ "$(stat -c %s "$work/glyphs.pbf")" -gt 10000 ] || fail "glyphs $gurl: $code"
ok "the style's glyphs answer ($gurl)"
(cd e2e && node --input-type=module -e '
import {readFileSync} from "node:fs";
import {VectorTile} from "@mapbox/vector-tile";
import {PbfReader} from "pbf";
const [tilePath, tjPath, layer, want] = process.argv.slice(1);
const vt = new VectorTile(new PbfReader(readFileSync(tilePath)));
const l = vt.layers[layer];
if (!l) throw new Error(`no layer ${layer} in the tile: ${Object.keys(vt.layers)}`);
if (l.length !== Number(want)) throw new Error(`@mapbox/vector-tile decodes ${l.length} features, want ${want}`);
if (l.extent !== 4096) throw new Error(`extent ${l.extent}`);
for (let i = 0; i < l.length; i++) {
  const f = l.feature(i);
  if (f.type !== 3 || f.loadGeometry().length === 0) throw new Error(`feature ${i}: type ${f.type}`);
  if (!("foglio" in f.properties) || !("particella" in f.properties)) throw new Error(`feature ${i} lacks foglio/particella: ${JSON.stringify(f.properties)}`);
}
const tj = JSON.parse(readFileSync(tjPath, "utf8"));
const must = ["tilejson", "tiles", "vector_layers", "minzoom", "maxzoom", "bounds", "center"];
for (const k of must) if (!(k in tj)) throw new Error(`TileJSON lacks ${k}`);
if (tj.tilejson !== "3.0.0" || !tj.tiles[0].includes("{z}/{x}/{y}")) throw new Error("TileJSON 3.0.0 with a tile template expected");
const vl = tj.vector_layers.find(v => v.id === layer);
if (!vl || vl.fields.foglio !== "String" || vl.minzoom !== 14) throw new Error(`vector_layers: ${JSON.stringify(tj.vector_layers)}`);
' "$work/t16.mvt" "$work/tilejson.json" "$cad" "$buffered") || fail "@mapbox/vector-tile / TileJSON check"
ok "@mapbox/vector-tile decodes $buffered features; TileJSON 3.0 has vector_layers with fields and zooms"

# 3. Errors are problem+json naming the parameter.
for bad in "/tiles/$cad/25/0/0.mvt z" "/tiles/$cad/3/9/0.mvt x" "/tiles/$cad/3/0/a.mvt y"; do
  set -- $bad
  body=$(curl -s -w ' %{http_code} %{content_type}' "$base$1")
  case "$body" in
    *"\"parameter\":\"$2\""*" 400 application/problem+json") ;;
    *) fail "$1: want a 400 problem naming $2, got $body" ;;
  esac
done
ok "bad z/x/y answer 400 problem+json naming the parameter"

# 4. Freshness: a re-import changes the tile and its ETag; an unchanged layer keeps its ETag (304).
read -r ez ex ey < <(tile_of 14 10.52 43.85)
etag_of() { curl -s -D - -o "$2" -H 'Accept-Encoding: gzip' ${3:+-H "If-None-Match: $3"} "$base$1" | tr -d '\r' | awk 'tolower($1)=="etag:"{print $2} /^HTTP/{code=$2} END{print code > "/dev/stderr"}'; }
p_etag=$(etag_of "/tiles/e2e_parcels/$ez/$ex/$ey.mvt" "$work/p1.mvt" 2>/dev/null)
z_etag=$(etag_of "/tiles/e2e_zoning/$ez/$ex/$ey.mvt" "$work/z1.mvt" 2>/dev/null)
[ -n "$p_etag" ] && [ -n "$z_etag" ] || fail "tiles without ETag"
code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Accept-Encoding: gzip' -H "If-None-Match: $p_etag" "$base/tiles/e2e_parcels/$ez/$ex/$ey.mvt")
[ "$code" = 304 ] || fail "cached tile with its ETag: $code, want 304"
sit import --layer e2e_parcels --kind cadastral --srid 4326 --replace "$work/e2e2.geojson" >/dev/null
new=""
for _ in $(seq 1 300); do # the catalog hears the import through LISTEN/NOTIFY
  code=$(curl -s -o "$work/p2.mvt" -D "$work/p2.h" -w '%{http_code}' -H 'Accept-Encoding: gzip' -H "If-None-Match: $p_etag" "$base/tiles/e2e_parcels/$ez/$ex/$ey.mvt")
  if [ "$code" = 200 ] && grep -qi '^etag:' "$work/p2.h"; then new=$(tr -d '\r' <"$work/p2.h" | awk 'tolower($1)=="etag:"{print $2}'); break; fi
  sleep 0.1
done
[ -n "$new" ] && [ "$new" != "$p_etag" ] || fail "after a re-import the tile kept ETag $p_etag"
cmp -s "$work/p1.mvt" "$work/p2.mvt" && fail "after a re-import the tile has the old content"
code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Accept-Encoding: gzip' -H "If-None-Match: $z_etag" "$base/tiles/e2e_zoning/$ez/$ex/$ey.mvt")
[ "$code" = 304 ] || fail "unchanged layer: $code, want 304"
ok "re-import: new content and ETag ($p_etag → $new); unchanged layer answers 304"

# 4b. OGC API Tiles with GDAL's own readers. /tileMatrixSets/WebMercatorQuad
# carries the TMS 2.0 and 1.0 JSON encodings at once: GDAL 3.6 parses only
# 1.0 (identifier, boundingBox, topLeftCorner), later versions 2.0. The COG
# driver takes a TMS file: a grid from ours must equal its built-in one.
curl -sf -o "$work/tms.json" "$base/tileMatrixSets/WebMercatorQuad"
gdal_create -q -of GTiff -outsize 64 64 -bands 1 -a_srs EPSG:3857 -a_ullr 1155000 5460000 1175000 5440000 "$work/src.tif"
for ts in GoogleMapsCompatible "$work/tms.json"; do
  gdal_translate -q -of COG -co TILING_SCHEME="$ts" "$work/src.tif" "$work/cog.tif" 2>"$work/cog.err" || { cat "$work/cog.err" >&2; fail "GDAL cannot use /tileMatrixSets/WebMercatorQuad as a tiling scheme"; }
  gdalinfo "$work/cog.tif" | grep -E '^(Size is|Origin|Pixel Size)' >"$work/grid-$(basename "$ts").txt"
done
cmp -s "$work/grid-GoogleMapsCompatible.txt" "$work/grid-tms.json.txt" ||
  { diff "$work/grid-GoogleMapsCompatible.txt" "$work/grid-tms.json.txt" >&2; fail "GDAL reads /tileMatrixSets/WebMercatorQuad as another grid than WebMercatorQuad"; }
gdalv=$(ogrinfo --version | sed -n 's/^GDAL \([0-9]*\.[0-9]*\).*/\1/p')
ogrinfo -ro -so --config CPL_DEBUG ON "OGCAPI:$base/collections/$cad" >"$work/ogcapi.out" 2>&1 || true
grep -q "Fetch(.*/tileMatrixSets/WebMercatorQuad)" "$work/ogcapi.out" || { cat "$work/ogcapi.out" >&2; fail "the OGCAPI driver did not read the tile matrix set"; }
if grep -E "Invalid tiling matrix set name|Destination buffer too small|Expected type|No tileMatrix|Cannot parse CRS" "$work/ogcapi.out" >&2; then
  fail "GDAL $gdalv's OGCAPI driver rejects /tileMatrixSets/WebMercatorQuad"
fi
# GDAL 3.6's OGCAPI driver is built without its vector-tile reader (GDAL
# PR #7993, fixed in 3.7), whatever the server sends; its items access works.
got=$(ogrinfo -ro -so -oo API=ITEMS "OGCAPI:$base/collections/$cad" "$cad" | sed -n 's/^Feature Count: //p')
[ "$got" = "$(q "SELECT count(*) FROM sit_data.$cad")" ] || fail "ogrinfo -oo API=ITEMS OGCAPI:…/collections/$cad counts $got"
if grep -q "^1: " "$work/ogcapi.out"; then opened="opens the vector tiles"; else opened="cannot read vector tiles (a GDAL $gdalv build limit)"; fi
ok "GDAL $gdalv reads /tileMatrixSets/WebMercatorQuad as WebMercatorQuad (COG grid equal, no TMS error in the OGCAPI driver, which $opened); OGCAPI -oo API=ITEMS counts $got"

# 5. PMTiles: export every demo layer z0–z16, verify, same tiles as the server, pmtiles.js over HTTP.
start=$(date +%s.%N)
sit export pmtiles --layers "$all" --minzoom 0 --maxzoom 16 --workers 4 "$E2E_DIR/pm/lucca.pmtiles" >"$work/export.out"
secs=$(python3 -c "import sys; print(round(float(sys.argv[2]) - float(sys.argv[1]), 1))" "$start" "$(date +%s.%N)")
if command -v go-pmtiles >/dev/null 2>&1; then verifier=go-pmtiles; go-pmtiles verify "$E2E_DIR/pm/lucca.pmtiles" >"$work/verify.out" 2>&1 || true
else verifier=pmverify; "$work/pmverify" "$E2E_DIR/pm/lucca.pmtiles" >"$work/verify.out" 2>&1 || true; fi
grep -q "Completed verify" "$work/verify.out" || { cat "$work/verify.out" >&2; fail "$verifier verify failed"; }
if grep -q Invalid "$work/verify.out"; then cat "$work/verify.out" >&2; fail "$verifier verify printed Invalid lines"; fi
ok "export z0–z16 of $all in ${secs}s: $(cat "$work/export.out"); $verifier verify: no Invalid line"
for zz in 10 13 14 16; do
  read -r sz sx sy < <(tile_of "$zz" "$lon" "$lat")
  curl -sf -o "$work/dyn.mvt" "$base/tiles/$all/$sz/$sx/$sy.mvt"
  curl -sf -o "$work/arc.mvt" "$base/pmtiles/lucca/$sz/$sx/$sy.mvt"
  [ -s "$work/dyn.mvt" ] || fail "dynamic tile $sz/$sx/$sy is empty"
  cmp -s "$work/dyn.mvt" "$work/arc.mvt" || fail "archived tile $sz/$sx/$sy differs from the dynamic one"
done
curl -sf -o "$work/pm.json" "$base/pmtiles/lucca.json"
grep -q '"vector_layers"' "$work/pm.json" || fail "/pmtiles/lucca.json has no vector_layers"
curl -sf -o "$work/t16all.mvt" "$base/tiles/$all/16/$x/$y.mvt"
(cd e2e && node --input-type=module -e '
import {readFileSync} from "node:fs";
import {PMTiles} from "pmtiles";
import {VectorTile} from "@mapbox/vector-tile";
import {PbfReader} from "pbf";
const [url, z, x, y, dynPath] = process.argv.slice(1);
const p = new PMTiles(url);
const h = await p.getHeader();
if (h.specVersion !== 3 || !h.clustered || h.maxZoom !== 16) throw new Error(`header ${JSON.stringify(h)}`);
const meta = await p.getMetadata();
if (!meta.vector_layers || !meta.attribution) throw new Error("metadata lacks vector_layers or attribution");
const t = await p.getZxy(Number(z), Number(x), Number(y));
if (!t) throw new Error("pmtiles.js finds no tile");
const got = Buffer.from(t.data), want = readFileSync(dynPath);
if (!got.equals(want)) throw new Error(`pmtiles.js tile: ${got.length} bytes, dynamic ${want.length}`);
if (Object.keys(new VectorTile(new PbfReader(got)).layers).length === 0) throw new Error("no layers");
' "$base/pmtiles/lucca.pmtiles" 16 "$x" "$y" "$work/t16all.mvt") || fail "pmtiles.js over HTTP"
ok "archived tiles at z10/13/14/16 equal the dynamic ones; pmtiles.js reads the archive over HTTP"
echo "e2e-tiles: all checks passed" >&2
