#!/usr/bin/env bash
# The server under ThreadSanitizer: builds confabd and the unit tests with
# -fsanitize=thread into build-tsan, runs the unit tests there, then every test that
# starts confabd (integration, interop, cluster) against that confabd (CONFAB_CONFABD),
# the other binaries from the normal build. A race stops the process at once
# (halt_on_error), so the test that drove it fails. Needs ./test.sh's build first.
#
# Only confabd: it is the program with threads of its own (WebSocket I/O workers, the
# password-hashing threads), and every hand-over between them is a lock of ours or an
# eventfd, which TSan sees. Debian's Qt is not instrumented: the clients (confab,
# confab-cli, confabctl) hand work between threads only inside Qt, where TSan sees
# nothing but false races (docs/SECURITY.md).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
build=${CONFAB_BUILD_DIR:-build}
tsan=${CONFAB_TSAN_BUILD_DIR:-build-tsan}
[ -x "$build/server/confabd" ] || { echo "tsan.sh: build first (./test.sh)" >&2; exit 2; }
cmake -S . -B "$tsan" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DCMAKE_CXX_FLAGS="-fsanitize=thread -fno-omit-frame-pointer" -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=thread" >/dev/null
cmake --build "$tsan" --target confabd unit_tests --parallel "$(nproc)"
export CONFAB_CONFABD=$root/$tsan/server/confabd
export TSAN_OPTIONS="halt_on_error=1 exitcode=66 second_deadlock_stack=1 ignore_noninstrumented_modules=1 suppressions=$root/tests/sanitizers/tsan.supp"
(cd "$tsan" && ctest --output-on-failure --parallel 2 -L unit)
cd "$build"
ctest --output-on-failure --parallel 2 -L "integration|interop|cluster"
