#!/usr/bin/env bash
# The unit and integration suites under sanitizers, each mode in a build
# directory of its own (ccache keeps rebuilds cheap), then the fuzz targets.
#
#   scripts/test-sanitizers.sh [address|thread] [ctest args...]
#
#   address (default): ASan + UBSan, halt on the first report, in build-asan/,
#                      then every libFuzzer target of tests/fuzz/ for 30 s
#                      each, two at a time (FUZZ_SECONDS to change it, 0 to
#                      skip). CI (.ci/run) runs this mode. With clang (which
#                      scripts/install-deps.sh installs) one build serves the
#                      suites and the fuzzers; with gcc alone the suites run
#                      and the fuzzers are skipped.
#   thread:            ThreadSanitizer (gcc), in build-tsan/ (run it before
#                      closing an issue that touches threads; CI runs address).
# The e2e suite (a browser) is not run here, nor the few scale tests named in
# SANITIZER_SKIP (see below). Any report or crash fails. A table of how long
# each phase took is printed at the end.
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
    export ASAN_OPTIONS="halt_on_error=1:abort_on_error=0:detect_leaks=0:detect_odr_violation=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
    export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
    if command -v clang++ >/dev/null 2>&1; then
      # One build for the suites and the fuzzers: the product code carries
      # libFuzzer's coverage hooks (fuzzer-no-link; outside a fuzzer the ASan
      # runtime answers them), so it is compiled once, not twice. -O0: clang's
      # sanitizer build at -O0 costs a third of gcc's at -O1 (CI has 30
      # minutes on 2 cores); -g1 keeps file:line in every report. The shared
      # ASan runtime, as gcc has it: plugins link with --no-undefined, which
      # a runtime linked into executables only would fail.
      runtime="$(clang++ -print-file-name=libclang_rt.asan-x86_64.so)"
      runtime_dir="$(dirname "$runtime")"
      cxx=clang++
      opt="-O0 -g1 -DNDEBUG"
      flags="-fsanitize=address,undefined,fuzzer-no-link -shared-libasan -fno-sanitize-recover=all -fno-omit-frame-pointer"
      link_flags="$flags -Wl,-rpath,$runtime_dir"
      no_fuzz=""
    else
      cxx=g++
      opt="-O1 -g1 -DNDEBUG"
      flags="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
      link_flags="$flags"
      no_fuzz="clang++ is not installed (scripts/install-deps.sh installs it)"
    fi
    ;;
  thread)
    dir=build-tsan
    cxx=g++
    # -O1 -g1: what the sanitizers recommend, at a third of the build cost of
    # RelWithDebInfo's -O2 -g.
    opt="-O1 -g1 -DNDEBUG"
    flags="-fsanitize=thread -fno-omit-frame-pointer"
    link_flags="$flags"
    no_fuzz="the fuzzers run in address mode"
    export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1${TSAN_OPTIONS:+:$TSAN_OPTIONS}"
    ;;
  *)
    echo "usage: $0 [address|thread] [ctest args...]" >&2
    exit 2
    ;;
esac

# Scale tests that only repeat, a million times over or through a whole
# out-of-tree cmake build of an example, code paths the other tests already
# run under the sanitizer; under ASan they take minutes (the 1M-line audit
# alone 160 s). The main suite (scripts/test.sh) runs them.
skip="${SANITIZER_SKIP-newest 20 of a 1M-line audit|builds out of tree against the installed SDK}"

phases=()
seconds_of=()
cpu_of=()
phase_start=0
cpu_start=0
# CPU seconds (user + system) of every child this shell has waited for:
# on a shared machine the wall clock says more about the neighbours, this
# says what the phase costs (divide by the cores for an idle machine).
# (times in this shell, not in $(...): a subshell has waited for nobody).
times_file="$(mktemp)"
trap 'rm -f "$times_file"' EXIT
children_cpu() {
  times >"$times_file"
  cpu_now=$(tail -1 "$times_file" | awk '{ t = 0; for (i = 1; i <= 2; i++) { split($i, a, "m"); t += a[1] * 60 + a[2] } printf "%d", t }')
}
begin() {
  phase_start=$SECONDS
  children_cpu
  cpu_start=$cpu_now
  echo "== $1"
}
end() {
  phases+=("$1")
  seconds_of+=($((SECONDS - phase_start)))
  children_cpu
  cpu_of+=($((cpu_now - cpu_start)))
}
table() {
  local total=0 cpu=0 i
  echo
  echo "| phase ($mode, $jobs cores) | wall s | cpu s |"
  echo "|---|---:|---:|"
  for i in "${!phases[@]}"; do
    echo "| ${phases[$i]} | ${seconds_of[$i]} | ${cpu_of[$i]} |"
    total=$((total + seconds_of[i]))
    cpu=$((cpu + cpu_of[i]))
  done
  echo "| total | $total | $cpu |"
}

