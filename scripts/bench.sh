#!/usr/bin/env bash
# The benchmark of BENCHMARKS.md, rerunnable on a fresh machine:
#
#   scripts/bench.sh [N]        (default 200000 parcels)
#
# generates N synthetic parcels (sit gen: Lucca up to 200 000, more comuni at
# the same density beyond), imports them with `sit import` and, on the same
# GeoJSON sequence, with `ogr2ogr -f PostgreSQL` (wall time, features/s, peak
# RSS), then serves them and measures with wrk: vector tiles z13–z17 cold
# (cache off) and warm, beside a static file server sending the same bytes
# (the ceiling) and PostgreSQL alone running SIT's own tile statement
# (pgbench -M prepared); OGC API Features items in random 300 m boxes (p50,
# p99) beside pgbench on SIT's own items statement; paging by next links
# (key seek) and by offset. It writes its section of BENCHMARKS.md (between
# <!-- bench:N --> markers) with the machine, the commit, the load average
# and the tables.
#
# Environment: BENCH_DIR (default /tmp/sit-bench: the managed cluster and the
# generated files, kept between runs), BENCH_SECONDS (10 per wrk/pgbench run),
# BENCH_TILES (2000 tiles per zoom at most), BENCH_OUT (BENCHMARKS.md),
# BENCH_OGR=0 to skip the ogr2ogr comparison.
# Ports 18180 (sit) and 18181 (static server). Needs wrk, pgbench, psql,
# ogr2ogr, curl, /usr/bin/time: installed with apt-get when missing.
set -euo pipefail
trap 'echo "bench: failed (status $?) at line $LINENO: $BASH_COMMAND" >&2' ERR
cd "$(dirname "$0")/.."
root=$(pwd)
n=${1:-200000}
[[ "$n" =~ ^[0-9]+$ ]] || { echo "usage: scripts/bench.sh [PARCELS]" >&2; exit 2; }
dir=${BENCH_DIR:-/tmp/sit-bench}
dur=${BENCH_SECONDS:-10}
maxtiles=${BENCH_TILES:-2000}
out=${BENCH_OUT:-$root/BENCHMARKS.md}
gen="$dir/gen-$n"
layer=lucca_parcels
mkdir -p "$dir"

need=()
for t in wrk:wrk pgbench:postgresql-client psql:postgresql-client ogr2ogr:gdal-bin curl:curl; do
  command -v "${t%%:*}" >/dev/null 2>&1 || need+=("${t#*:}")
