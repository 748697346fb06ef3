#!/usr/bin/env bash
# End-to-end checks with real clients (GDAL, npm validators, headless
# Chromium) against a live `sit serve`. Each scripts/e2e-*.sh is one area;
# they all get the node tools of e2e/ (pinned in its lockfile).
set -euo pipefail
cd "$(dirname "$0")/.."
(cd e2e && npm ci --no-audit --no-fund --loglevel=error)
export PATH="$PWD/e2e/node_modules/.bin:$PATH"
export NODE_PATH="$PWD/e2e/node_modules"
status=0
for s in scripts/e2e-*.sh; do
  [ -e "$s" ] || continue
  echo "== $s" >&2
  if ! "$s"; then
    echo "FAILED: $s" >&2
    status=1
  fi
done
exit $status
