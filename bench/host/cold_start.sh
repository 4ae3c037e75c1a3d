#!/usr/bin/env bash
# Cold start (issue 16): `wildws support status` against the Node tool it
# replaces, in one run; then `--help`, `plugins` and `--version` with the
# first-party plugins and with 100 generated trivial plugins.
# Prints markdown tables.
#
# The Node tool (@venturewild/workspace 0.3.0) cannot run here: the seed
# (/work/shared/seed/workspace-0.3.0.diff.txt) is a diff between two
# published versions (0.2.3 -> 0.3.0) that shows only the changed hunks of
# changed files, with no whole file and no file names but package.json, so
# the tool cannot be rebuilt from it, and the package is not on the npm
# registry this machine reaches. So the comparison is, clearly labelled:
#   - `node -e 0`, measured in the same run: starting Node and running
#     nothing, a floor that the Node tool (which also loads its modules and
#     reads its state) can only be slower than: "at least N x";
#   - the Node tool's 56 ms measured last round (hyperfine, same machine).
# Set NODE_TOOL="node /path/to/cli.mjs support status" to measure the real
# tool in the same run as well (it gets an empty HOME, as wildws an empty home),
# and BEFORE=/path/to/another/build to add that build's `support status`
# (e.g. main's, for a before/after in one run).
#
# The machine is shared (2 cores, several builds): the commands of the
# comparison run in ROUNDS rounds, each round all of them back to back
# (hyperfine -N), and each row pools the runs of every round, so a burst of
# load hits every command alike. The cpu column (user+sys) is the steadier.
# Usage: bench/host/cold_start.sh [build-dir]   (ROUNDS=5 RUNS=40 by default)
set -euo pipefail
build=$(realpath "${1:-build}")
wildws="$build/wildws"
rounds=${ROUNDS:-5}
runs=${RUNS:-40}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/home" "$work/nodehome" "$work/p100"
chmod 700 "$work/home"
chmod 755 "$work/p100"
for i in $(seq 1 100); do cp "$build/bench/host/wildws-benchtrivial.so" "$work/p100/wildws-bench$(printf %03d "$i").so"; done
first_party=$(ls "$build/plugins" | grep -c '^wildws-.*\.so$' || true)

# rounds <name>=<command> ...: runs the commands ROUNDS times, each round all
# of them in turn; writes one JSON per round.
rounds() {
  local names=() cmds=() a
  for a in "$@"; do names+=("${a%%=*}"); cmds+=("${a#*=}"); done
  local args=()
  for i in "${!cmds[@]}"; do args+=(-n "${names[$i]}" "${cmds[$i]}"); done
  for r in $(seq 1 "$rounds"); do
    hyperfine -N --warmup 5 --runs "$runs" --export-json "$work/round$r.json" "${args[@]}" >/dev/null 2>&1
  done
}

# table <label>=<name> ...: one row per command, pooled over the rounds.
table() {
  python3 - "$work" "$rounds" "$@" <<'PY'
import json, statistics, sys
work, rounds, rows = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
pooled = {}
for r in range(1, rounds + 1):
    for res in json.load(open(f"{work}/round{r}.json"))["results"]:
        p = pooled.setdefault(res["command"], {"t": [], "cpu": []})
        p["t"] += [x * 1000 for x in res["times"]]
        p["cpu"].append((res["user"] + res["system"]) * 1000)
out = {}
for row in rows:
    label, name = row.split("=", 1)
    t = sorted(pooled[name]["t"])
    cpu = statistics.mean(pooled[name]["cpu"])
    out[name] = {"median": statistics.median(t), "cpu": cpu}
    print(f"| {label} | {statistics.median(t):.2f} | {t[len(t)//10]:.2f} | {t[len(t)*9//10]:.2f} | {cpu:.2f} | {len(t)} |")
json.dump(out, open(f"{work}/table.json", "w"))
PY
}

echo "### support status vs the Node tool ($rounds rounds x $runs runs, pooled)"
echo
echo "| command | median ms | p10 ms | p90 ms | cpu ms (user+sys) | runs |"
echo "|---|---|---|---|---|---|"
cmds=("wildws=$wildws --home $work/home --plugins-dir $build/plugins support status"
      "node=node -e 0"
      "true=/bin/true")
rows=("wildws support status (first-party plugins, empty home)=wildws"
      "node -e 0 (Node starting and doing nothing)=node"
      "/bin/true=true")
if [ -n "${NODE_TOOL:-}" ]; then
  cmds+=("tool=env HOME=$work/nodehome $NODE_TOOL")
  rows+=("Node tool: support status (NODE_TOOL)=tool")
fi
if [ -n "${BEFORE:-}" ]; then
  before=$(realpath "$BEFORE")
  mkdir -p "$work/home-before" && chmod 700 "$work/home-before"
  cmds+=("before=$before/wildws --home $work/home-before --plugins-dir $before/plugins support status")
  rows+=("wildws support status, BEFORE build ($before)=before")
fi
rounds "${cmds[@]}"
table "${rows[@]}"

echo
echo "| ratio (same run unless said) | Node ms | wildws ms | wildws is faster by | target 15x |"
echo "|---|---|---|---|---|"
python3 - "$work/table.json" "${NODE_TOOL:+tool}" <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))
ours, cpu = t["wildws"]["median"], t["wildws"]["cpu"]
ok = lambda x: "met" if x >= 15 else "NOT met"
if len(sys.argv) > 2 and sys.argv[2] == "tool":
    x = t["tool"]["median"] / ours
    print(f"| the Node tool, same run (NODE_TOOL) | {t['tool']['median']:.2f} | {ours:.2f} | {x:.1f}x | {ok(x)} |")
x = t["node"]["median"] / ours
print(f"| node -e 0, wall (a floor: the tool is slower) | {t['node']['median']:.2f} | {ours:.2f} | at least {x:.1f}x | {ok(x)} |")
x = t["node"]["cpu"] / cpu
print(f"| node -e 0, cpu (user+sys) | {t['node']['cpu']:.2f} | {cpu:.2f} | at least {x:.1f}x | {ok(x)} |")
if "before" in t:
    b = t["before"]
    print(f"| BEFORE build, same run: wall / cpu | | {b['median']:.2f} / {b['cpu']:.2f} | this build takes {ours / b['median'] * 100:.0f}% / {cpu / b['cpu'] * 100:.0f}% of it | |")
x = 56.0 / ours
print(f"| the Node tool's 56 ms from last round (not this run) vs this run | 56.00 | {ours:.2f} | {x:.1f}x | {ok(x)} |")
print(f"| /bin/true, same run (the floor of any process) | | {t['true']['median']:.2f} | wildws costs {ours - t['true']['median']:.2f} ms more | |")
PY

echo
echo "### the host with many plugins ($rounds rounds x $runs runs, pooled)"
echo
echo "| command | median ms | p10 ms | p90 ms | cpu ms (user+sys) | runs |"
echo "|---|---|---|---|---|---|"
rounds "help=$wildws --home $work/home --help" \
       "plugins=$wildws --home $work/home plugins" \
       "help100=$wildws --home $work/home --plugins-dir $work/p100 --help" \
       "plugins100=$wildws --home $work/home --plugins-dir $work/p100 plugins" \
       "version100=$wildws --home $work/home --plugins-dir $work/p100 --version"
table "--help, first-party ($first_party plugins)=help" \
      "plugins, first-party ($first_party plugins)=plugins" \
      "--help, 100 trivial plugins=help100" \
      "plugins, 100 trivial plugins=plugins100" \
      "--version, 100 trivial plugins=version100"
