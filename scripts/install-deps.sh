#!/usr/bin/env bash
# Installs, from Debian 12's packages, whatever Frameline needs that this machine lacks.
# Usage: scripts/install-deps.sh [build|test]   (test = build + the peers the tests talk to)
set -euo pipefail

want=${1:-build}
packages=(
    cmake ninja-build g++ pkg-config
    qt6-base-dev qt6-base-dev-tools qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools qt6-svg-dev
    libgl-dev zlib1g-dev libssl-dev libqt6svg6
    fonts-noto-cjk
)
if [ "$want" = test ]; then
    # Google Benchmark for tests/bench; independent peers and tools for the interop tests.
    packages+=(libbenchmark-dev python3-websockets openssl tshark)
    command -v node >/dev/null 2>&1 || packages+=(nodejs)
    command -v npm >/dev/null 2>&1 || packages+=(npm)
fi

missing=()
for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
        missing+=("$package")
    fi
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "Installing: ${missing[*]}"
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        sudo=sudo
    fi
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -q
    $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

if [ "$want" = test ]; then
    # Node `ws`, the second independent peer, from the npm registry.
    peers=$(cd "$(dirname "$0")/../tests/peers" && pwd)
    if [ ! -d "$peers/node_modules/ws" ]; then
        (cd "$peers" && npm install --no-audit --no-fund --silent)
    fi
fi
