#!/usr/bin/env bash
# Configures and builds wildws into ./build (RelWithDebInfo, Ninja).
set -euo pipefail
cd "$(dirname "$0")/.."
# ccache (installed by install-deps.sh) only caches compiler output: a clean
# clone still configures and links from scratch, but a machine that built
# these sources before does not compile them again.
launcher=()
if command -v ccache >/dev/null 2>&1; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "${launcher[@]}" >/dev/null
cmake --build build -j "$(nproc)"
