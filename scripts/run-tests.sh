#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test with CTest.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${FRAMELINE_BUILD_DIR:-$root/build}
"$root/scripts/install-deps.sh" test
"$root/scripts/build.sh" -DFRAMELINE_BUILD_TESTS=ON
cd "$build"
ctest --output-on-failure -j"$(nproc)" --timeout 600
