#!/usr/bin/env bash
# Installs what is missing, builds, and starts confabd on the embedded store
# (http://127.0.0.1:7480, data in ~/.local/share/confab). Extra arguments go to confabd.
# Where a display exists the desktop client starts too, pointed at that server; closing
# it (Quit) stops the server.
set -euo pipefail
cd "$(dirname "$0")"
scripts/install-deps.sh
scripts/build.sh
build_dir=${CONFAB_BUILD_DIR:-build}

client="$build_dir/client/app/confab"
if [ -x "$client" ] && { [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; }; then
  "$build_dir/server/confabd" "$@" &
  server_pid=$!
  trap 'kill $server_pid 2>/dev/null; wait $server_pid 2>/dev/null' EXIT
  "$client" --server http://127.0.0.1:7480
else
  exec "$build_dir/server/confabd" "$@"
fi
