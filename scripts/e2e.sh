#!/usr/bin/env bash
# End-to-end checks with real clients (GDAL, QGIS, npm validators, headless
# Chromium) against a live `sit serve`. Each scripts/e2e-*.sh is one area;
# this builds sit once (SIT_E2E_SIT, for every script) and the shared fixture
# of scripts/lib/e2e.sh once (the demo data, a base map, one server), and
# runs the scripts in two lanes side by side:
#   - those on the fixture, one at a time (they count requests in its one
#     server log);
#   - those with a cluster and server of their own (no e2e_fixture: cdu,
#     production, upgrade), one at a time, each one's output shown as a
#     block when it ends.
# It removes the fixture at the end.
#
#   scripts/e2e.sh                 every script
#   scripts/e2e.sh tiles qgis      some of them
#   scripts/e2e.sh --down DIR      stop a fixture kept with SIT_E2E_KEEP=1
set -euo pipefail
. "$(dirname "$0")/lib/e2e.sh"
if [ "${1:-}" = --down ]; then
  e2e_fixture_down "${2:?usage: scripts/e2e.sh --down DIR}"
  exit 0
fi
e2e_init all

scripts=()
if [ $# -gt 0 ]; then
  for n in "$@"; do scripts+=("scripts/e2e-$n.sh"); done
else
  scripts=(scripts/e2e-*.sh)
fi
status=0
on_fixture=() own=()
for s in "${scripts[@]}"; do
  [ -e "$s" ] || { echo "no script $s" >&2; status=1; continue; }
  if e2e_uses_fixture "$s"; then on_fixture+=("$s"); else own+=("$s"); fi
done

# run_script S: runs S with its name and wall time around its output.
run_script() {
  local t0=$SECONDS rc=0
  echo "== $1" >&2
  "$1" || rc=$?
  [ $rc = 0 ] || echo "FAILED: $1" >&2
  echo "== $1: $(( SECONDS - t0 )) s" >&2
  return $rc
}

e2e_need go
e2e_node_tools # before the lanes: npm ci once
SIT_E2E_SIT=$work/sit
# -trimpath: the same compiled packages as scripts/check-clone.sh's build of
# a clone (test.sh runs it first), whatever directory they were built in.
GOFLAGS="-trimpath ${GOFLAGS:-}" ./scripts/build.sh "$SIT_E2E_SIT"
export SIT_E2E_SIT

lane=""
if [ ${#own[@]} -gt 0 ]; then
  (
    st=0
    for s in "${own[@]}"; do
      log=$work/$(basename "$s" .sh).log
      run_script "$s" >"$log" 2>&1 || st=1
      cat "$log" >&2
    done
    exit $st
  ) &
  lane=$!
  # A failure of this lane (the fixture) still waits for the other one,
  # whose scripts then clean up after themselves.
  e2e_on_exit "wait $lane 2>/dev/null || true"
fi
if [ ${#on_fixture[@]} -gt 0 ]; then
  e2e_fixture
  export SIT_E2E_DIR=$E2E_DIR
  for s in "${on_fixture[@]}"; do run_script "$s" || status=1; done
fi
if [ -n "$lane" ]; then
  wait "$lane" || status=1
fi
exit $status
