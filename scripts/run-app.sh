#!/usr/bin/env bash
# Installs what is missing, builds, and launches the Frameline window.
# Arguments are passed to the app (try --help).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh" build
"$root/scripts/build.sh" -DFRAMELINE_BUILD_TESTS=OFF >/dev/null
exec "${FRAMELINE_BUILD_DIR:-$root/build}/app/frameline" "$@"
