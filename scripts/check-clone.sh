#!/usr/bin/env bash
# `go install github.com/sit-gis/sit/cmd/sit@VERSION` and `go build` of a
# fresh clone must give a binary that serves the real viewer: web/dist is
# committed and embedded. This clones the committed tree (HEAD, nothing
# untracked), then, with only go and git on PATH (no node, no npm), builds
# sit and runs the web package's tests of the embedded bundle (the page, its
# hashed assets, the OGC pages' map loader, and the record of the sources it
# was built from).
set -euo pipefail
cd "$(dirname "$0")/.."
git rev-parse --git-dir >/dev/null 2>&1 || { echo "check-clone: not a git checkout: nothing to clone" >&2; exit 0; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/sit-clone.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
git clone -q --no-hardlinks . "$tmp/sit"
mkdir "$tmp/bin"
ln -s "$(command -v go)" "$tmp/bin/go"
ln -s "$(command -v git)" "$tmp/bin/git"
cd "$tmp/sit"
if env PATH="$tmp/bin" /bin/sh -c 'command -v node || command -v npm' >/dev/null; then echo "check-clone: node is still on PATH" >&2; exit 1; fi
env PATH="$tmp/bin" CGO_ENABLED=0 go build -o "$tmp/sit-bin" ./cmd/sit
env PATH="$tmp/bin" CGO_ENABLED=0 go test -count=1 -run 'TestEmbeddedBuild|TestBundleCurrent' ./web
echo "check-clone: a clone of $(git rev-parse --short HEAD) builds sit with the viewer, without Node.js" >&2
