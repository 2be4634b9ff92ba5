#!/usr/bin/env bash
# Fails when a C++ file is not formatted as .clang-format says (clang-format 14, Debian 12).
# To fix: clang-format -i $(git ls-files '*.cpp' '*.h')
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(git ls-files '*.cpp' '*.h')
clang-format --dry-run --Werror "${files[@]}"
echo "check-format: ${#files[@]} files formatted"
