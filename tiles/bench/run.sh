#!/usr/bin/env bash
# Tile benchmark (issue 5): wrk -t1 -c32, random tiles that hold parcels
# inside Lucca at z13, z15, z17, cold (no cache) and warm, against the same
# gzip bytes from a plain static file server; pgbench on the same tile
# statements (the database's own limit); export time z0–z16.
#
#   tiles/bench/run.sh [PARCELS]      (default 200000; needs wrk, pgbench, psql)
#
# Uses its own managed cluster in $BENCH_DIR (default /tmp/sit-bench), kept
# between runs (the demo data is loaded once). Ports 18180-18181.
set -euo pipefail
cd "$(dirname "$0")/../.."
parcels=${1:-200000}
dir=${BENCH_DIR:-/tmp/sit-bench}
dur=${BENCH_SECONDS:-15}
mkdir -p "$dir"
go build -o "$dir/sit" ./cmd/sit
go build -o "$dir/staticsrv.bin" ./tiles/internal/staticsrv
sit() { "$dir/sit" --data-dir "$dir/pg" --log-level warn "$@"; }
sit db up >/dev/null # the cluster may be stopped since the last run
if [ ! -f "$dir/loaded-$parcels" ]; then
  sit demo --parcels "$parcels" --no-serve --reset
  touch "$dir/loaded-$parcels"
fi
pw=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['owner_password'])" "$dir/pg/cluster.json")
port=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['port'])" "$dir/pg/cluster.json")
pg="postgres://sit:$pw@127.0.0.1:$port/sit"
cad=$(psql "$pg" -XAtq -c "SELECT name FROM sit.layers WHERE kind = 'cadastral' ORDER BY feature_count DESC LIMIT 1")
all=$(psql "$pg" -XAtq -c "SELECT string_agg(name, ',' ORDER BY name) FROM sit.layers")
for z in 13 15 17; do # the tiles that hold a parcel centroid
  psql "$pg" -XAtq -c "SELECT DISTINCT '/tiles/$cad/$z/' || floor((ST_X(c)+180)/360*2^$z)::int || '/' ||
    floor((1-ln(tan(radians(ST_Y(c)))+1/cos(radians(ST_Y(c))))/pi())/2*2^$z)::int || '.mvt'
    FROM (SELECT ST_Centroid(geom) c FROM sit_data.$cad) s" >"$dir/tiles$z.txt"
