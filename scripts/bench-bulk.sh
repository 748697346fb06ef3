#!/usr/bin/env bash
# The bulk-download benchmark of BENCHMARKS.md (issue 18), rerunnable:
#
#   scripts/bench-bulk.sh [N]        (default 1000000 parcels)
#
# writes N synthetic parcels as the Agenzia delle Entrate INSPIRE bulk
# download (sit gen --format inspire-bulk: ITALIA/TOSCANA.zip → LU.zip →
# <BELFIORE>_<NOME>.zip → _ple.gml + _map.gml), imports the region zip in one
# command under /usr/bin/time -v (wall time, features/s, peak RSS, CPU
# seconds of sit), then the next release with one comune changed
# (scripts/bench/next-release.py) and the same release again, and checks
# that the unchanged comuni's rows of the new version are those of the
# previous one (same fid, same values and geometry bytes). It writes its
# section of BENCHMARKS.md between <!-- bench:bulk-N --> markers.
#
# Environment: BENCH_DIR (default /tmp/sit-bench-bulk: the managed cluster
# and the archives, kept between runs), BENCH_CHANGE (the Belfiore code of
# the comune changed in the next release; default the first of the
# archive), BENCH_OUT (BENCHMARKS.md). Needs psql, python3, /usr/bin/time.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
n=${1:-1000000}
[[ "$n" =~ ^[0-9]+$ ]] || { echo "usage: scripts/bench-bulk.sh [PARCELS]" >&2; exit 2; }
dir=${BENCH_DIR:-/tmp/sit-bench-bulk}
out=${BENCH_OUT:-$root/BENCHMARKS.md}
gen="$dir/gen-$n"
layer=bench_bulk
mkdir -p "$dir"
for t in psql python3 /usr/bin/time; do
  command -v "$t" >/dev/null || { echo "bench-bulk: $t is missing (scripts/setup.sh --demo installs PostgreSQL)" >&2; exit 1; }
done

commit=$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . ':!BENCHMARKS.md' ':!docs' || echo "+changes") # what is built
./scripts/build.sh "$dir/sit"
sit() { "$dir/sit" --data-dir "$dir/pg" --log-level warn "$@"; }
sit db up >/dev/null
js() { python3 -c "import json,sys; print(json.load(open(sys.argv[1])).get(sys.argv[2]) or sys.argv[3])" "$dir/pg/cluster.json" "$1" "${2:-}"; }
pg="postgres://$(js owner_role sit):$(js owner_password)@127.0.0.1:$(js port)/sit"
q() { psql "$pg" -XAtq -v ON_ERROR_STOP=1 "$@"; }
. scripts/lib/bench.sh # load, mb, fmt, timed, write_section

echo "== bench-bulk N=$n: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
start_load=$(cut -d' ' -f1-3 /proc/loadavg)
when=$(date -u '+%Y-%m-%d %H:%M UTC')

# 1. The archives: this release and the next, with one comune changed.
if [ ! -s "$gen/manifest.json" ]; then
  rm -rf "$gen"
  timed gen "$dir/sit" gen --format inspire-bulk --parcels "$n" --out "$gen"
  echo "$wall $rss" >"$gen/gen-time"
