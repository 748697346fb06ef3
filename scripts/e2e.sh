#!/usr/bin/env bash
# End-to-end checks with real clients (GDAL, QGIS, npm validators, headless
# Chromium) against a live `sit serve`. Each scripts/e2e-*.sh is one area;
# this builds the shared fixture of scripts/lib/e2e.sh once (the demo data,
# a base map, one server), runs every script against it, one at a time, and
# removes it at the end.
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
e2e_node_tools
e2e_fixture
export SIT_E2E_DIR=$E2E_DIR

scripts=()
if [ $# -gt 0 ]; then
  for n in "$@"; do scripts+=("scripts/e2e-$n.sh"); done
else
  scripts=(scripts/e2e-*.sh)
fi
status=0
for s in "${scripts[@]}"; do
  [ -e "$s" ] || { echo "no script $s" >&2; status=1; continue; }
  echo "== $s" >&2
  t0=$SECONDS
  if ! "$s"; then
    echo "FAILED: $s" >&2
    status=1
  fi
  echo "== $s: $(( SECONDS - t0 )) s" >&2
done
exit $status
