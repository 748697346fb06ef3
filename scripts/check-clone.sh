#!/usr/bin/env bash
# `go install github.com/sit-gis/sit/cmd/sit@VERSION` and `go build` of a
# fresh clone must give a binary that serves the real viewer: web/dist is
# committed and embedded. This clones the committed tree (HEAD, nothing
# untracked), then, with node, npm and npx failing (stand-ins first on
# PATH), builds sit and runs the web package's tests of the embedded bundle
# (the page, its hashed assets, the OGC pages' map loader, and the record of
# the sources it was built from). The rest of PATH is kept, so the build
# shares the Go build cache (and cgo) of the other tests. -trimpath keeps the
# clone's directory out of the cache keys: without it every package of sit
# is compiled again for the new directory; with it the build is shared with
# the end-to-end scripts' (scripts/e2e.sh builds with -trimpath too) and,
# for unchanged packages, with the previous run's.
set -euo pipefail
cd "$(dirname "$0")/.."
git rev-parse --git-dir >/dev/null 2>&1 || { echo "check-clone: not a git checkout: nothing to clone" >&2; exit 0; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/sit-clone.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
git clone -q --no-hardlinks . "$tmp/sit"
mkdir "$tmp/bin"
for tool in node npm npx; do
  printf '#!/bin/sh\necho "check-clone: %s was called: the build must not need Node.js" >&2\nexit 127\n' "$tool" >"$tmp/bin/$tool"
  chmod +x "$tmp/bin/$tool"
done
cd "$tmp/sit"
export PATH="$tmp/bin:$PATH"
go build -trimpath -o "$tmp/sit-bin" ./cmd/sit
go test -trimpath -count=1 -run 'TestEmbeddedBuild|TestBundleCurrent' ./web
echo "check-clone: a clone of $(git rev-parse --short HEAD) builds sit with the viewer, without Node.js" >&2