done
pid=""
stop() { if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; pid=""; fi; }
trap stop EXIT
serve() { stop; "$dir/sit" --data-dir "$dir/pg" --log-level warn serve --addr 127.0.0.1:18180 "$@" & pid=$!; sleep 2; }
run() { # label url tiles
  local out
  out=$(TILES=$3 wrk -t1 -c32 -d"${dur}s" -s tiles/bench/random.lua --latency "$2")
  printf '%-34s %10s req/s  p50 %9s  p99 %9s  %s\n' "$1" "$(awk '/Requests\/sec/{print $2}' <<<"$out")" \
    "$(awk '$1=="50%"{print $2}' <<<"$out")" "$(awk '$1=="99%"{print $2}' <<<"$out")" "$(grep -E 'Non-2xx|Socket' <<<"$out" | tr '\n' ' ')"
}
echo "== $(nproc) cores; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
serve --tile-cache-bytes 0
for z in 13 15 17; do run "cold z$z (cache off)" http://127.0.0.1:18180 "$dir/tiles$z.txt"; done
serve --tile-cache-bytes 1073741824
rm -rf "$dir/static"
for z in 13 15 17; do while read -r p; do mkdir -p "$dir/static$(dirname "$p")"; curl -s -H 'Accept-Encoding: gzip' -o "$dir/static$p" "http://127.0.0.1:18180$p"; done <"$dir/tiles$z.txt"; done
for z in 13 15 17; do run "warm z$z" http://127.0.0.1:18180 "$dir/tiles$z.txt"; done
stop
"$dir/staticsrv.bin" "$dir/static" 127.0.0.1:18181 & spid=$!; sleep 1
for z in 13 15 17; do run "static ceiling z$z" http://127.0.0.1:18181 "$dir/tiles$z.txt"; done
kill $spid; wait $spid 2>/dev/null || true
# z13 with parcels drawn (default: hidden below z14): simplified, foglio/particella only.
psql "$pg" -Xq -c "UPDATE sit.layers SET min_zoom = 0, updated_at = now() WHERE name = '$cad'"
serve --tile-cache-bytes 0
run "cold z13, parcels forced on" http://127.0.0.1:18180 "$dir/tiles13.txt"
serve --tile-cache-bytes 1073741824
while read -r p; do curl -s -o /dev/null -H 'Accept-Encoding: gzip' "http://127.0.0.1:18180$p"; done <"$dir/tiles13.txt"
run "warm z13, parcels forced on" http://127.0.0.1:18180 "$dir/tiles13.txt"
p=$(sed -n 5p "$dir/tiles13.txt")
echo "   z13 tile $p: $(curl -s -o /dev/null -w '%{size_download}' "http://127.0.0.1:18180$p") B raw, $(curl -s -o /dev/null -H 'Accept-Encoding: gzip' -w '%{size_download}' "http://127.0.0.1:18180$p") B gzip"
stop
psql "$pg" -Xq -c "UPDATE sit.layers SET min_zoom = 14, updated_at = now() WHERE name = '$cad'"
# The database's own limit: the same statements through pgbench (prepared, 8 clients).
psql "$pg" -Xq -c "DROP TABLE IF EXISTS public.bench_tiles; CREATE TABLE public.bench_tiles (id serial PRIMARY KEY, z int, x int, y int)"
for z in 15 17; do
  awk -F/ '{sub(".mvt", "", $6); print $4","$5","$6}' "$dir/tiles$z.txt" | psql "$pg" -Xq -c "TRUNCATE public.bench_tiles RESTART IDENTITY; COPY public.bench_tiles (z, x, y) FROM STDIN WITH CSV"
  n=$(wc -l <"$dir/tiles$z.txt")
  if [ "$z" = 15 ]; then cols='t.foglio, t.particella'; else cols='t.foglio, t.particella, t.ref, t.area_m2'; fi
  cat >"$dir/pgbench$z.sql" <<SQL
\set i random(1, $n)
SELECT (SELECT count(*) FROM sit.layers WHERE (name, version) IN (('$cad', (SELECT version FROM sit.layers WHERE name = '$cad')))) = 1,
 coalesce((SELECT ST_AsMVT(q, '$cad', 4096, 'geom', 'fid' ORDER BY q.fid) FROM (SELECT t.fid, $cols,
   ST_AsMVTGeom(t.geom_3857, ST_TileEnvelope(b.z, b.x, b.y), 4096, 64, true) AS geom
   FROM sit_data.$cad t, (SELECT z, x, y FROM public.bench_tiles WHERE id = :i) b
   WHERE t.geom_3857 && ST_TileEnvelope(b.z, b.x, b.y, margin => 0.015625) LIMIT 25000) q WHERE q.geom IS NOT NULL), ''::bytea);
SQL
  printf '%-34s %10s tiles/s (pgbench -M prepared -c 8)\n' "database limit z$z" \
    "$(pgbench -n -M prepared -c 8 -j 2 -T "$dur" -f "$dir/pgbench$z.sql" "$pg" 2>/dev/null | awk '/^tps/{printf "%.0f", $3}')"
done
psql "$pg" -Xq -c "DROP TABLE public.bench_tiles"
start=$(date +%s.%N)
sit export pmtiles --layers "$all" --minzoom 0 --maxzoom 16 --workers 4 "$dir/lucca.pmtiles"
echo "export z0–z16 of every layer: $(python3 -c "import sys; print(round(float(sys.argv[2]) - float(sys.argv[1]), 1))" "$start" "$(date +%s.%N)") s"
echo "== load after: $(cut -d' ' -f1-3 /proc/loadavg)"
