#!/usr/bin/env bash
# Upgrading the sit binary (README: Upgrading): an older sit, built from this
# repository's history (SIT_UPGRADE_FROM, default 93de19e: the first with
# the owner/reader roles, three migrations behind 0400, 0500 and 0501, which
# moves every layer's table), makes a cluster and imports; then this sit:
#   - sit serve refuses the older database and says what to run;
#   - sit db backup of the older schema; sit db up upgrades it (roles,
#     migrations): the same layers, versions and feature counts, served;
#   - the older backup restored by this sit into a fresh data directory is
#     migrated and holds the same.
set -euo pipefail
cd "$(dirname "$0")/.."
note() { echo "e2e-upgrade: $*" >&2; }
fail() { echo "e2e-upgrade: FAIL: $*" >&2; exit 1; }

base=${SIT_UPGRADE_FROM:-93de19e}
if ! git cat-file -e "$base^{commit}" 2>/dev/null; then
  # A shallow clone (some CI checkouts) lacks the older commit: fetch the
  # history if the remote answers; without it there is no older sit to build.
  [ "$(git rev-parse --is-shallow-repository)" = true ] && git fetch -q --unshallow 2>/dev/null || true
  if ! git cat-file -e "$base^{commit}" 2>/dev/null; then
    [ "$(git rev-parse --is-shallow-repository)" = true ] ||
      fail "commit $base is not in this repository (set SIT_UPGRADE_FROM)"
    note "SKIP: a shallow clone without commit $base and no remote to fetch it from (git fetch --unshallow)"
    exit 0
  fi
fi
work=$(mktemp -d /tmp/sit-upgrade.XXXXXX)
chmod 755 "$work" # the server user (postgres, when run as root) reaches the data
serve_pid=""
cleanup() {
  local s=$?
  [ -z "$serve_pid" ] || kill "$serve_pid" 2>/dev/null || true
  for d in pg pg2; do [ -x "$work/sit" ] && "$work/sit" --data-dir "$work/$d" db down >/dev/null 2>&1 || true; done
  if [ $s != 0 ]; then for f in "$work"/*.log; do [ -f "$f" ] && { echo "--- $f" >&2; tail -20 "$f" >&2; }; done; fi
  rm -rf "$work"
}
trap cleanup EXIT

note "building sit $base and this sit"
mkdir "$work/old"
git archive "$base" | tar -x -C "$work/old"
# -trimpath: the temporary directory stays out of the build cache's keys,
# so a later run reuses the older sit's compiled packages.
(cd "$work/old" && go build -trimpath -o "$work/sit-old" ./cmd/sit)
# this sit: the one scripts/e2e.sh built for every script, else built here.
if [ -n "${SIT_E2E_SIT:-}" ]; then cp "$SIT_E2E_SIT" "$work/sit"; else ./scripts/build.sh "$work/sit"; fi
old() { "$work/sit-old" --data-dir "$work/pg" --log-level warn "$@"; }
new() { "$work/sit" --data-dir "$work/$dir" --log-level warn "$@"; }
dir=pg

note "the older sit: a cluster, three imports"
old db up >"$work/old.log"
comuni=data/admin/openpolis_limits_P_46_municipalities.geojson
old import "$comuni" --layer comuni --kind boundary >>"$work/old.log"
old import "$comuni" --layer comuni --kind boundary --replace >>"$work/old.log"
old import data/lucca_046017_boundary.geojson --layer lucca --kind boundary >>"$work/old.log"

# layers DIR: name, version and rows of each layer, read through sit_data
# (a table before migration 0501, a view of the current version after).
layers() {
  local url
  url=$(python3 -c 'import json,sys; c=json.load(open(sys.argv[1])); print("postgres://%s:%s@127.0.0.1:%s/sit" % (c.get("owner_role") or "sit", c["owner_password"], c["port"]))' "$work/$1/cluster.json")
  psql "$url" -XAtq -c "SELECT name, version FROM sit.layers ORDER BY name" | while IFS='|' read -r name version; do
    echo "$name $version $(psql "$url" -XAtq -c "SELECT count(*) FROM sit_data.\"$name\"")"
  done
}
layers pg >"$work/before.txt"
[ "$(cat "$work/before.txt")" = $'comuni 2 33\nlucca 1 1' ] || fail "the older sit's layers: $(cat "$work/before.txt")"

note "this sit's server refuses the older database"
code=0
new serve --addr 127.0.0.1:0 >"$work/refused.log" 2>&1 || code=$?
[ $code = 1 ] && grep -q 'sit db up' "$work/refused.log" || fail "serve on the older database: exit $code: $(cat "$work/refused.log")"

note "backup of the older schema, then sit db up"
new db backup "$work/before.sitbackup" >"$work/backup.log"
grep -q 'schema 0650' "$work/backup.log" || fail "backup summary: $(cat "$work/backup.log")"
new db up >"$work/up.log"
layers pg >"$work/after.txt"
diff "$work/before.txt" "$work/after.txt" || fail "layers changed by the upgrade"
psql "$(python3 -c 'import json,sys; c=json.load(open(sys.argv[1])); print("postgres://%s:%s@127.0.0.1:%s/sit" % (c.get("owner_role") or "sit", c["owner_password"], c["port"]))' "$work/pg/cluster.json")" \
  -XAtq -c "SELECT max(version) FROM sit.schema_migrations" >"$work/schema.txt"
[ "$(cat "$work/schema.txt")" -ge 501 ] || fail "migrations not applied: $(cat "$work/schema.txt")"

note "the upgraded database serves"
# The background child opens the log itself: make it before polling it.
: >"$work/serve.log"
"$work/sit" --data-dir "$work/pg" serve --addr 127.0.0.1:0 >"$work/serve.log" 2>&1 &
serve_pid=$!
url=""
for _ in $(seq 1 300); do
  url=$(sed -n 's/.*msg=serving url=\(http:[^ ]*\)\/ .*/\1/p' "$work/serve.log" | head -1)
  [ -n "$url" ] && break
  kill -0 "$serve_pid" 2>/dev/null || fail "sit serve exited"
  sleep 0.2
done
[ -n "$url" ] || fail "sit serve did not start"
n=$(curl -sf "$url/collections/comuni/items?limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["numberMatched"])')
[ "$n" = 33 ] || fail "comuni serves $n features"
kill "$serve_pid"; wait "$serve_pid" || fail "sit serve did not exit 0 on SIGTERM"
serve_pid=""

note "the older backup, restored by this sit into a fresh data directory, is migrated"
dir=pg2
new db restore "$work/before.sitbackup" >"$work/restore.log"
layers pg2 >"$work/restored.txt"
diff "$work/before.txt" "$work/restored.txt" || fail "the restored layers differ"
note "ok: $(tr '\n' ';' <"$work/before.txt") kept from sit $base to $("$work/sit" version | head -1)"