done
[ -x /usr/bin/time ] || need+=(time)
if [ ${#need[@]} -gt 0 ]; then
  echo "bench: installing ${need[*]}" >&2
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
SIT_SKIP_BROWSER=1 scripts/setup.sh --demo # PostgreSQL + PostGIS for the managed cluster

./scripts/build.sh "$dir/sit"
go build -o "$dir/staticsrv" ./tiles/internal/staticsrv
sit() { "$dir/sit" --data-dir "$dir/pg" --log-level warn "$@"; }
sit db up >/dev/null
js() { python3 -c "import json,sys; print(json.load(open(sys.argv[1])).get(sys.argv[2]) or sys.argv[3])" "$dir/pg/cluster.json" "$1" "${2:-}"; }
port=$(js port)
owner=$(js owner_role sit) # the role that owns SIT's schemas (not a superuser)
pg="postgres://$owner:$(js owner_password)@127.0.0.1:$port/sit"
rd="postgres://sit_reader:$(js reader_password)@127.0.0.1:$port/sit"
q() { psql "$pg" -XAtq -v ON_ERROR_STOP=1 -c "$1"; }
# pg_stat_activity must hold SIT's statements whole (they are longer than the
# default 1 kB) for pgbench to replay them: a setting of this cluster only.
conf="$(js pgdata)/postgresql.conf"
if ! grep -q '^track_activity_query_size' "$conf"; then
  echo "track_activity_query_size = 65536 # scripts/bench.sh: whole statements in pg_stat_activity" >>"$conf"
  sit db down >/dev/null && sit db up >/dev/null
fi
. scripts/lib/bench.sh # load, mb, fmt, timed, write_section

echo "== bench N=$n: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
start_load=$(cut -d' ' -f1-3 /proc/loadavg)
when=$(date -u '+%Y-%m-%d %H:%M UTC')

# 1. Data.
if [ ! -s "$gen/manifest.json" ]; then
  rm -rf "$gen"
  timed gen "$dir/sit" gen --parcels "$n" --out "$gen"
  gen_s=$wall gen_rss=$rss
  echo "$gen_s $gen_rss" >"$gen/gen-time"
else
  read -r gen_s gen_rss <"$gen/gen-time"
fi
comuni=$(python3 -c "import json,sys; m=json.load(open(sys.argv[1])); print(len(m.get('comuni') or [1]), m['fogli'])" "$gen/manifest.json")
geojson="$gen/$layer.geojsonl"
gj_mb=$(( $(stat -c %s "$geojson") / 1000000 ))
echo "data: comuni, fogli: $comuni; $gj_mb MB, generated in $gen_s s"

# 2. Import: ogr2ogr, then sit (same file, same cluster).
# The benchmark's own tables live in a schema of its own: the owner may not
# create in public, and sit_reader reads them to replay SIT's statements.
q "SET client_min_messages = warning; CREATE SCHEMA IF NOT EXISTS sit_bench; GRANT USAGE ON SCHEMA sit_bench TO sit_reader"
if [ "${BENCH_OGR:-1}" = 1 ]; then
  q "SET client_min_messages = warning; DROP TABLE IF EXISTS sit_bench.bench_ogr"
  l0=$(load)
  timed ogr2ogr ogr2ogr -f PostgreSQL "PG:host=127.0.0.1 port=$port dbname=sit user=$owner password=$(js owner_password)" \
    "$geojson" -nln bench_ogr -lco SCHEMA=sit_bench -lco GEOMETRY_NAME=geom
  ogr_s=$wall ogr_rss=$rss ogr_load=$l0
  ogr_rows=$(q "SELECT count(*) FROM sit_bench.bench_ogr")
  q "DROP TABLE sit_bench.bench_ogr"
else # BENCH_OGR=0: no comparison (a 10 M run is long enough without it)
  ogr_s="" ogr_rss=0 ogr_load="–" ogr_rows=$n
fi
l0=$(load)
timed import "$dir/sit" --data-dir "$dir/pg" --log-level warn import "$geojson" --layer "$layer" --kind cadastral --role cadastre --replace
imp_s=$wall imp_rss=$rss imp_load=$l0
rows=$(q "SELECT feature_count FROM sit.layers WHERE name = '$layer'")
[ "$rows" = "$n" ] && [ "$ogr_rows" = "$n" ] || { echo "bench: imported $rows (sit) and $ogr_rows (ogr2ogr), want $n" >&2; exit 1; }
read -r tbl idx tot < <(q "SELECT pg_table_size(c), pg_indexes_size(c), pg_total_relation_size(c) FROM (SELECT format('sit_versions.%I', table_name)::regclass c FROM sit.layers WHERE name = '$layer') s" | tr '|' ' ')
echo "import: sit $imp_s s ($imp_rss kB), ogr2ogr ${ogr_s:-not run} s ($ogr_rss kB); table $tbl, indexes $idx"

# 3. Samples: points on parcels (at most ~200 000), tiles per zoom, boxes.
step=$(( n > 200000 ? n / 200000 : 1 ))
q "SET client_min_messages = warning; DROP TABLE IF EXISTS sit_bench.bench_pts, sit_bench.bench_tiles, sit_bench.bench_boxes;
CREATE TABLE sit_bench.bench_pts AS SELECT fid, ST_X(p) lon, ST_Y(p) lat FROM (SELECT fid, ST_PointOnSurface(geom) p FROM sit_data.$layer WHERE fid % $step = 0) s;
CREATE TABLE sit_bench.bench_tiles AS SELECT row_number() OVER (PARTITION BY z ORDER BY md5(z || '/' || x || '/' || y))::int id, z, x, y FROM (
  SELECT DISTINCT z, floor((lon + 180) / 360 * 2 ^ z)::int x, floor((1 - ln(tan(radians(lat)) + 1 / cos(radians(lat))) / pi()) / 2 * 2 ^ z)::int y
  FROM sit_bench.bench_pts, generate_series(12, 17) z) t;
DELETE FROM sit_bench.bench_tiles WHERE id > $maxtiles;
CREATE TABLE sit_bench.bench_boxes AS SELECT row_number() OVER (ORDER BY md5(fid::text))::int id,
  lon + (random() - 0.5) * 0.002 - 0.00187 x0, lat + (random() - 0.5) * 0.002 - 0.00135 y0,
  lon + (random() - 0.5) * 0.002 + 0.00187 x1, lat + (random() - 0.5) * 0.002 + 0.00135 y1 FROM sit_bench.bench_pts;
DELETE FROM sit_bench.bench_boxes WHERE id > 20000;
GRANT SELECT ON sit_bench.bench_tiles, sit_bench.bench_boxes TO sit_reader"
for z in 12 13 14 15 16 17; do
  q "SELECT '/tiles/$layer/' || z || '/' || x || '/' || y || '.mvt' FROM sit_bench.bench_tiles WHERE z = $z ORDER BY id" >"$dir/tiles$z.txt"
done
q "SELECT lon || ' ' || lat FROM sit_bench.bench_pts ORDER BY md5(fid::text) LIMIT 20000" >"$dir/centers.txt"

# 4. Serving.
pid=""
fpid="" # pg_featureserv, when it runs
stop() {
  local p
  for p in $pid $fpid; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  pid="" fpid=""
}
trap stop EXIT
serve() {
  stop
  if curl -s -o /dev/null http://127.0.0.1:18180/; then echo "bench: port 18180 is taken by another server" >&2; exit 1; fi
  "$dir/sit" --data-dir "$dir/pg" --log-level error --access-log=false serve --addr 127.0.0.1:18180 "$@" & pid=$!
  for _ in $(seq 600); do curl -sf -o /dev/null http://127.0.0.1:18180/readyz && return; sleep 0.1; done
  echo "bench: the server did not become ready" >&2; exit 1
}
# wrkrun URL SCRIPT [wrk args…]: sets rps p50 p99 errs (the load before in ld).
wrkrun() {
  local url=$1 script=$2 o; shift 2
  ld=$(load)
  o=$(wrk -t1 -c32 -d"${dur}s" --timeout 30s --latency -s "$script" "$@" "$url")
  rps=$(awk '/Requests\/sec/ { printf "%.0f", $2 }' <<<"$o")
  p50=$(awk '$1 == "50%" { print $2 }' <<<"$o"); p99=$(awk '$1 == "99%" { print $2 }' <<<"$o")
  errs=$(grep -E 'Non-2xx|Socket errors' <<<"$o" | tr -s ' \n' ' ' || true)
  lua=$(grep -E '^(requests|pages) ' <<<"$o" || true)
}
# tilecell Z URL: "req/s, p50 / p99 · load" of random tiles of zoom Z.
tilecell() { TILES="$dir/tiles$1.txt" wrkrun "$2" scripts/bench/tiles.lua; echo "$(fmt "$rps"), $p50 / $p99${errs:+ ($errs)} · $ld"; }
declare -A cold warm static dbl
serve --tile-cache-bytes 0
for z in 13 14 15 16 17; do cold[$z]=$(tilecell $z http://127.0.0.1:18180); done

# SIT's own statements, as PostgreSQL saw them (pg_stat_activity of the server's role).
stmt() { psql "$rd" -XAtq -c "SELECT query FROM pg_stat_activity WHERE usename = current_user AND query LIKE '$1' ORDER BY query_start DESC LIMIT 1"; }
for z in 14 15 16 17; do
  curl -s -o /dev/null "http://127.0.0.1:18180$(head -1 "$dir/tiles$z.txt")"
  stmt "/* sit tile z$z %" >"$dir/tile$z.sql"
done

serve --tile-cache-bytes 1073741824
rm -rf "$dir/static"
for z in 13 14 15 16 17; do
  while read -r p; do printf 'url = "http://127.0.0.1:18180%s"\noutput = "%s"\n' "$p" "$dir/static$p"; done <"$dir/tiles$z.txt"
done >"$dir/curl-warm.cfg"
curl -s --no-progress-meter --create-dirs --parallel --parallel-max 8 -H 'Accept-Encoding: gzip' -K "$dir/curl-warm.cfg" 2>/dev/null
for z in 13 14 15 16 17; do warm[$z]=$(tilecell $z http://127.0.0.1:18180); done
srv_rss=$(awk '/VmHWM/ { print $2 }' "/proc/$pid/status")

# Features: random 300 m boxes (p50/p99), key paging, offset paging.
CENTERS="$dir/centers.txt" COLLECTION=$layer wrkrun http://127.0.0.1:18180 scripts/bench/features-bbox.lua
bbox_row="$(fmt "$rps") | $(fmt "$(sed -E 's/.*counted [0-9]+ \(([0-9]+)\/s.*/\1/' <<<"$lua")") | $p50 | $p99 | $ld"
stmt '/* sit items % ST_MakeEnvelope%' >"$dir/items.sql"
COLLECTION=$layer wrkrun http://127.0.0.1:18180 scripts/bench/features-paging.lua -c1
key_row="$(fmt "$rps") | $(fmt "$(sed -E 's/.*features\/s ([0-9]+).*/\1/' <<<"$lua")") | $p50 | $p99 | $ld"
depth() { curl -s -o /dev/null -w '%{time_total}' "http://127.0.0.1:18180/collections/$layer/items?limit=1000&offset=$1" | awk '{ printf "%.0f ms", $1 * 1000 }'; }
depths="offset 0: $(depth 0), offset $(fmt $((n / 2))): $(depth $((n / 2))), offset $(fmt $((n - 1000))): $(depth $((n - 1000)))"
after() { curl -s -o /dev/null -w '%{time_total}' "http://127.0.0.1:18180/collections/$layer/items?limit=1000&after=$1" | awk '{ printf "%.0f ms", $1 * 1000 }'; }
afters="after 0: $(after 0), after $(fmt $((n / 2))): $(after $((n / 2))), after $(fmt $((n - 1000))): $(after $((n - 1000)))"

# Offset paging from several depths, beside pg_featureserv serving the same
# table (the layer's current version in sit_versions, as sit_reader), same
# limit: one connection, then eight with consecutive pages in flight. Each
# run pages on from its start offset (back to it at the end of the layer).
pct_depths="0 25 50 75 99"
declare -A offs
if command -v pg_featureserv >/dev/null 2>&1; then
  vtab=$(q "SELECT table_name FROM sit.layers WHERE name = '$layer'")
  if curl -s -o /dev/null http://127.0.0.1:18182/; then echo "bench: port 18182 (pg_featureserv) is taken" >&2; exit 1; fi
  pgfs() { # a fresh pg_featureserv for each run: no query of the previous one left in it
    kill "$fpid" 2>/dev/null || true; wait "$fpid" 2>/dev/null || true
    DATABASE_URL="$rd" PGFS_SERVER_HTTPHOST=127.0.0.1 PGFS_SERVER_HTTPPORT=18182 PGFS_PAGING_LIMITMAX=10000 \
      PGFS_DATABASE_TABLEINCLUDES=sit_versions pg_featureserv >>"$dir/pg_featureserv.log" 2>&1 & fpid=$!
    for _ in $(seq 100); do curl -sf -o /dev/null "http://127.0.0.1:18182/collections/sit_versions.$vtab" && return; sleep 0.2; done
    echo "bench: pg_featureserv did not start (see $dir/pg_featureserv.log)" >&2; exit 1
  }
  : >"$dir/pg_featureserv.log"
  offcell() { # URL ITEMS START C → "features/s, p50 / p99 · load"
    ITEMS=$2 START=$3 wrkrun "$1" scripts/bench/features-offset.lua -c"$4"
    local f; f=$(sed -E 's/.*features\/s ([0-9]+).*/\1/' <<<"$lua")
    if [ "${f:-0}" = 0 ]; then echo "0: no page in ${dur} s · $ld"; else echo "$(fmt "$f"), $p50 / $p99 · $ld"; fi
  }
  for pc in $pct_depths; do
    st=$(( n * pc / 100 / 1000 * 1000 ))
    for c in 1 8; do
      offs[sit$pc-$c]=$(offcell http://127.0.0.1:18180 "/collections/$layer/items" "$st" "$c")
      pgfs
      offs[pgfs$pc-$c]=$(offcell http://127.0.0.1:18182 "/collections/sit_versions.$vtab/items.json" "$st" "$c")
    done
  done
  pgfs_version=$(pg_featureserv --version 2>&1 | head -1 || true) # it exits 1 after printing it
  kill "$fpid" 2>/dev/null || true; wait "$fpid" 2>/dev/null || true; fpid=""
fi
COLLECTION=$layer wrkrun http://127.0.0.1:18180 scripts/bench/features-offset.lua -c1
off_row="$(fmt "$rps") | $(fmt "$(sed -E 's/.*features\/s ([0-9]+).*/\1/' <<<"$lua")") | $p50 | $p99 | $ld"
deep_off=$(sed -E 's/.*deepest offset ([0-9]+).*/\1/' <<<"$lua")

# Memory with the default configuration (128 MiB budget, 32 MiB tile cache,
# the memory limit derived): every tile fetched once, then 64 connections on
# tiles, bbox pages and key paging; the server's peak RSS (VmHWM).
serve
curl -s --no-progress-meter --parallel --parallel-max 8 -H 'Accept-Encoding: gzip' -K <(sed 's|^output = .*|output = "/dev/null"|' "$dir/curl-warm.cfg") 2>/dev/null
cat "$dir"/tiles1[3-7].txt >"$dir/tiles-all.txt"
TILES="$dir/tiles-all.txt" wrk -t2 -c64 -d"${dur}s" -s scripts/bench/tiles.lua http://127.0.0.1:18180 >/dev/null
CENTERS="$dir/centers.txt" COLLECTION=$layer wrk -t2 -c64 -d"${dur}s" --timeout 30s -s scripts/bench/features-bbox.lua http://127.0.0.1:18180 >/dev/null
COLLECTION=$layer wrk -t2 -c64 -d"${dur}s" --timeout 30s -s scripts/bench/features-paging.lua http://127.0.0.1:18180 >/dev/null
def_rss=$(awk '/VmHWM/ { print $2 }' "/proc/$pid/status")
def_file=$(awk '/RssFile/ { print $2 }' "/proc/$pid/status")
def_cache=$(curl -s http://127.0.0.1:18180/metrics | awk '/^sit_tile_cache_bytes / { printf "%.0f", $2 / 1048576 }')

# Memory with a 512 MiB budget (--tile-cache-bytes), filled: the parcels' tiles do not fill
# it, so a published tile function of the benchmark's own schema adds
# tiles of 4-120 KB of hex text per (z, x, y, n) (gzip halves them) until
# entries are evicted; then the same 64-connection runs, tiles over both.
# Where the bytes go: the runtime's own figures at the end (/metrics).
q "CREATE OR REPLACE FUNCTION sit_bench.filler(z integer, x integer, y integer, n integer DEFAULT 0)
RETURNS bytea LANGUAGE sql IMMUTABLE PARALLEL SAFE AS \$\$
  SELECT convert_to(string_agg(md5(n || '/' || z || '/' || x || '/' || y || '/' || i), ''), 'UTF8')
  FROM generate_series(1, 128 * (1 + abs(hashint4(n + 31 * x + 17 * y)) % 30)) i \$\$;
GRANT EXECUTE ON FUNCTION sit_bench.filler(integer, integer, integer, integer) TO sit_reader"
sit publish sit_bench.filler >/dev/null
awk -v m=20000 '{ p[NR] = $0 } END { for (i = 0; i < m; i++) { t = p[i % NR + 1]; sub("/tiles/[^/]*/", "/tiles/sit_bench.filler/", t); print t "?n=" i } }' "$dir/tiles17.txt" >"$dir/filler.txt"
serve --tile-cache-bytes 536870912
for f in "$dir/tiles-all.txt" "$dir/filler.txt"; do sed 's|^\(.*\)$|url = "http://127.0.0.1:18180\1"\noutput = "/dev/null"|' "$f"; done >"$dir/curl-fill.cfg"
curl -s --no-progress-meter --parallel --parallel-max 8 -H 'Accept-Encoding: gzip' -K "$dir/curl-fill.cfg" 2>/dev/null
cat "$dir/tiles-all.txt" "$dir/filler.txt" >"$dir/tiles-fill.txt"
big_ld=$(load)
TILES="$dir/tiles-fill.txt" wrk -t2 -c64 -d"${dur}s" -s scripts/bench/tiles.lua http://127.0.0.1:18180 >/dev/null
CENTERS="$dir/centers.txt" COLLECTION=$layer wrk -t2 -c64 -d"${dur}s" --timeout 30s -s scripts/bench/features-bbox.lua http://127.0.0.1:18180 >/dev/null
COLLECTION=$layer wrk -t2 -c64 -d"${dur}s" --timeout 30s -s scripts/bench/features-paging.lua http://127.0.0.1:18180 >/dev/null
big_rss=$(awk '/VmHWM/ { print $2 }' "/proc/$pid/status")
big_file=$(awk '/RssFile/ { print $2 }' "/proc/$pid/status")
big_mem=$(curl -s http://127.0.0.1:18180/metrics | awk '
  /^sit_tile_cache_bytes / { c = $2 } /^sit_tile_cache_entries / { e = $2 } /^sit_tile_cache_capacity_bytes / { cap = $2 }
  /^go_memstats_heap_inuse_bytes / { hi = $2 } /^go_memstats_heap_sys_bytes / { hs = $2 }
  /^go_memstats_heap_released_bytes / { hr = $2 } /^go_memstats_stack_sys_bytes / { st = $2 }
  /^go_memstats_sys_bytes / { sy = $2 } /^go_gc_gomemlimit_bytes / { li = $2 }
  END { m = 1048576; printf "cache %.0f MiB in %d tiles (capacity %.0f MiB); Go heap in use %.0f MiB, heap mapped %.0f MiB of which %.0f MiB returned to the system, stacks %.1f MiB, all the runtime has mapped %.0f MiB; memory limit %.0f MiB", c/m, e, cap/m, hi/m, hs/m, hr/m, st/m, sy/m, li/m }')
stop
sit publish --remove sit_bench.filler >/dev/null

# Low zooms with the parcels drawn (they start at z14 by default): cold.
q "UPDATE sit.layers SET min_zoom = 0, updated_at = now() WHERE name = '$layer'"
serve --tile-cache-bytes 0
low="z12: $(tilecell 12 http://127.0.0.1:18180); z13: $(tilecell 13 http://127.0.0.1:18180)"
low1=""
for z in 12 13 14; do # one connection: the latency of a cold tile on its own
  TILES="$dir/tiles$z.txt" wrkrun http://127.0.0.1:18180 scripts/bench/tiles.lua -c1
  low1+="${low1:+; }z$z: p50 $p50, p99 $p99 ($(fmt "$rps") req/s · $ld)"
done
stop
q "UPDATE sit.layers SET min_zoom = 14, updated_at = now() WHERE name = '$layer'"

# The static ceiling: the same gzip bytes from a plain file server.
"$dir/staticsrv" "$dir/static" 127.0.0.1:18181 & spid=$!
for _ in $(seq 100); do curl -s -o /dev/null http://127.0.0.1:18181/ && break; sleep 0.1; done
static[13]="–" # z13 tiles are empty (204): nothing to send
for z in 14 15 16 17; do static[$z]=$(tilecell $z http://127.0.0.1:18181); done
kill $spid; wait $spid 2>/dev/null || true

# PostgreSQL alone: SIT's statements through pgbench (prepared, 8 clients, as the server's role).
pgb() { # SCRIPT → "tps/s, avg latency · load"
  local o ld; ld=$(load)
  o=$(pgbench -n -M prepared -c 8 -j 2 -T "$dur" -f "$1" "$rd" 2>&1) || { echo "failed: $(tail -1 <<<"$o")"; return; }
  echo "$(fmt "$(awk '/^tps/ { printf "%.0f", $3 }' <<<"$o")")/s, avg $(awk '/latency average/ { print $4 " " $5 }' <<<"$o") · $ld"
}
# pgbench reads :name as a variable: SIT's own names with a colon ("sit:fid",
# "sit:n") are renamed for it, which changes no plan.
nocolon='s/sit:\([a-z]\)/sit_\1/g'
for z in 14 15 16 17; do
  nt=$(wc -l <"$dir/tiles$z.txt")
  { echo "\\set i random(1, $nt)"
    echo "SELECT z, x, y FROM sit_bench.bench_tiles WHERE z = $z AND id = :i \\gset"
    sed -e "$nocolon" -e 's/\$1::/:z::/g; s/\$2::/:x::/g; s/\$3::/:y::/g' "$dir/tile$z.sql"; echo ";"; } >"$dir/pgbench-tile$z.sql"
  dbl[$z]=$(pgb "$dir/pgbench-tile$z.sql")
done
if grep -q 'ST_MakeEnvelope(\$1::float8, \$2::float8, \$3::float8, \$4::float8, 4326)' "$dir/items.sql" && grep -q 'LIMIT \$6' "$dir/items.sql" && ! grep -q '\$7' "$dir/items.sql"; then
  { echo "\\set i random(1, $(q 'SELECT count(*) FROM sit_bench.bench_boxes'))"
    echo "\\set cap 10001"
    echo "\\set fetch 101"
    echo "SELECT x0, y0, x1, y1 FROM sit_bench.bench_boxes WHERE id = :i \\gset"
    sed -e "$nocolon" -e 's/\$1::/:x0::/; s/\$2::/:y0::/; s/\$3::/:x1::/; s/\$4::/:y1::/; s/\$5\b/:cap/; s/\$6\b/:fetch/' "$dir/items.sql"; echo ";"; } >"$dir/pgbench-items.sql"
  items_db=$(pgb "$dir/pgbench-items.sql")
else
  items_db="not measured: SIT's items statement has a new shape (see $dir/items.sql)"
fi
q "DROP TABLE sit_bench.bench_pts, sit_bench.bench_tiles, sit_bench.bench_boxes"
end_load=$(cut -d' ' -f1-3 /proc/loadavg)

# 5. The section of BENCHMARKS.md.
commit=$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . ':!BENCHMARKS.md' ':!docs' || echo "+changes")
pgv=$(q "SELECT split_part(version(), ' ', 2) || ', PostGIS ' || postgis_lib_version()")
fps() { awk -v n="$n" -v s="$1" 'BEGIN { printf "%.0f", n / s }'; }
row() { printf '| %s | %s | %s | %s | %s | %s |\n' "$@"; }
if [ -n "${pgfs_version:-}" ]; then
  offtable="Offset paging beside $pgfs_version on the same table (\`sit_versions.$vtab\`, as \`sit_reader\`), \`limit=1000\`, paging on from each
start offset (\`features-offset.lua\` with START; -c8: eight consecutive pages in flight): features/s, p50 / p99 · load.

| start offset | SIT, -c1 | pg_featureserv, -c1 | SIT, -c8 | pg_featureserv, -c8 |
| --- | ---: | ---: | ---: | ---: |"
  for pc in $pct_depths; do
    offtable+=$'\n'"| $(fmt $(( n * pc / 100 / 1000 * 1000 ))) ($pc %) | ${offs[sit$pc-1]} | ${offs[pgfs$pc-1]} | ${offs[sit$pc-8]} | ${offs[pgfs$pc-8]} |"
  done
else
  offtable="Offset paging beside pg_featureserv: not run (pg_featureserv is not installed; it is the anchor of this comparison)."
fi
section=$(cat <<EOF
<!-- bench:$n -->
## $(fmt "$n") parcels

\`scripts/bench.sh $n\` at $when, commit \`$commit\`; BENCH_SECONDS=$dur. Machine: $(nproc) × $(lscpu | awk -F': +' '/Model name/ { print $2; exit }'),
$(free -g | awk '/Mem:/ { print $2 }') GiB, $(uname -sr), PostgreSQL $pgv, $(ogr2ogr --version | cut -d, -f1), $(go version | cut -d' ' -f3);
sit, PostgreSQL and wrk on the same cores. Load average (1, 5, 15 min) at the start $start_load, at the end $end_load; each
row gives the 1-minute load before it (the machine is shared: other builds and tests run beside it).
Data: \`sit gen --parcels $n\` — comuni: $(cut -d' ' -f1 <<<"$comuni"), fogli: $(cut -d' ' -f2 <<<"$comuni"), a $gj_mb MB GeoJSON sequence written in $gen_s s (peak RSS $(mb "$gen_rss")).

| import of the GeoJSON sequence | wall | features/s | peak RSS | load |
| --- | ---: | ---: | ---: | ---: |
| \`sit import --kind cadastral\` (one transaction: validation, 4326 + 3857, area, 5 indexes) | $imp_s s | $(fmt "$(fps "$imp_s")") | $(mb "$imp_rss") | $imp_load |
$(if [ -n "$ogr_s" ]; then echo "| \`ogr2ogr -f PostgreSQL\` (GDAL, COPY, GiST index) | $ogr_s s | $(fmt "$(fps "$ogr_s")") | $(mb "$ogr_rss") | $ogr_load |"; else echo "| \`ogr2ogr -f PostgreSQL\` | not run (BENCH_OGR=0) | | | |"; fi)

Table of \`sit_data.$layer\` (its current version in \`sit_versions\`): $(mb $((tbl / 1024))) heap, $(mb $((idx / 1024))) indexes, $(mb $((tot / 1024))) in all.

Vector tiles of random tiles holding a parcel (up to $maxtiles per zoom), \`wrk -t1 -c32\`, gzip: req/s, p50 / p99 · load.
Parcels are drawn from z14 (z13 answers 204), at z14 as one line feature per foglio (their outlines), parcel by parcel from z15.

| | z13 | z14 | z15 | z16 | z17 |
| --- | ---: | ---: | ---: | ---: | ---: |
$(row "cold (cache off)" "${cold[13]}" "${cold[14]}" "${cold[15]}" "${cold[16]}" "${cold[17]}")
$(row "warm (1 GiB cache)" "${warm[13]}" "${warm[14]}" "${warm[15]}" "${warm[16]}" "${warm[17]}")
$(row "static file server, same bytes (ceiling)" "${static[13]}" "${static[14]}" "${static[15]}" "${static[16]}" "${static[17]}")
$(row "PostgreSQL alone: SIT's tile statement, pgbench -M prepared -c 8" "–" "${dbl[14]}" "${dbl[15]}" "${dbl[16]}" "${dbl[17]}")

Cold low zooms with the parcels drawn (min_zoom 0: the fogli's outlines, as at z14): $low.
The same with one connection (\`wrk -t1 -c1\`, cache off; z14 is where the parcels start by default): $low1.
Server peak RSS after the warm runs (VmHWM, 1 GiB cache): $(mb "$srv_rss"). With the default configuration
(128 MiB memory budget, 32 MiB tile cache, holding $def_cache MiB of tiles at the end) after every tile once and 64 connections on tiles, bbox pages and key
paging: $(mb "$def_rss") (of which $(mb "$def_file") are the binary's own mapped pages).
With a 512 MiB budget (\`--tile-cache-bytes 536870912\`: the whole server keeps to it, the cache holding what the rest leaves) filled by the parcels' tiles and
those of a published tile function (\`sit_bench.filler\`, 20 000 tiles of 2-60 KB gzip), then the same 64-connection runs
over both (load $big_ld before): peak RSS $(mb "$big_rss") (budget $(printf '%+d' $(( (big_rss - 524288) / 1024 ))) MiB; of which $(mb "$big_file") the binary's mapped pages);
$big_mem.

| OGC API Features | req/s | features/s | p50 | p99 | load |
| --- | ---: | ---: | ---: | ---: | ---: |
| random 300 m boxes, \`limit=100\` (\`wrk -t1 -c32\`) | $bbox_row |
| key paging: next links, \`limit=1000\`, one connection | $key_row |
| offset paging: \`limit=1000&offset=k·1000\`, one connection (deepest offset reached $(fmt "$deep_off")) | $off_row |

$offtable

PostgreSQL alone on SIT's bbox statement (pgbench -M prepared -c 8, as \`sit_reader\`): $items_db.
One page of 1 000 at depth: $depths; by key: $afters.
<!-- /bench:$n -->
EOF
)
[ -f "$out" ] || printf '# Benchmarks\n\nWritten by `scripts/bench.sh N`; see docs/SCALING.md for what the figures mean.\n' >"$out"
write_section "$n" "$out"
echo "== wrote the N=$n section of $out"
