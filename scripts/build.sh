#!/usr/bin/env bash
# Configures and builds into ./build (CONFAB_BUILD_DIR to change). Extra arguments go to cmake.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${CONFAB_BUILD_DIR:-build}
warnings=OFF
[ "${CI:-}" = "true" ] && warnings=ON
cmake -S . -B "$build_dir" -G Ninja -DCONFAB_WARNINGS_AS_ERRORS="$warnings" "$@" >/dev/null
cmake --build "$build_dir" --parallel "$(nproc)"
