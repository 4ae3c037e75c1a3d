#!/usr/bin/env bash
# Cold start of `wildws --help` and `wildws plugins`: with the first-party
# plugins, and with 100 generated trivial plugins. Prints a markdown table.
# Usage: bench/host/cold_start.sh [build-dir]
set -euo pipefail
build=$(realpath "${1:-build}")
wildws="$build/wildws"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/home" "$work/p100"
chmod 755 "$work/p100"
for i in $(seq -w 1 100); do cp "$build/bench/host/wildws-benchtrivial.so" "$work/p100/wildws-bench$(printf %03d $((10#$i))).so"; done
first_party=$(ls "$build/plugins" | grep -c '^wildws-.*\.so$' || true)

run() { # label, args...
  local label=$1; shift
  hyperfine -N --warmup 5 --runs 60 --export-json "$work/r.json" "$*" >/dev/null 2>&1
  python3 - "$label" "$work/r.json" <<'PY'
import json, sys, statistics
r = json.load(open(sys.argv[2]))["results"][0]
t = sorted(x * 1000 for x in r["times"])
print(f"| {sys.argv[1]} | {statistics.median(t):.2f} | {t[len(t)//10]:.2f} | {t[len(t)*9//10]:.2f} | {r['stddev']*1000:.2f} |")
PY
}

echo "| scenario | median ms | p10 ms | p90 ms | stddev ms |"
echo "|---|---|---|---|---|"
run "--help, first-party ($first_party plugins)" "$wildws" --home "$work/home" --help
run "plugins, first-party ($first_party plugins)" "$wildws" --home "$work/home" plugins
run "--help, 100 trivial plugins" "$wildws" --home "$work/home" --plugins-dir "$work/p100" --help
run "plugins, 100 trivial plugins" "$wildws" --home "$work/home" --plugins-dir "$work/p100" plugins
run "--version, 100 trivial plugins" "$wildws" --home "$work/home" --plugins-dir "$work/p100" --version
