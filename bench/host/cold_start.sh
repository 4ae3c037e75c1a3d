#!/usr/bin/env bash
# Cold start of `wildws --help`, `wildws plugins` and `wildws support status`:
# with the first-party plugins, and with 100 generated trivial plugins.
# Prints a markdown table, then `support status` against the Node tool.
#
# The Node tool (@venturewild/workspace 0.3.0) is not runnable here: the seed
# (/work/shared/seed/workspace-0.3.0.diff.txt) is a diff of the package, not
# the package. So the comparison uses the Node tool's 56 ms measured last
# round (hyperfine, same machine), and also a floor that no Node CLI can
# beat: `node -e 0` (starting Node and running nothing), measured now.
# On a loaded machine the wall times swing; the cpu column (user+sys) is
# the steadier one.
# Set NODE_TOOL="node /path/to/cli.mjs support status" to measure the real
# tool in the same run instead.
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
  python3 - "$label" "$work/r.json" <<'PY' | tee -a "$work/rows"
import json, sys, statistics
r = json.load(open(sys.argv[2]))["results"][0]
t = sorted(x * 1000 for x in r["times"])
cpu = (r["user"] + r["system"]) * 1000
print(f"| {sys.argv[1]} | {statistics.median(t):.2f} | {t[len(t)//10]:.2f} | {t[len(t)*9//10]:.2f} | {r['stddev']*1000:.2f} | {cpu:.2f} |")
PY
}
median() { # label -> the median column of that row
  grep -F "| $1 |" "$work/rows" | tail -1 | cut -d'|' -f3 | tr -d ' '
}
cpu() { # label -> the cpu column of that row
  grep -F "| $1 |" "$work/rows" | tail -1 | cut -d'|' -f7 | tr -d ' '
}

echo "| scenario | median ms | p10 ms | p90 ms | stddev ms | cpu ms (user+sys, mean) |"
echo "|---|---|---|---|---|---|"
run "--help, first-party ($first_party plugins)" "$wildws" --home "$work/home" --help
run "plugins, first-party ($first_party plugins)" "$wildws" --home "$work/home" plugins
run "--help, 100 trivial plugins" "$wildws" --home "$work/home" --plugins-dir "$work/p100" --help
run "plugins, 100 trivial plugins" "$wildws" --home "$work/home" --plugins-dir "$work/p100" plugins
run "--version, 100 trivial plugins" "$wildws" --home "$work/home" --plugins-dir "$work/p100" --version
run "support status, first-party" "$wildws" --home "$work/home" --plugins-dir "$build/plugins" support status
run "/bin/true" /bin/true
if command -v node >/dev/null 2>&1; then run "node -e 0 (floor of any Node CLI)" node -e 0; fi
if [ -n "${NODE_TOOL:-}" ]; then run "Node tool: support status" $NODE_TOOL; fi

ours=$(median "support status, first-party")
echo
echo "| support status vs the Node tool | Node ms | wildws ms | wildws is faster by |"
echo "|---|---|---|---|"
if [ -n "${NODE_TOOL:-}" ]; then
  theirs=$(median "Node tool: support status")
  python3 -c "print(f'| same run (NODE_TOOL) | {float(\"$theirs\"):.2f} | {float(\"$ours\"):.2f} | {float(\"$theirs\")/float(\"$ours\"):.1f}x |')"
fi
python3 -c "print(f'| last round\'s Node measurement (not runnable here) | 56.00 | {float(\"$ours\"):.2f} | {56.0/float(\"$ours\"):.1f}x (target 15x) |')"
floor=$(median "node -e 0 (floor of any Node CLI)")
if [ -n "$floor" ]; then
  python3 -c "print(f'| node -e 0, this run (a lower bound for the Node tool) | {float(\"$floor\"):.2f} | {float(\"$ours\"):.2f} | at least {float(\"$floor\")/float(\"$ours\"):.1f}x |')"
  floorCpu=$(cpu "node -e 0 (floor of any Node CLI)"); oursCpu=$(cpu "support status, first-party")
  python3 -c "print(f'| node -e 0, this run, cpu ms (user+sys) | {float(\"$floorCpu\"):.2f} | {float(\"$oursCpu\"):.2f} | at least {float(\"$floorCpu\")/float(\"$oursCpu\"):.1f}x |')"
fi
