# shellcheck shell=bash
# The shared harness of the end-to-end scripts (scripts/e2e-*.sh). Each
# script sources it and says what it needs:
#
#   . "$(dirname "$0")/lib/e2e.sh"
#   e2e_init tiles             # messages "e2e-tiles: …"; cd to the repository
#   e2e_need ogrinfo psql      # a missing tool: SKIP locally, FAIL when CI=true
#   e2e_node_tools             # the pinned clients of e2e/ on PATH and NODE_PATH
#   e2e_chromium               # $chromium: Debian's Chromium for playwright-core
#   e2e_fixture                # the shared fixture → $base, $pgurl, sit, q …
#
# The fixture is ONE generated dataset and ONE server for every script: a
# managed PostgreSQL cluster with the demo data (SIT_E2E_PARCELS parcels,
# default 50 000, the demo's own size, which has foglio 37 particella 125),
# a small PMTiles base map (the comuni, z0–z10) and one `sit serve` with
# --pmtiles-dir and --basemap, logging every request (debug) so that scripts
# can count what a client sent. scripts/e2e.sh builds it once and hands it
# down in SIT_E2E_DIR; a script run alone builds it and removes it at exit
# (SIT_E2E_KEEP=1 keeps it: re-run scripts against it with SIT_E2E_DIR=DIR,
# and stop it with `scripts/e2e.sh --down DIR`). A script that changes the
# data puts it back at exit (e2e_on_exit). Scripts run one at a time: they
# count requests in the one server log.

E2E_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
E2E_NAME=e2e
E2E_OWN_FIXTURE=""
E2E_EXIT_HOOKS=()

fail() { echo "$E2E_NAME: FAIL: $*" >&2; exit 1; }
ok() { echo "$E2E_NAME: ok: $*" >&2; }
note() { echo "$E2E_NAME: $*" >&2; }

# e2e_init NAME: names the messages, goes to the repository root, makes a
# work directory ($work) removed at exit.
e2e_init() {
  E2E_NAME="e2e-$1"
  cd "$E2E_ROOT"
  root=$E2E_ROOT
  work=$(mktemp -d "${TMPDIR:-/tmp}/sit-$E2E_NAME.XXXXXX")
  trap e2e_exit EXIT
}

# e2e_on_exit CMD…: run CMD at exit (last registered first), before the
# fixture is removed. Failures are reported, never fatal.
e2e_on_exit() { E2E_EXIT_HOOKS=("$*" "${E2E_EXIT_HOOKS[@]}"); }

e2e_exit() {
  local rc=$? hook
  for hook in "${E2E_EXIT_HOOKS[@]}"; do
    eval "$hook" || echo "$E2E_NAME: exit hook failed: $hook" >&2
  done
  [ -n "${work:-}" ] && rm -rf "$work"
  if [ -n "$E2E_OWN_FIXTURE" ] && [ "${SIT_E2E_KEEP:-}" != 1 ]; then
    e2e_fixture_down "$E2E_OWN_FIXTURE"
  elif [ -n "$E2E_OWN_FIXTURE" ]; then
    echo "$E2E_NAME: fixture kept: SIT_E2E_DIR=$E2E_OWN_FIXTURE (stop: scripts/e2e.sh --down $E2E_OWN_FIXTURE)" >&2
  fi
  return $rc
}

# e2e_need TOOL…: each must be on PATH. Locally a missing one skips the
# script (exit 0); under CI=true it fails it.
e2e_need() {
  local t
  for t in "$@"; do
    command -v "$t" >/dev/null 2>&1 && continue
    if [ "${CI:-}" = true ]; then fail "$t is not installed (scripts/setup.sh installs it)"; fi
    echo "$E2E_NAME: SKIP: $t is not installed" >&2
    exit 0
  done
}

