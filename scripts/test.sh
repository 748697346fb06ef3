#!/usr/bin/env bash
# README command 2: run every test. Installs what is missing (scripts/setup.sh),
# checks that the committed viewer bundle (web/dist) is what web/src builds and
# that a fresh clone builds it into sit without Node.js, runs the viewer unit
# tests (node --test), then: go vet, go test -race (database tests start their own throwaway PostgreSQL through the
# managed-cluster code), client and browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
if [ -f web/package.json ]; then
  echo "== viewer bundle: web/dist is a reproducible build of web/src" >&2
  (cd web && npm ci --no-audit --no-fund --loglevel=error && node build.mjs --check)
  echo "== node --test (viewer units)" >&2
  (cd web && node --test unit/)
fi
echo "== a fresh clone serves the viewer without Node.js" >&2
./scripts/check-clone.sh
echo "== gofmt" >&2
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './web/node_modules/*'))
if [ -n "$unformatted" ]; then echo "gofmt needed: $unformatted" >&2; exit 1; fi
echo "== go vet" >&2
go vet ./...
echo "== go test -race" >&2
go test -race -count=1 -timeout 60m ./...
if [ -x scripts/e2e.sh ]; then
  echo "== end-to-end (real clients, headless Chromium)" >&2
  ./scripts/e2e.sh
fi
echo "all tests passed" >&2