fi
read -r gen_s gen_rss <"$gen/gen-time"
archive="$gen/ITALIA/TOSCANA.zip"
read -r members comuni fogli first < <(python3 -c "
import json, sys
m = json.load(open(sys.argv[1])); ms = m['archives'][0]['members']
print(len(ms), len({x['belfiore'] for x in ms}), m['fogli'], ms[0]['belfiore'])" "$gen/manifest.json")
change=${BENCH_CHANGE:-$first}
next="$dir/next-$n-$change/ITALIA/TOSCANA.zip"
if [ ! -s "$next" ]; then
  mkdir -p "$(dirname "$next")"
  python3 scripts/bench/next-release.py "$archive" "$next.tmp" "$change" && mv "$next.tmp" "$next"
fi
changed=$(python3 -c "
import json, sys
m = json.load(open(sys.argv[1]))
print(sum(x['features'] for x in m['archives'][0]['members'] if x['belfiore'] == sys.argv[2] and x['type'] == 'CadastralParcel'))" "$gen/manifest.json" "$change")
echo "data: $members members, $comuni comuni, $fogli fogli, $(( $(stat -c %s "$archive") / 1000000 )) MB; next release changes $change ($changed parcels)"

# 2. The imports, into layers of their own made afresh.
for l in particelle fogli; do sit layers rm --yes "${layer}_$l" >/dev/null 2>&1 || true; done
timed import-1 "$dir/sit" --data-dir "$dir/pg" --log-level warn import "$archive" --layer "$layer"
first_s=$wall first_rss=$rss first_cpu=$cpu first_ld=$ld
v1=$(q -c "SELECT version FROM sit.layers WHERE name = '${layer}_particelle'")
timed import-2 "$dir/sit" --data-dir "$dir/pg" --log-level warn import "$next" --layer "$layer" --release-date 2025-12-31
next_s=$wall next_rss=$rss next_cpu=$cpu next_ld=$ld
grep -q "1 changed ($change " "$dir/time-import-2.log" || { echo "bench-bulk: the next release did not report $change alone:" >&2; cat "$dir/time-import-2.log" >&2; exit 1; }
v2=$(q -c "SELECT version FROM sit.layers WHERE name = '${layer}_particelle'")
timed import-3 "$dir/sit" --data-dir "$dir/pg" --log-level warn import "$next" --layer "$layer"
same_s=$wall same_ld=$ld
grep -q "nothing changed" "$dir/time-import-3.log" || { echo "bench-bulk: the same release again changed something:" >&2; cat "$dir/time-import-3.log" >&2; exit 1; }

# 3. The unchanged comuni's rows: every one in the new version, as it was.
read -r kept differ < <(q -F ' ' -c "SELECT count(*), count(*) FILTER (WHERE n.fid IS NULL OR to_jsonb(o) <> to_jsonb(n)
  OR ST_AsEWKB(o.geom) <> ST_AsEWKB(n.geom) OR ST_AsEWKB(o.geom_3857) <> ST_AsEWKB(n.geom_3857))
  FROM sit_versions.${layer}_particelle_v$v1 o LEFT JOIN sit_versions.${layer}_particelle_v$v2 n ON n.fid = o.fid WHERE o.comune <> '$change'")
[ "$differ" = 0 ] || { echo "bench-bulk: $differ rows of unchanged comuni differ between versions $v1 and $v2" >&2; exit 1; }
end_load=$(cut -d' ' -f1-3 /proc/loadavg)

# 4. The section of BENCHMARKS.md.
total=$((n + fogli))
pgv=$(q -c "SELECT split_part(version(), ' ', 2) || ', PostGIS ' || postgis_lib_version()")
per() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", n / s }'; }
section=$(cat <<EOF
<!-- bench:bulk-$n -->
## Bulk download, $(fmt "$n") parcels (issue 18)

\`scripts/bench-bulk.sh $n\` at $when, commit \`$commit\`. Machine: $(nproc) × $(lscpu | awk -F': +' '/Model name/ { print $2; exit }'),
$(free -g | awk '/Mem:/ { print $2 }') GiB, PostgreSQL $pgv; sit and PostgreSQL on the same cores. Load average at the
start $start_load, at the end $end_load; each row gives the 1-minute load before it.
Data: \`sit gen --format inspire-bulk --parcels $n\` — one region zip of $(( $(stat -c %s "$archive") / 1000000 )) MB, $members GML members
($comuni comuni, $(fmt "$n") parcels, $fogli fogli) written in $gen_s s. The next release changes the files of $change ($(fmt "$changed") parcels).

| \`sit import ITALIA/TOSCANA.zip --layer $layer\` (under \`/usr/bin/time -v\`) | wall | features/s | peak RSS | CPU of sit | load |
| --- | ---: | ---: | ---: | ---: | ---: |
| first release: every member, parcels and fogli in one transaction | $first_s s | $(fmt "$(per "$total" "$first_s")") | $(mb "$first_rss") | $first_cpu s ($(fmt "$(per "$total" "$first_cpu")") features per CPU-second) | $first_ld |
| next release: $change reloaded, $(fmt "$kept") parcels of $((comuni - 1)) comuni kept | $next_s s | $(fmt "$(per "$changed" "$next_s")") reloaded | $(mb "$next_rss") | $next_cpu s | $next_ld |
| the same release again: nothing changed, nothing written | $same_s s | | | | $same_ld |

The kept rows of version $v2 compared with version $v1 (fid, every column, geometry bytes): $(fmt "$kept") rows, $differ different.
<!-- /bench:bulk-$n -->
EOF
)
write_section "bulk-$n" "$out"
echo "== wrote the bulk-$n section of $out"
