#!/usr/bin/env bash
# support_api benchmarks. Prints markdown tables.
#   1. GET /api/support/status under wrk (-t2 -c50, 10 s) with an audit feed
#      of 0, 100k and 1M lines (a valid hash chain, from consent_audit_tool)
#      and a live tier-3 grant: req/s and p99 must stay flat, because status
#      reads one entry from the END of the feed.
#   2. NDJSON relay of 100k agent lines: operator -> daemon -> serve -> agent
#      (the daemon's agent-task action relaying serve's stream), serve alone
#      (its /api/support/agent-task, support-channel secret), and the fake
#      agent read straight from a pipe as the baseline. Every relayed line is
#      also parsed, recorded to support-sessions/ and shown in the operate state.
#   3. Revoke latency: a support agent-task (the fake agent with a grandchild
#      in its process group) runs in the daemon; `wildws support revoke` in
#      another process; the time until every member of the agent's group
#      (the agent and its grandchild) is gone: no /proc entry, or a zombie
#      (an orphaned zombie waits for PID 1, which here reaps every ~2 s, so
#      kill(-pgid, 0) would time the init process, not wildws). The task
#      watches the grant file (inotify).
# Usage: bench/support_api/run.sh [build-dir] [wrk-seconds]
set -euo pipefail
build=$(realpath "${1:-build}")
secs=${2:-10}
bin="$build/wildws"
plugins="$build/plugins"
agent="$build/tests/support_api/fixtures/support-fake-agent"
auditTool="$build/tests/consent/consent_audit_tool"
for f in "$bin" "$agent" "$auditTool" "$plugins/wildws-support_api.so" "$plugins/wildws-consent.so" "$plugins/wildws-agent.so"; do
  [ -e "$f" ] || { echo "missing $f - build first: ninja -C $build" >&2; exit 1; }
done
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 1; }

work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

json() { python3 -c "import json,sys;print(json.load(open(sys.argv[1]))[sys.argv[2]])" "$1" "$2"; }

# new_home DIR: a home whose agent is the fake Claude.
new_home() {
  mkdir -m 700 -p "$1"
  printf '[plugin.agent]\nclaude_path = %s\ndefault_agent = claude\n' "$agent" >"$1/wildws.ini"
}

# start ROLE HOME -> sets $port; records the pid for cleanup.
start() {
  local role=$1 home=$2 pidfile
  pidfile=$home/$([ "$role" = serve ] && echo server.pid || echo daemon.pid)
  rm -f "$pidfile"
  "$bin" --home "$home" --plugins-dir "$plugins" "$role" --port 0 >"$home/$role.out" 2>&1 &
  pids+=($!)
  for _ in $(seq 200); do [ -s "$pidfile" ] && break; sleep 0.05; done
  port=$(json "$pidfile" port)
  last_pid=$!
}

stop_last() { kill "$last_pid" 2>/dev/null || true; wait "$last_pid" 2>/dev/null || true; }

