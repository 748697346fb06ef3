#!/usr/bin/env bash
# Installs what SIT needs on Debian/Ubuntu when it is missing: PostgreSQL +
# PostGIS (the managed cluster), GDAL (client tests), Chromium (viewer
# tests), poppler (PDF checks). Safe to run again; does nothing when all is there.
set -euo pipefail

need=()
have_postgis() {
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 &&
    ls /usr/share/postgresql/*/extension/postgis.control >/dev/null 2>&1
}
have_postgis || need+=(postgresql-15-postgis-3 postgresql-15)
[ "${SIT_SKIP_BROWSER:-}" = 1 ] || command -v chromium >/dev/null 2>&1 || need+=(chromium)
[ "${1:-}" = "--demo" ] || {
  command -v ogrinfo >/dev/null 2>&1 || need+=(gdal-bin)
  command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
}

if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing ${need[*]}" >&2
  SUDO=""
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "setup: need root or sudo to apt-get install ${need[*]}" >&2; exit 1; }
    SUDO=sudo
  fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  # The Debian package starts a cluster of its own on 5432; SIT runs its own
  # cluster on a free port, so that one is not needed (and not touched).
  $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
command -v go >/dev/null 2>&1 || { echo "setup: Go 1.26 is required (https://go.dev/dl/)" >&2; exit 1; }
