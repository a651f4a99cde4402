#!/usr/bin/env bash
# Installs what Cistern needs, idempotently: Debian packages (when root), npm packages, the build.
# Safe to run again: it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

# Usage: install-prerequisites.sh [--with-test-tools]
# runc + busybox-static run pods; libfuse3/fuse3 build and run the EFS data plane; util-linux (mount)
# is used by the node agent. The test suite also needs etcd (scale-out store), chromium (dashboard
# test), iproute2 (multi-host test) and openssl.
DEBIAN_PACKAGES=(runc busybox-static libfuse3-dev fuse3 pkg-config util-linux)
if [ "${1:-}" = "--with-test-tools" ]; then
  DEBIAN_PACKAGES+=(etcd-server etcd-client chromium iproute2 openssl)
fi

missing=()
for p in "${DEBIAN_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "cistern: installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "cistern: missing Debian packages: ${missing[*]}" >&2
    echo "cistern: install them as root: apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi

# Native addons (better-sqlite3) build against Node's installed headers; without this, node-gyp
# would try to download them (machines here have no route to nodejs.org).
if [ -z "${npm_config_nodedir:-}" ] && [ -f /usr/include/node/node.h ]; then
  export npm_config_nodedir=/usr
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "cistern: installing npm packages"
  npm ci --no-audit --no-fund --loglevel=error
else
  npm run build --silent
fi
