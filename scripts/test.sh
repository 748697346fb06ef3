#!/usr/bin/env bash
# README command 2: run every test. Installs what is missing (scripts/setup.sh),
# checks that the committed viewer bundle (web/dist) is what web/src builds and
# that a fresh clone builds it into sit without Node.js, runs the viewer unit
# tests (node --test), then: go vet and go test -race (database tests start their own throwaway PostgreSQL through the
# managed-cluster code) and, beside them, client and browser tests. Each phase prints its wall
# time, and a table of them closes the run (also on failure), so a CI log
# shows where the time goes.
set -euo pipefail
cd "$(dirname "$0")/.."

phase_names=() phase_secs=() phase_name="" phase_t0=0 run_t0=$SECONDS side_by_side=()
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
  local rc=${1:-$?} i
  phase
  echo "== wall time by phase (s):" >&2
  for i in "${!phase_names[@]}"; do printf '%6d  %s\n' "${phase_secs[$i]}" "${phase_names[$i]}" >&2; done
  for i in "${side_by_side[@]}"; do echo "        $i" >&2; done
  printf '%6d  total%s\n' $(( SECONDS - run_t0 )) "$([ $rc = 0 ] || echo ", FAILED (exit $rc)")" >&2
}

# On a fresh machine the Go build cache is empty, and compiling what the
# tests need (go-pmtiles' cloud clients, the race-instrumented copies) is
# most of a run's CPU. Apt's downloads and unpacking leave the cores mostly
# idle, so when the setup has packages to install the compiling starts now,
# beside it: every package the tests import, once with -trimpath (what
# check-clone.sh, the end-to-end build and go vet share) and once with -race
# (what go test -race links). When nothing is missing there is no idle time
# to fill (and on a warm cache checking 1 000 packages twice costs ~25 s of
# CPU), so each step compiles for itself, as it also does if this fails.
warm_log=$(mktemp "${TMPDIR:-/tmp}/sit-warm-log.XXXXXX")
(
  command -v go >/dev/null 2>&1 || exit 0
  ./scripts/setup.sh --missing >/dev/null || exit 0
  pkgs=$(go list -deps -test -f '{{if and (not .ForTest) (or .GoFiles .CgoFiles)}}{{.ImportPath}}{{end}}' ./... | grep -v '\.test$')
  go build -trimpath $pkgs && go build -race $pkgs
) >"$warm_log" 2>&1 &
warm_pid=$!
# At exit (a failed setup): the compiling stops too.
trap 'rc=$?; pkill -P "$warm_pid" 2>/dev/null || true; kill "$warm_pid" 2>/dev/null || true; rm -f "$warm_log"; phase_report $rc' EXIT

phase "setup (scripts/setup.sh)"
./scripts/setup.sh
if [ -f web/package.json ]; then
  phase "viewer bundle: web/dist is a reproducible build of web/src"
  (cd web && npm ci --no-audit --no-fund --loglevel=error && node build.mjs --check)
  phase "node --test (viewer units)"
  (cd web && node --test unit/)
fi
phase "compiling, begun beside the setup"
wait "$warm_pid" || { echo "test: compiling ahead failed (the steps below compile for themselves):" >&2; tail -20 "$warm_log" >&2; }
phase "a fresh clone serves the viewer without Node.js"
./scripts/check-clone.sh
phase "gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './web/node_modules/*'))
if [ -n "$unformatted" ]; then echo "gofmt needed: $unformatted" >&2; exit 1; fi
# go vet, then go test -race, and beside them the end-to-end scripts: each
# waits much of its time on PostgreSQL, child processes and clients, so
# together they take little more than the longer lane (the scripts need
# nothing vet or the Go tests make, and started first they use the cores
# vet leaves idle). The scripts' output is printed as a block when both
# lanes have ended; each one's own time is a line of the table. A failing
# vet still waits for the other lane, so that no script is left running.
if [ -x scripts/e2e.sh ]; then
  phase "go vet and go test -race, and beside them the end-to-end scripts (real clients, headless Chromium)"
  e2e_log=$(mktemp "${TMPDIR:-/tmp}/sit-e2e-log.XXXXXX")
  (
    t0=$SECONDS rc=0
    ./scripts/e2e.sh || rc=$?
    echo "== end-to-end: $(( SECONDS - t0 )) s" >&2
    echo $(( SECONDS - t0 )) >"$e2e_log.secs"
    exit $rc
  ) >"$e2e_log" 2>&1 &
  e2e_pid=$!
else
  phase "go vet and go test -race"
fi
vet_t0=$SECONDS vet_rc=0
# -trimpath: vet needs every dependency compiled, and with the flag it takes
# the packages check-clone.sh and the end-to-end build compiled (with
# -trimpath) instead of compiling them all once more: on a fresh machine
# with an empty build cache that is most of vet's work.
go vet -trimpath ./... || vet_rc=$?
vet_secs=$(( SECONDS - vet_t0 ))
echo "== go vet: $vet_secs s" >&2
go_t0=$SECONDS go_rc=0
go test -race -count=1 -timeout 60m ./... || go_rc=$?
go_secs=$(( SECONDS - go_t0 ))
echo "== go test -race: $go_secs s" >&2
side_by_side=("   go vet: $vet_secs s" "   go test -race: $go_secs s")
e2e_rc=0
if [ -n "${e2e_pid:-}" ]; then
  wait "$e2e_pid" || e2e_rc=$?
  echo "== end-to-end output:" >&2
  cat "$e2e_log" >&2
  side_by_side+=("   end-to-end: $(cat "$e2e_log.secs" 2>/dev/null || echo '?') s")
  rm -f "$e2e_log" "$e2e_log.secs"
fi
[ $vet_rc = 0 ] || { echo "go vet failed" >&2; exit $vet_rc; }
[ $go_rc = 0 ] || { echo "go test -race failed" >&2; exit $go_rc; }
[ $e2e_rc = 0 ] || { echo "end-to-end failed" >&2; exit $e2e_rc; }
phase
echo "all tests passed" >&2
