#!/usr/bin/env bash
# Builds everything with AddressSanitizer + UndefinedBehaviorSanitizer (leak checks on)
# into build-asan and runs every test against it. Extra arguments go to ctest.
# (ThreadSanitizer: scripts/tsan.sh.)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
scripts/install-deps.sh
build=${CONFAB_ASAN_BUILD_DIR:-build-asan}
flags="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined"
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS="$flags" \
      -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" >/dev/null
cmake --build "$build" --parallel "$(nproc)"
cd "$build"
# The slow unwinder gives full stacks, so the suppressions can name functions
# instead of whole libraries (a leak of ours inside OpenSSL stays visible).
# A small quarantine (freed memory ASan holds back to catch use-after-free): with the
# default 256 MiB, RSS grows by what is freed, and the hostile-client test, which checks
# that memory stops growing under repeated abuse, would measure ASan instead of us.
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:fast_unwind_on_malloc=0:quarantine_size_mb=8
export LSAN_OPTIONS=suppressions=$root/tests/sanitizers/lsan.supp
export UBSAN_OPTIONS=print_stacktrace=1
# Tests that judge resident memory (the churn soak) leave that to LeakSanitizer here.
export CONFAB_SANITIZER=address
ctest --output-on-failure --parallel 2 "$@"
