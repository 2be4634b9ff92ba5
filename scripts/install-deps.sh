#!/usr/bin/env bash
# Installs what Confab needs on Debian 12 (apt once, only what is missing; npm ci when
# the lock file changed). Idempotent: a second run does nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential cmake ninja-build pkg-config clang-format
  qt6-base-dev qt6-websockets-dev qt6-tools-dev qt6-l10n-tools libgl-dev
  qt6-svg-dev qt6-image-formats-plugins libhunspell-dev hunspell-en-us fonts-dejavu-core fonts-noto-color-emoji systemd desktop-file-utils appstream
  libqt6sql6-sqlite libssl-dev libhiredis-dev qtkeychain-qt6-dev libsecret-1-0
  redis-server redis-sentinel haproxy
  xvfb dbus dbus-x11 gnome-keyring libsecret-tools
)
# Node.js may come from outside apt (as on the project's machines): any node >= 20 does.
if ! command -v node >/dev/null || [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 20 ]; then
  packages+=(nodejs npm)
fi

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# npm ci only when node_modules is older than the lock file.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
