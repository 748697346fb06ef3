#!/usr/bin/env bash
# README command 1: the demo. Installs PostgreSQL+PostGIS if missing, builds
# sit (and the viewer), starts a private cluster in ./.sit/pg, imports the
# bundled and generated Lucca data on first run, serves http://127.0.0.1:8080.
set -euo pipefail
cd "$(dirname "$0")/.."
SIT_SKIP_BROWSER=1 ./scripts/setup.sh --demo
if [ -f web/package.json ]; then
  (cd web && npm ci --no-audit --no-fund --loglevel=error && npm run build --silent)
fi
./scripts/build.sh bin/sit
exec ./bin/sit demo "$@"
