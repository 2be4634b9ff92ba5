#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test (CTest).
set -euo pipefail
cd "$(dirname "$0")"
scripts/install-deps.sh
scripts/build.sh
cd "${CONFAB_BUILD_DIR:-build}"
# Tests start their own redis-server, confabd, etc. on free ports; none run in parallel
# with each other's timing-sensitive servers on this 2-core machine beyond -j2.
ctest --output-on-failure --parallel 2 "$@"