begin "$mode: configure and build in $dir"
# A build directory configured with another compiler is configured afresh:
# CMake's own reset on a compiler change drops the options given here.
cxx_path="$(command -v "$cxx")"
if [ -f "$dir/CMakeCache.txt" ] && ! grep -qx "CMAKE_CXX_COMPILER:[A-Z]*=$cxx_path" "$dir/CMakeCache.txt"; then
  echo "== $dir was configured with another compiler: configuring it again with $cxx_path"
  rm -rf "$dir/CMakeCache.txt" "$dir/CMakeFiles"
fi
fuzz_option=OFF
[ -z "$no_fuzz" ] && fuzz_option=ON
cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "${launcher[@]}" \
  -DCMAKE_CXX_COMPILER="$cxx_path" -DWILDWS_FUZZ="$fuzz_option" \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="$opt" \
  -DCMAKE_CXX_FLAGS="$flags" -DCMAKE_EXE_LINKER_FLAGS="$link_flags" -DCMAKE_SHARED_LINKER_FLAGS="$link_flags" \
  -DCMAKE_MODULE_LINKER_FLAGS="$link_flags" >/dev/null
cmake --build "$dir" -j "$jobs"
end "$mode build"

begin "$mode: unit and integration suites"
status=0
(cd "$dir" && ctest --output-on-failure -j "$jobs" -L 'unit|integration' ${skip:+-E "$skip"} "$@") || status=$?
end "$mode tests"

seconds="${FUZZ_SECONDS:-30}"
if [ -n "$no_fuzz" ] || [ "$seconds" -le 0 ]; then
  [ -n "$no_fuzz" ] && echo "== fuzz: the fuzz targets are skipped: $no_fuzz"
  table
  exit "$status"
fi

work="$(mktemp -d)"
trap 'rm -rf "$work" "$times_file"' EXIT
mkdir -p "$dir/fuzz-artifacts"
# One target for $seconds; its verdict goes to $work/<name>.status.
fuzz_one() {
  local target="$1" name
  name="$(basename "$target")"
  mkdir -p "$work/$name"
  # New inputs go to a scratch copy: the checked-in seeds stay as they are.
  # -fsanitize=fuzzer puts libstdc++ ahead of the ASan runtime in a fuzzer's
  # libraries, which ASan refuses: the runtime is preloaded.
  if LD_PRELOAD="$runtime" "$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix="$dir/fuzz-artifacts/$name-" "$work/$name" "tests/fuzz/corpus/$name" \
      >"$work/$name.log" 2>&1; then
    echo ok >"$work/$name.status"
  else
    echo failed >"$work/$name.status"
  fi
}
if ! compgen -G "$dir/fuzz/*" >/dev/null; then
  echo "FAIL: no fuzz target was built in $dir/fuzz (is WILDWS_FUZZ on in $dir/CMakeCache.txt?)"
  table
  exit 1
fi
begin "fuzz: each target for ${seconds}s, $jobs at a time"
running=0
for target in "$dir"/fuzz/*; do
  if [ "$running" -ge "$jobs" ]; then
    wait -n || true
    running=$((running - 1))
  fi
  fuzz_one "$target" &
  running=$((running + 1))
done
wait || true
for target in "$dir"/fuzz/*; do
  name="$(basename "$target")"
  if [ "$(cat "$work/$name.status" 2>/dev/null)" != ok ]; then
    echo "FAIL: $name found a crash (artifact in $dir/fuzz-artifacts/; run it again with"
    echo "      LD_PRELOAD=$runtime $target <artifact>):"
    tail -40 "$work/$name.log"
    status=1
  else
    grep -E "stat::number_of_executed_units" "$work/$name.log" | sed "s/^/   $name /" || true
  fi
done
end "fuzz run"

table
exit "$status"
