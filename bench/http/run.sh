#!/usr/bin/env bash
# HTTP core of `wildws serve`: wrk on /health and on an authenticated small
# JSON route (-c 50, 10 s), idle RSS, and NDJSON relay throughput of a route
# that streams 100k lines. Prints a markdown table.
# Usage: bench/http/run.sh [build-dir] [seconds]
set -euo pipefail
build=$(realpath "${1:-build}")
secs=${2:-10}
work=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$work"' EXIT
"$build/wildws" --home "$work" --plugins-dir "$build/tests/http/fixtures" ${WILDWS_BENCH_ARGS:-} serve --port 0 >"$work/out" 2>&1 &
pid=$!
for _ in $(seq 100); do [ -s "$work/server.pid" ] && break; sleep 0.05; done
port=$(python3 -c "import json;print(json.load(open('$work/server.pid'))['port'])")
token=$(python3 -c "import json;print(json.load(open('$work/secrets.json'))['partnerToken'])")
sleep 0.5
rss_idle=$(awk '/VmRSS/{print $2}' /proc/$pid/status)

wrk_row() { # label, path, extra header args...
  local label=$1 path=$2; shift 2
  wrk -t2 -c50 -d"${secs}s" --latency "$@" "http://127.0.0.1:$port$path" >"$work/wrk" 2>&1
  python3 - "$label" "$work/wrk" <<'PY'
import re, sys
text = open(sys.argv[2]).read()
def ms(v):
    n, unit = float(re.match(r"([\d.]+)", v).group(1)), re.sub(r"[\d.]", "", v)
    return n * {"us": 0.001, "ms": 1, "s": 1000}[unit]
p50 = ms(re.search(r"^\s*50%\s+(\S+)", text, re.M).group(1))
p99 = ms(re.search(r"^\s*99%\s+(\S+)", text, re.M).group(1))
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
errs = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
print(f"| {sys.argv[1]} | {rps:,.0f} | {p50:.3f} | {p99:.3f} | {errs.group(1) if errs else 0} |")
PY
}

echo "| wrk -c50 -d${secs}s | req/s | p50 ms | p99 ms | non-2xx |"
echo "|---|---|---|---|---|"
wrk_row "GET /health" /health
wrk_row "GET /api/fx/caller (bearer)" /api/fx/caller -H "Authorization: Bearer $token"
rss_after=$(awk '/VmRSS/{print $2}' /proc/$pid/status)

start=$(date +%s.%N)
lines=$(curl -sN -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/fx/stream?everyMs=0&lines=100000" | wc -l)
end=$(date +%s.%N)
echo
echo "| measure | value |"
echo "|---|---|"
echo "| idle RSS of serve | $((rss_idle / 1024)) MB ($rss_idle kB) |"
echo "| RSS after the wrk runs | $((rss_after / 1024)) MB ($rss_after kB) |"
python3 -c "print(f'| NDJSON relay, 100k lines | {$lines} lines in {$end-$start:.2f} s = {$lines/($end-$start):,.0f} lines/s |')"
