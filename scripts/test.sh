#!/usr/bin/env bash
# README command 2: run every test. Installs what is missing (scripts/setup.sh),
# checks that the committed viewer bundle (web/dist) is what web/src builds and
# that a fresh clone builds it into sit without Node.js, runs the viewer unit
# tests (node --test), then: go vet, go test -race (database tests start their own throwaway PostgreSQL through the
# managed-cluster code), client and browser tests. Each phase prints its wall
# time, and a table of them closes the run (also on failure), so a CI log
# shows where the time goes.
set -euo pipefail
cd "$(dirname "$0")/.."

phase_names=() phase_secs=() phase_name="" phase_t0=0 run_t0=$SECONDS
# phase NAME: ends the running phase (printing its time) and starts NAME.
phase() {
  if [ -n "$phase_name" ]; then
    phase_names+=("$phase_name")
    phase_secs+=($(( SECONDS - phase_t0 )))
    echo "== $phase_name: $(( SECONDS - phase_t0 )) s" >&2
  fi
  phase_name=${1:-} phase_t0=$SECONDS
  [ -z "$phase_name" ] || echo "== $phase_name" >&2
}
phase_report() {
  local rc=$? i
  phase
  echo "== wall time by phase (s):" >&2
  for i in "${!phase_names[@]}"; do printf '%6d  %s\n' "${phase_secs[$i]}" "${phase_names[$i]}" >&2; done
  printf '%6d  total%s\n' $(( SECONDS - run_t0 )) "$([ $rc = 0 ] || echo ", FAILED (exit $rc)")" >&2
}
trap phase_report EXIT

phase "setup (scripts/setup.sh)"
./scripts/setup.sh
if [ -f web/package.json ]; then
  phase "viewer bundle: web/dist is a reproducible build of web/src"
  (cd web && npm ci --no-audit --no-fund --loglevel=error && node build.mjs --check)
  phase "node --test (viewer units)"
  (cd web && node --test unit/)
fi
phase "a fresh clone serves the viewer without Node.js"
./scripts/check-clone.sh
phase "gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './web/node_modules/*'))
if [ -n "$unformatted" ]; then echo "gofmt needed: $unformatted" >&2; exit 1; fi
phase "go vet"
go vet ./...
phase "go test -race"
go test -race -count=1 -timeout 60m ./...
if [ -x scripts/e2e.sh ]; then
  phase "end-to-end (real clients, headless Chromium)"
  ./scripts/e2e.sh
fi
phase
echo "all tests passed" >&2