wrk_row() { # label port token
  local label=$1 p=$2 token=$3
  wrk -t2 -c50 -d"${secs}s" --latency -H "Authorization: Bearer $token" "http://127.0.0.1:$p/api/support/status" >"$work/wrk" 2>&1 || true
  [ -n "${WRK_DEBUG:-}" ] && cat "$work/wrk" >&2
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

echo "### GET /api/support/status (wrk -t2 -c50 -d${secs}s, live tier-3 grant)"
echo
echo "| audit feed | req/s | p50 ms | p99 ms | non-2xx |"
echo "|---|---|---|---|---|"
for n in 0 100000 1000000; do
  home=$work/status-$n
  new_home "$home"
  if [ "$n" -gt 0 ]; then "$auditTool" generate "$home/support-audit.jsonl" "$n" >/dev/null; fi
  "$bin" --home "$home" --plugins-dir "$plugins" support allow --tier 3 --minutes 60 --yes >/dev/null
  size=$(du -h "$home/support-audit.jsonl" | cut -f1)
  start serve "$home"
  token=$(json "$home/secrets.json" partnerToken)
  curl -sf -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/support/status" >/dev/null
  wrk_row "$(printf "%'d" "$n") lines ($size)" "$port" "$token"
  stop_last
done

# ---------------------------------------------------------------------------
lines=100000
home=$work/relay
new_home "$home"
"$bin" --home "$home" --plugins-dir "$plugins" support allow --tier 3 --minutes 60 --yes >/dev/null
op=$("$bin" --home "$home" --plugins-dir "$plugins" operator enable --json | python3 -c "import json,sys;print(json.load(sys.stdin)['token'])")
start serve "$home"; sport=$port
start daemon "$home"; dport=$port
secret=$(json "$home/secrets.json" supportChannelSecret)

timed() { # label command... ; prints a row from the number of output lines and the time
  local label=$1; shift
  local t0 t1 got
  t0=$(date +%s.%N)
  got=$("$@" | wc -l)
  t1=$(date +%s.%N)
  python3 -c "import sys; n,t=int(sys.argv[2]),float(sys.argv[4])-float(sys.argv[3]); print(f'| {sys.argv[1]} | {n:,} | {t:.2f} | {n/t:,.0f} |')" "$label" "$got" "$t0" "$t1"
}
pipe_agent() { echo "lines $lines 0" | "$agent"; }
via_serve() {
  curl -sN -X POST -H "x-support-secret: $secret" -H "Content-Type: application/json" \
    -d "{\"prompt\":\"lines $lines 0\",\"taskId\":\"bench-serve\"}" "http://127.0.0.1:$sport/api/support/agent-task"
}
via_daemon() {
  curl -sN -X POST -H "Authorization: Bearer $op" -H "Content-Type: application/json" \
    -d "{\"args\":{\"prompt\":\"lines $lines 0\",\"taskId\":\"bench-daemon\"}}" "http://127.0.0.1:$dport/api/support/actions/agent-task"
}
via_serve >/dev/null # warm up (detection cache, page cache)

echo
echo "### NDJSON relay of $(printf "%'d" $lines) agent lines"
echo
echo "| path | lines out | seconds | lines/s |"
echo "|---|---|---|---|"
timed "fake agent straight from a pipe (baseline)" pipe_agent
timed "serve: POST /api/support/agent-task -> agent" via_serve
timed "operator -> daemon -> serve -> agent" via_daemon
kill "$sport" 2>/dev/null || true
for p in "${pids[@]}"; do if [ "$(json "$home/server.pid" pid 2>/dev/null || true)" = "$p" ]; then kill "$p"; wait "$p" 2>/dev/null || true; fi; done
for _ in $(seq 100); do [ -e "$home/server.pid" ] || break; sleep 0.05; done
timed "operator -> daemon -> agent (serve down: the daemon runs it)" via_daemon
echo
echo "Each relayed run also records every line to support-sessions/<id>.jsonl; recordings of this run:"
ls -l "$home/support-sessions" | awk 'NR>1 && $9 !~ /^\./ {printf "  %s %s bytes\n", $9, $5}'

# ---------------------------------------------------------------------------
home=$work/revoke
new_home "$home"
"$bin" --home "$home" --plugins-dir "$plugins" support allow --tier 3 --minutes 60 --yes >/dev/null
op=$("$bin" --home "$home" --plugins-dir "$plugins" operator enable --json | python3 -c "import json,sys;print(json.load(sys.stdin)['token'])")
start daemon "$home"; dport=$port
echo
echo "### revoke -> the support agent's process group gone (daemon runs the task, 7 runs)"
echo
python3 - "$bin" "$plugins" "$home" "$dport" "$op" <<'PY'
import http.client, json, os, statistics, subprocess, sys, time
bin_, plugins, home, port, token = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
cli = [bin_, "--home", home, "--plugins-dir", plugins]
rows = []
for run in range(7):
    subprocess.run(cli + ["support", "allow", "--tier", "3", "--minutes", "60", "--yes"], check=True, capture_output=True)
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    body = json.dumps({"args": {"prompt": "grandchild", "taskId": f"revoke-{run}"}})
    c.request("POST", "/api/support/actions/agent-task", body,
              {"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    r = c.getresponse()
    members = None
    while members is None:
        line = r.readline()
        if not line:
            sys.exit("the task ended before it said its pids")
        if b"pids " in line:
            text = json.loads(line).get("text", "")
            members = [int(text.split()[1]), int(text.split()[3])]  # the agent and its grandchild
    def alive(pid):
        try:
            with open(f"/proc/{pid}/stat") as f:
                return f.read().rsplit(")", 1)[1].split()[0] != "Z"
        except FileNotFoundError:
            return False
    t0 = time.monotonic()
    subprocess.run(cli + ["support", "revoke"], check=True, capture_output=True)
    t_cmd = time.monotonic()
    while any(alive(p) for p in members):
        if time.monotonic() - t0 > 10:
            sys.exit("the group outlived the revoke by 10 s")
        time.sleep(0.0005)
    t1 = time.monotonic()
    while r.readline():
        pass
    c.close()
    rows.append(((t_cmd - t0) * 1000, (t1 - t0) * 1000, (t1 - t_cmd) * 1000))
print("| run | `support revoke` ran (ms) | revoke start -> group gone (ms) | revoke done -> group gone (ms) |")
print("|---|---|---|---|")
for i, (a, b, d) in enumerate(rows):
    print(f"| {i + 1} | {a:.1f} | {b:.1f} | {d:.1f} |")
med = [statistics.median(x) for x in zip(*rows)]
mx = [max(x) for x in zip(*rows)]
print(f"| median | {med[0]:.1f} | {med[1]:.1f} | {med[2]:.1f} |")
print(f"| max | {mx[0]:.1f} | {mx[1]:.1f} | {mx[2]:.1f} |")
PY
stop_last
