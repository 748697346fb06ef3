#!/usr/bin/env bash
# Builds sit with its version, commit and build date stamped in (`sit version`
# prints them; the server reports the version and tile ETags carry it):
#   scripts/build.sh [OUT]        default bin/sit
# SIT_VERSION overrides the version (default: the nearest git tag, else "devel",
# with "-dirty" when the checkout has uncommitted changes).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-bin/sit}
commit=$(git rev-parse HEAD 2>/dev/null || true)
version=${SIT_VERSION:-$(git describe --tags --abbrev=12 2>/dev/null || echo devel)}
if [ -z "${SIT_VERSION:-}" ] && [ -n "$commit" ] && ! git diff --quiet HEAD -- 2>/dev/null; then
  version="$version-dirty"
fi
date=$(date -u +%Y-%m-%dT%H:%M:%SZ)
go build -ldflags "-X main.version=$version -X main.commit=$commit -X main.date=$date" -o "$out" ./cmd/sit
