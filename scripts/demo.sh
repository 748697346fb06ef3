#!/usr/bin/env bash
# README command 1: the demo. Installs PostgreSQL+PostGIS if missing, builds
# sit (the viewer is committed in web/dist and embedded: no Node.js needed),
# starts a private cluster in ./.sit/pg, imports the bundled and generated
# Lucca data on first run, serves http://127.0.0.1:8080.
set -euo pipefail
cd "$(dirname "$0")/.."
SIT_SKIP_BROWSER=1 ./scripts/setup.sh --demo
./scripts/build.sh bin/sit
exec ./bin/sit demo "$@"
