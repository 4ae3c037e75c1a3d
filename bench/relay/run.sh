#!/usr/bin/env bash
# relay benchmarks. Prints a markdown table.
#   - 50 daemons (50 homes, each with a tier-4 grant and operator access on)
#     connected to one nats-server on loopback;
#   - p50/p99 of a relayed `diagnostics` (through the broker) against the
#     same call over the daemon's HTTP route, both from one long-lived
#     client process (relay-bench), spread over the 50 installs;
#   - time to the first stdout line of a relayed `shell` (`echo hi`);
#   - the idle cost of a connected install: RSS of a daemon with the relay
#     connected vs one with the relay unconfigured, and wake-ups per minute
#     (context switches of all its threads over 60 s).
# Usage: bench/relay/run.sh [build-dir] [daemons] [requests-per-install]
set -euo pipefail
build=$(realpath "${1:-build}")
count=${2:-50}
per=${3:-10}
bin="$build/wildws"
plugins="$build/plugins"
tool="$build/bench/relay/relay-bench"
nats_server=$(command -v nats-server || echo /usr/sbin/nats-server)
for f in "$bin" "$tool" "$nats_server" "$plugins/wildws-relay.so" "$plugins/wildws-consent.so" "$plugins/wildws-support_api.so"; do
  [ -e "$f" ] || { echo "missing $f - build first (ninja -C $build), and ./scripts/install-deps.sh" >&2; exit 1; }
done

work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

json() { python3 -c "import json,sys;print(json.load(open(sys.argv[1]))[sys.argv[2]])" "$1" "$2"; }
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }

nport=$(free_port)
printf 'listen: 127.0.0.1:%s\njetstream { store_dir: "%s/js" }\n' "$nport" "$work" >"$work/nats.conf"
"$nats_server" -c "$work/nats.conf" >"$work/nats.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do (echo >/dev/tcp/127.0.0.1/"$nport") 2>/dev/null && break; sleep 0.1; done
url="nats://127.0.0.1:$nport"

# start_daemon HOME [relay] -> $port, $pid
start_daemon() {
  local home=$1
  rm -f "$home/daemon.pid"
  "$bin" --home "$home" --plugins-dir "$plugins" daemon --port 0 >"$home/daemon.out" 2>&1 &
  pid=$!
  pids+=($pid)
  for _ in $(seq 400); do [ -s "$home/daemon.pid" ] && break; sleep 0.05; done
  port=$(json "$home/daemon.pid" port)
}

w() { "$bin" --home "$1" --plugins-dir "$plugins" "${@:2}"; }

declare -a homes ids tokens ports dpids
for i in $(seq 0 $((count - 1))); do
  h="$work/h$i"
  mkdir -m 700 "$h"
  printf '[daemon]\nthreads = 8\n[plugin.relay]\nurl = %s\n' "$url" >"$h/wildws.ini"
  ids[$i]=$(w "$h" relay status --json | python3 -c 'import json,sys;print(json.load(sys.stdin)["installId"])')
  w "$h" support allow --tier 4 --minutes 60 --yes >/dev/null
  tokens[$i]=$(w "$h" operator enable --json | python3 -c 'import json,sys;print(json.load(sys.stdin)["token"])')
  start_daemon "$h"
  homes[$i]=$h ports[$i]=$port dpids[$i]=$pid
done
# Wait for every install to be connected.
for i in $(seq 0 $((count - 1))); do
  for _ in $(seq 200); do
    w "${homes[$i]}" relay status --json | grep -q '"connected":true' && break
    sleep 0.1
  done
done
connected=0
for i in $(seq 0 $((count - 1))); do
  w "${homes[$i]}" relay status --json | grep -q '"connected":true' && connected=$((connected + 1))
done

: >"$work/nats.ms"; : >"$work/http.ms"; : >"$work/shell.ms"
for i in $(seq 0 $((count - 1))); do
  "$tool" nats "$url" "${ids[$i]}" "${tokens[$i]}" "$per" >>"$work/nats.ms"
  "$tool" http "${ports[$i]}" "${tokens[$i]}" "$per" >>"$work/http.ms"
done
for i in $(seq 0 9); do "$tool" shell-first "$url" "${ids[$i]}" "${tokens[$i]}" 3 >>"$work/shell.ms"; done

# Idle cost: one more daemon with the relay unconfigured, as the baseline.
base="$work/base"
mkdir -m 700 "$base"
printf '[daemon]\nthreads = 8\n' >"$base/wildws.ini"
w "$base" operator enable --json >/dev/null
start_daemon "$base"
basePid=$pid
sleep 5 # let start-up settle

rss() { awk '/VmRSS/{print $2}' "/proc/$1/status"; }
switches() { cat /proc/"$1"/task/*/status 2>/dev/null | awk '/ctxt_switches/{s+=$2} END{print s}'; }
sample=(0 1 2 3 4)
declare -A before
for i in "${sample[@]}"; do before[$i]=$(switches "${dpids[$i]}"); done
baseBefore=$(switches "$basePid")
natsBefore=$(switches "${pids[0]}")
sleep 60
wake=0; rssSum=0
for i in "${sample[@]}"; do
  wake=$((wake + $(switches "${dpids[$i]}") - ${before[$i]}))
  rssSum=$((rssSum + $(rss "${dpids[$i]}")))
done
wake=$((wake / ${#sample[@]})); rssAvg=$((rssSum / ${#sample[@]}))
baseWake=$(( $(switches "$basePid") - baseBefore ))
baseRss=$(rss "$basePid")
natsWake=$(( $(switches "${pids[0]}") - natsBefore ))
natsRss=$(rss "${pids[0]}")

python3 - "$work" "$count" "$connected" "$rssAvg" "$baseRss" "$wake" "$baseWake" "$natsRss" "$natsWake" <<'PY'
import sys
work, count, connected, rss, base_rss, wake, base_wake, nats_rss, nats_wake = sys.argv[1:]
def load(name):
    return sorted(float(x) for x in open(f"{work}/{name}.ms") if x.strip())
def pct(v, p):
    return v[min(len(v) - 1, int(round(p / 100 * (len(v) - 1))))] if v else float("nan")
n, h, s = load("nats"), load("http"), load("shell")
print(f"relay benchmark: {connected}/{count} daemons connected to one nats-server (loopback)\n")
print("| measure | p50 | p99 | n |")
print("|---|---|---|---|")
print(f"| diagnostics through the relay (NATS) | {pct(n,50):.2f} ms | {pct(n,99):.2f} ms | {len(n)} |")
print(f"| diagnostics over HTTP (same daemons) | {pct(h,50):.2f} ms | {pct(h,99):.2f} ms | {len(h)} |")
print(f"| relayed shell `echo hi`: first stdout line | {pct(s,50):.2f} ms | {pct(s,99):.2f} ms | {len(s)} |")
print()
print("| idle cost (60 s, no requests) | RSS | wake-ups / min |")
print("|---|---|---|")
print(f"| daemon, relay connected (mean of 5) | {int(rss)/1024:.1f} MiB | {wake} |")
print(f"| daemon, relay unconfigured | {int(base_rss)/1024:.1f} MiB | {base_wake} |")
print(f"| per connected install (difference) | {(int(rss)-int(base_rss))/1024:+.1f} MiB | {int(wake)-int(base_wake):+d} |")
print(f"| nats-server with {connected} installs | {int(nats_rss)/1024:.1f} MiB | {nats_wake} |")
PY
