#!/usr/bin/env bash
# bench/web/run.sh [build-dir]: the owner's page in headless Debian chromium
# against a real `wildws serve` (temp home, fixture agents). Prints a markdown
# table: cold load (bytes, time to a usable prompt box), Enter → first text
# minus the fixture agent's own first-line time, and a 100k-line conversation
# reopened (render, scroll). Needs a built tree (web/, plugins) and
# tests/web/node_modules (scripts/install-deps.sh). Options after the build
# dir go to bench.mjs: --runs N (default 7), --lines N (default 100000).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
build="$(cd "${1:-$root/build}" && pwd)"
shift || true
[ -x "$build/wildws" ] || { echo "no wildws binary in $build: build first (scripts/build.sh)" >&2; exit 2; }
[ -d "$root/tests/web/node_modules/playwright-core" ] || { echo "playwright-core is missing: run scripts/install-deps.sh" >&2; exit 2; }
exec node "$here/bench.mjs" --build "$build" "$@"