# e2e_chromium: sets $chromium to Debian's Chromium (CHROMIUM overrides),
# never a downloaded browser; missing, it skips the script locally and
# fails it under CI=true.
e2e_chromium() {
  chromium=${CHROMIUM:-/usr/bin/chromium}
  [ -x "$chromium" ] && return 0
  if [ "${CI:-}" = true ]; then fail "no Chromium at $chromium (scripts/setup.sh installs it; never a downloaded browser)"; fi
  echo "$E2E_NAME: SKIP: no Chromium at $chromium" >&2
  exit 0
}

# e2e_node_tools: the clients and validators pinned in e2e/package-lock.json.
e2e_node_tools() {
  e2e_need node npm
  if [ ! -f e2e/node_modules/.package-lock.json ] || [ e2e/package-lock.json -nt e2e/node_modules/.package-lock.json ]; then
    (cd e2e && npm ci --no-audit --no-fund --loglevel=error)
  fi
  export PATH="$E2E_ROOT/e2e/node_modules/.bin:$PATH"
  export NODE_PATH="$E2E_ROOT/e2e/node_modules${NODE_PATH:+:$NODE_PATH}"
}

# e2e_fixture: uses the fixture in SIT_E2E_DIR when it is up, else builds
# one (in SIT_E2E_DIR, or a new directory) that this script owns. Sets
# E2E_DIR, base (server URL), pgurl (owner URL), serve_log, and the helpers
# sit, q, requests.
e2e_fixture() {
  e2e_need go curl python3 psql
  E2E_DIR=${SIT_E2E_DIR:-}
  if [ -n "$E2E_DIR" ] && [ -f "$E2E_DIR/fixture.env" ]; then
    e2e_fixture_up "$E2E_DIR" || { tail -20 "$E2E_DIR/serve.log" >&2; fail "the server of the fixture in $E2E_DIR does not answer"; }
  else
    if [ -z "$E2E_DIR" ]; then E2E_DIR=$(mktemp -d "${TMPDIR:-/tmp}/sit-e2e.XXXXXX"); fi
    E2E_OWN_FIXTURE=$E2E_DIR
    e2e_fixture_build "$E2E_DIR" || fail "could not build the fixture (logs in $E2E_DIR)"
  fi
  # shellcheck disable=SC1091
  . "$E2E_DIR/fixture.env"
  serve_log=$E2E_DIR/serve.log
}

# e2e_fixture_up DIR: true when DIR holds a fixture whose server answers.
e2e_fixture_up() {
  [ -f "$1/fixture.env" ] || return 1
  local base=""
  # shellcheck disable=SC1091
  . "$1/fixture.env"
  curl -sf -o /dev/null "$base/readyz"
}

# e2e_fixture_build DIR: sit (with the committed viewer bundle), demo data,
# base map, server.
e2e_fixture_build() {
  local d=$1 t0=$SECONDS
  mkdir -p "$d/pm"
  note "building the shared fixture in $d"
  e2e_sit_binary "$d/sit"
  "$d/sit" --data-dir "$d/pg" --log-level warn demo --parcels "${SIT_E2E_PARCELS:-50000}" --no-serve >"$d/demo.log" 2>&1 ||
    { cat "$d/demo.log" >&2; return 1; }
  # The viewer's base map: the comuni as a small archive, read by pmtiles.js with Range requests.
  "$d/sit" --data-dir "$d/pg" --log-level warn export pmtiles --layers comuni_lu --maxzoom 10 "$d/pm/base.pmtiles" >"$d/basemap.log" 2>&1 ||
    { cat "$d/basemap.log" >&2; return 1; }
  # The background child opens the log itself: make it before polling it.
  : >"$d/serve.log"
  "$d/sit" --data-dir "$d/pg" --log-level debug serve --addr 127.0.0.1:0 --pmtiles-dir "$d/pm" \
    --basemap /pmtiles/base.pmtiles >"$d/serve.log" 2>&1 &
  echo $! >"$d/serve.pid"
  local url="" _
  for _ in $(seq 1 300); do
    url=$(sed -n 's/.*msg=serving url=\(http:[^ ]*\)\/ .*/\1/p' "$d/serve.log" | head -1)
    [ -n "$url" ] && break
    kill -0 "$(cat "$d/serve.pid")" 2>/dev/null || break
    sleep 0.1
  done
  [ -n "$url" ] || { cat "$d/serve.log" >&2; return 1; }
  local pg
  pg=$(python3 -c 'import json,sys; c=json.load(open(sys.argv[1])); print("postgres://%s:%s@127.0.0.1:%s/sit" % (c.get("owner_role") or "sit", c["owner_password"], c["port"]))' "$d/pg/cluster.json")
  # Written last: a fixture.env means a complete fixture.
  printf 'base=%q\npgurl=%q\n' "$url" "$pg" >"$d/fixture.env.tmp"
  mv "$d/fixture.env.tmp" "$d/fixture.env"
  note "fixture ready in $(( SECONDS - t0 )) s: $url, $(wc -l <"$d/demo.log") demo log lines"
}

