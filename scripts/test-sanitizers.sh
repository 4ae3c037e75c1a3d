#!/usr/bin/env bash
# The unit and integration suites under sanitizers, each in a build
# directory of its own (ccache keeps rebuilds cheap), then the fuzz targets.
#
#   scripts/test-sanitizers.sh [address|thread] [ctest args...]
#
#   address (default): ASan + UBSan (gcc), halt on the first report, in
#                      build-asan/; then, when clang is installed, every
#                      libFuzzer target of tests/fuzz/ for 30 s each
#                      (FUZZ_SECONDS to change it, 0 to skip) in build-fuzz/.
#   thread:            ThreadSanitizer, in build-tsan/ (run it before closing
#                      an issue that touches threads; CI runs address).
# The e2e suite (a browser) is not run here. Any report or crash fails.
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-address}"
[ $# -gt 0 ] && shift
jobs="$(nproc)"
launcher=()
command -v ccache >/dev/null 2>&1 && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)

case "$mode" in
  address)
    dir=build-asan
    flags="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
    export ASAN_OPTIONS="halt_on_error=1:abort_on_error=0:detect_leaks=0:detect_odr_violation=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
    export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
    ;;
  thread)
    dir=build-tsan
    flags="-fsanitize=thread -fno-omit-frame-pointer"
    export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1${TSAN_OPTIONS:+:$TSAN_OPTIONS}"
    ;;
  *)
    echo "usage: $0 [address|thread] [ctest args...]" >&2
    exit 2
    ;;
esac

echo "== $mode: configure and build in $dir"
cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "${launcher[@]}" \
  -DCMAKE_CXX_FLAGS="$flags" -DCMAKE_EXE_LINKER_FLAGS="$flags" -DCMAKE_SHARED_LINKER_FLAGS="$flags" \
  -DCMAKE_MODULE_LINKER_FLAGS="$flags" >/dev/null
cmake --build "$dir" -j "$jobs"
echo "== $mode: unit and integration suites"
(cd "$dir" && ctest --output-on-failure -j "$jobs" -L 'unit|integration' "$@")

[ "$mode" = address ] || exit 0
seconds="${FUZZ_SECONDS:-30}"
[ "$seconds" -gt 0 ] || exit 0
if ! command -v clang++ >/dev/null 2>&1; then
  echo "== fuzz: clang++ is not installed, the fuzz targets are skipped (scripts/install-deps.sh installs it)"
  exit 0
fi
echo "== fuzz: build the libFuzzer targets in build-fuzz (clang)"
cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "${launcher[@]}" \
  -DCMAKE_CXX_COMPILER=clang++ -DWILDWS_FUZZ=ON \
  -DCMAKE_CXX_FLAGS="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all" >/dev/null
cmake --build build-fuzz -j "$jobs" --target wildws-fuzz
failed=0
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for target in build-fuzz/fuzz/*; do
  name="$(basename "$target")"
  seeds="tests/fuzz/corpus/$name"
  mkdir -p "$work/$name" build-fuzz/fuzz-artifacts
  # New inputs go to a scratch copy: the checked-in seeds stay as they are.
  echo "== fuzz: $name for ${seconds}s"
  if ! "$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix="build-fuzz/fuzz-artifacts/$name-" "$work/$name" "$seeds" >"$work/$name.log" 2>&1; then
    echo "FAIL: $name found a crash (artifact in build-fuzz/fuzz-artifacts/):"
    tail -40 "$work/$name.log"
    failed=1
  else
    grep -E "stat::number_of_executed_units" "$work/$name.log" | sed "s/^/   $name /" || true
  fi
done
exit "$failed"
