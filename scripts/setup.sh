#!/usr/bin/env bash
# Installs what SIT needs on Debian/Ubuntu when it is missing: PostgreSQL +
# PostGIS (the managed cluster), Node.js + npm (the check of the committed
# viewer bundle and the end-to-end clients; not for the demo), GDAL (client tests), Chromium (viewer tests), poppler
# (PDF checks), QGIS with its Python module (desktop client tests), nginx,
# Caddy, openssl and systemd-analyze (the production chapter's test). Safe to
# run again; does nothing when all is there. SIT_SKIP_BROWSER=1 and
# SIT_SKIP_QGIS=1 leave Chromium and QGIS out (their tests then skip locally).
# --demo: only what the demo needs; --missing: print what is missing, install
# nothing.
set -euo pipefail

need=()
have_postgis() {
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 &&
    ls /usr/share/postgresql/*/extension/postgis.control >/dev/null 2>&1
}
have_postgis || need+=(postgresql-15-postgis-3 postgresql-15)
[ "${SIT_SKIP_BROWSER:-}" = 1 ] || command -v chromium >/dev/null 2>&1 || need+=(chromium)
[ "${1:-}" = "--demo" ] || {
  command -v npm >/dev/null 2>&1 || need+=(nodejs npm)
  command -v ogrinfo >/dev/null 2>&1 || need+=(gdal-bin)
  command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
  # Debian's python3 is the one with the qgis module (not a pyenv one on PATH).
  [ "${SIT_SKIP_QGIS:-}" = 1 ] || QT_QPA_PLATFORM=offscreen /usr/bin/python3 -c 'import qgis.core' >/dev/null 2>&1 || need+=(qgis python3-qgis)
  # The production chapter's test (scripts/e2e-production.sh): the proxies,
  # a self-signed certificate, the unit checker, namespaces and setpriv.
  command -v nginx >/dev/null 2>&1 || need+=(nginx)
  command -v caddy >/dev/null 2>&1 || need+=(caddy)
  command -v openssl >/dev/null 2>&1 || need+=(openssl)
  command -v systemd-analyze >/dev/null 2>&1 || need+=(systemd)
  command -v setpriv >/dev/null 2>&1 || need+=(util-linux)
  command -v ip >/dev/null 2>&1 || need+=(iproute2)
}

# --missing: only say what would be installed (exit 1 when nothing).
if [ "${1:-}" = "--missing" ]; then
  [ ${#need[@]} -gt 0 ] && echo "${need[*]}"
  [ ${#need[@]} -gt 0 ]
  exit
fi

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi
as_root() {
  if [ -n "$SUDO" ] && ! command -v sudo >/dev/null 2>&1; then
    echo "setup: need root or sudo to $*" >&2
    exit 1
  fi
  $SUDO "$@"
}

if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing ${need[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get update -qq
  # The Debian package starts a cluster of its own on 5432; SIT runs its own
  # cluster on a free port, so that one is not needed (and not touched).
  as_root apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# playwright-core (the viewer tests) needs Node.js 20 or later; Debian 12
# ships 18: then Node.js 22 comes from the npm registry (package "node").
node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "${1:-}" != "--demo" ] && [ "$node_major" -lt 20 ]; then
  echo "setup: Node.js $node_major is too old for the browser tests: installing Node.js 22 from npm" >&2
  as_root npm install -g --no-audit --no-fund --loglevel=error node@22
  hash -r
fi
command -v go >/dev/null 2>&1 || { echo "setup: Go 1.26 is required (https://go.dev/dl/)" >&2; exit 1; }