# e2e_sit_binary PATH: sit at PATH, stamped by scripts/build.sh: a copy of
# the one scripts/e2e.sh built for every script (SIT_E2E_SIT), else built.
e2e_sit_binary() {
  if [ -n "${SIT_E2E_SIT:-}" ]; then
    cp "$SIT_E2E_SIT" "$1"
  else
    ./scripts/build.sh "$1"
  fi
}

# e2e_uses_fixture SCRIPT: true when SCRIPT runs on the shared fixture;
# the others make a cluster and server of their own.
e2e_uses_fixture() { grep -q '^e2e_fixture\b' "$1"; }

# e2e_fixture_down DIR: stops the server and the cluster, removes DIR.
e2e_fixture_down() {
  local d=$1 pid
  [ -d "$d" ] || return 0
  if [ -f "$d/serve.pid" ]; then
    pid=$(cat "$d/serve.pid")
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true # our child: reaped; else poll below
    local _
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  [ -x "$d/sit" ] && "$d/sit" db down --data-dir "$d/pg" >/dev/null 2>&1 || true
  rm -rf "$d"
}

# sit …: the CLI as the owner, on the fixture's cluster.
sit() { "$E2E_DIR/sit" --data-dir "$E2E_DIR/pg" --log-level warn "$@"; }

# q SQL: one query as the owner, unaligned, fields separated by a space.
q() { psql "$pgurl" -XAtq -F' ' -c "$1"; }

# served: the SQL condition on sit.layers of what an anonymous client sees at
# the URLs without /c/{comune}/ (public layers of the default comune and the
# shared ones), the demo's own (no e2e_ layers of a running script).
served="name NOT LIKE 'e2e\\_%' AND visibility = 'public' AND (comune IS NULL OR comune IN (SELECT slug FROM sit.comuni WHERE is_default))"

# requests PATH: how many requests for PATH (a regular expression) the server has logged.
requests() { grep -c "msg=request .*path=$1" "$serve_log" || true; }

# tile_of Z LON LAT → "z x y" of the Web Mercator tile holding the point.
tile_of() {
  python3 -c "import math,sys; z=int(sys.argv[1]); lon=float(sys.argv[2]); lat=float(sys.argv[3]); n=2**z; r=math.radians(lat); print(z, int((lon+180)/360*n), int((1-math.log(math.tan(r)+1/math.cos(r))/math.pi)/2*n))" "$@"
}

# e2e_wait_layer NAME: waits until the server's catalog (which hears imports
# through LISTEN/NOTIFY) serves NAME at the version the database has.
e2e_wait_layer() {
  local want got _
  want=$(q "SELECT version FROM sit.layers WHERE name = '$1'")
  [ -n "$want" ] || fail "no layer $1 in the database"
  for _ in $(seq 1 300); do
    got=$(curl -sf "$base/layers" | python3 -c 'import json,sys; print(next((str(l["version"]) for l in json.load(sys.stdin)["layers"] if l["name"] == sys.argv[1]), ""))' "$1" || true)
    [ "$got" = "$want" ] && return 0
    sleep 0.1
  done
  fail "the server did not see version $want of layer $1 (it serves '${got:-none}')"
}
