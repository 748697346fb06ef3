#!/usr/bin/env bash
# Client-bound and outage measurements (issue 11): figures in RESULTS.md.
#
#   internal/server/bench/run.sh [PARCELS]   (default 300000; needs wrk, psql, python3)
#
# A. 64 clients ask for the largest page (limit=10000) and never read; a
#    probe (wrk -c1) alternates items?limit=10 and cold z17 tiles: its p99,
#    against the same probe with no stalled clients.
# B. wrk -t2 -c64 -d60s over tiles, items and /parcels/at; PostgreSQL is
#    restarted (pg_ctl restart -m fast) 20 s in: answers by status, time
#    from PostgreSQL ready to the first 200, the server's log lines, RSS.
#
# PART=A or PART=B runs one of them. Uses its own managed cluster in $BENCH_DIR (default /tmp/sit-bench-http),
# kept between runs. Port 18190.
set -euo pipefail
cd "$(dirname "$0")/../../.."
parcels=${1:-300000}
dir=${BENCH_DIR:-/tmp/sit-bench-http}
bench=internal/server/bench
mkdir -p "$dir"
./scripts/build.sh "$dir/sit"
sit() { "$dir/sit" --data-dir "$dir/pg" --log-level warn "$@"; }
sit db up >/dev/null
if [ ! -f "$dir/loaded-$parcels" ]; then
  sit demo --parcels "$parcels" --no-serve --reset
  touch "$dir/loaded-$parcels"
fi
pw=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['owner_password'])" "$dir/pg/cluster.json")
port=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['port'])" "$dir/pg/cluster.json")
pg="postgres://sit:$pw@127.0.0.1:$port/sit"
cad=$(psql "$pg" -XAtq -c "SELECT name FROM sit.layers WHERE kind = 'cadastral' ORDER BY feature_count DESC LIMIT 1")
psql "$pg" -XAtq -F' ' -c "SELECT ST_X(c), ST_Y(c) FROM (SELECT ST_Centroid(geom) c FROM sit_data.$cad ORDER BY random() LIMIT 20000) s" >"$dir/centers.txt"
extent=$(psql "$pg" -XAtq -F' ' -c "SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM (SELECT ST_Extent(geom) e FROM sit_data.$cad) s")
base=http://127.0.0.1:18190
pid=""
stop() { if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; pid=""; fi; }
trap stop EXIT
serve() {
  stop
  "$dir/sit" --data-dir "$dir/pg" --log-level info --access-log=false serve --addr 127.0.0.1:18190 "$@" >"$dir/serve.log" 2>&1 & pid=$!
  for _ in $(seq 1 100); do curl -fso /dev/null "$base/healthz" && return; sleep 0.1; done
  cat "$dir/serve.log" >&2; exit 1
}
metric() { curl -s "$base/metrics" | awk -v m="$1" '$1==m{print $2}'; }
echo "== $(nproc) cores; load before: $(cut -d' ' -f1-3 /proc/loadavg); $cad: $(psql "$pg" -XAtq -c "SELECT count(*) FROM sit_data.$cad") parcels"

part=${PART:-AB}
if [[ $part == *A* ]]; then
echo "-- A. stalled clients"
serve
LAYER=$cad EXTENT=$extent wrk -t1 -c1 -d15s -s $bench/probe.lua "$base" | grep -E '^(probe|status)' | sed 's/^/   no stalled clients: /'
python3 $bench/stall.py 127.0.0.1:18190 "/collections/$cad/items?limit=10000" 64 45 & spid=$!
sleep 5
LAYER=$cad EXTENT=$extent wrk -t1 -c1 -d30s -s $bench/probe.lua "$base" | grep -E '^(probe|status)' | sed 's/^/   64 stalled clients: /'
echo "   while stalled: in flight $(metric sit_http_requests_in_flight), database connections acquired $(metric sit_db_connections_acquired) of $(metric sit_db_connections_total)"
wait $spid
echo "   after they left: in flight $(metric sit_http_requests_in_flight)"
t0=$(date +%s.%N)
python3 $bench/stall.py 127.0.0.1:18190 "/collections/$cad/items?limit=10000" 64 600 & spid=$!
sleep 5
kill -TERM "$pid"; wait "$pid" && code=0 || code=$?
echo "   SIGTERM with 64 stalled clients: exit $code after $(echo "$(date +%s.%N) - $t0 - 5" | bc) s"
pid=""
kill $spid 2>/dev/null || true; wait $spid 2>/dev/null || true
fi

[[ $part == *B* ]] || exit 0
echo "-- B. wrk 64 connections 60 s, PostgreSQL restarted 20 s in"
serve
data=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['pgdata'])" "$dir/pg/cluster.json" 2>/dev/null || echo "$dir/pg/data")
owner=$(stat -c %U "$data")
CENTERS=$dir/centers.txt LAYER=$cad wrk -t2 -c64 -d60s -s $bench/mix.lua "$base" >"$dir/wrk.txt" & wpid=$!
sleep 20
mark=$(wc -l <"$dir/serve.log")
runuser -u "$owner" -- /usr/lib/postgresql/15/bin/pg_ctl -D "$data" restart -m fast -w >/dev/null
ready=$(date +%s.%N)
until [ "$(curl -s -o /dev/null -w '%{http_code}' "$base/collections/$cad/items?limit=1")" = 200 ]; do sleep 0.02; done
echo "   first 200 $(echo "($(date +%s.%N) - $ready) * 1000" | bc | cut -d. -f1) ms after PostgreSQL was ready (pg_ctl -w returned)"
wait $wpid
sed 's/^/   /' "$dir/wrk.txt"
echo "   server log lines from the restart to the end: $(( $(wc -l <"$dir/serve.log") - mark ))"
tail -n +"$((mark + 1))" "$dir/serve.log" | sed 's/^/     | /'
echo "   RSS: $(awk '/VmRSS|VmHWM/{printf "%s %s %s  ", $1, $2, $3}' /proc/$pid/status)"
stop
