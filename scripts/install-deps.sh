#!/usr/bin/env bash
# Installs what wildws needs to build, test and benchmark on Debian 12
# (libnats-dev: the relay plugin's NATS client; nats-server: its tests and benchmark).
# Idempotent; uses sudo when not root.
set -euo pipefail
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
packages=(
  build-essential cmake ninja-build pkg-config
  libpoco-dev libboost-dev libboost-filesystem-dev libspdlog-dev catch2
  libnats-dev nats-server libssl-dev
  hyperfine wrk curl binutils ccache
  clang libclang-rt-14-dev
  chromium
)
# clang + libclang-rt-14-dev: the sanitizer pass (scripts/test-sanitizers.sh:
# ASan + UBSan suites and the libFuzzer targets of tests/fuzz, in one clang
# build); the product itself builds with gcc.
# The page's npm packages and its browser tests need Node.js and npm: keep the
# machine's own (Node 20 here), else take Debian's.
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
fi

# npm packages from the committed lockfiles: web/ (marked, DOMPurify, copied
# into build/web by the build) and tests/web/ (playwright-core, which drives
# Debian's chromium: it never downloads a browser). Skipped when node_modules
# already matches the lockfile.
cd "$(dirname "$0")/.."
for dir in web tests/web; do
  [ -f "$dir/package-lock.json" ] || continue
  if [ ! -f "$dir/node_modules/.package-lock.json" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    echo "npm ci in $dir"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
done
