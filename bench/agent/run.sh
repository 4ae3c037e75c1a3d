#!/usr/bin/env bash
# bench/agent/run.sh BUILD_DIR [EVENTS] [RUNS]
#
# Streams EVENTS (default 100000) small agent events through wildws and
# compares with the same fixture agent read straight from a pipe (the
# ceiling). For each path: lines, time to the first line, total time and
# lines/s (median of RUNS runs, default 3), measured by agent-line-timer
# (spawn -> first '\n' -> EOF + exit).
#
#   pipe            fake agent -> pipe -> line timer
#   agent run       wildws agent run --json (spawn, parse, normalise, record to
#                   sessions/, print NDJSON); includes wildws start-up
#   agent run, no record   the same with [plugin.agent] persist = false
#   POST /api/chat  wildws serve already running; curl -sN reads the NDJSON
#                   stream (curl's own start-up included)
set -euo pipefail

BUILD=$(cd "${1:?usage: bench/agent/run.sh BUILD_DIR [EVENTS] [RUNS]}" && pwd)
EVENTS=${2:-100000}
RUNS=${3:-3}
FIX=$BUILD/tests/agent/fixtures
TIMER=$FIX/agent-line-timer
WILDWS=$BUILD/wildws
for f in "$TIMER" "$FIX/fake-claude" "$FIX/fake-cmd" "$WILDWS" "$BUILD/plugins/wildws-agent.so"; do
  [[ -x $f || -f $f ]] || { echo "missing $f - build first: ninja -C $BUILD" >&2; exit 1; }
done
command -v jq >/dev/null || { echo "needs jq" >&2; exit 1; }

HOME_DIR=$(mktemp -d /tmp/wildws-agent-bench-XXXXXX)
SERVE_PID=
cleanup() {
  [[ -n $SERVE_PID ]] && kill "$SERVE_PID" 2>/dev/null && wait "$SERVE_PID" 2>/dev/null || true
  rm -rf "$HOME_DIR"
}
trap cleanup EXIT

SETS=(--set "plugin.agent.claude_path=$FIX/fake-claude"
      --set "plugin.agent.codex_path=/nonexistent"
      --set "plugin.agent.command=[\"$FIX/fake-cmd\",\"{prompt}\"]"
      --set "plugin.agent.stall_seconds=60")
W=("$WILDWS" --home "$HOME_DIR" --plugins-dir "$BUILD/plugins" "${SETS[@]}")

# median of RUNS line-timer results for one command line
measure() {
  local results=() i
  for ((i = 0; i < RUNS; i++)); do results+=("$("$TIMER" "$@")"); done
  printf '%s\n' "${results[@]}" | jq -s 'sort_by(.totalMs) | .[(length / 2 | floor)]'
}

declare -a NAMES ROWS
row() { NAMES+=("$1"); shift; ROWS+=("$(measure "$@")"); }

row "pipe (claude stream-json)"          --stdin "events $EVENTS" -- "$FIX/fake-claude"
row "agent run --json (claude)"          -- "${W[@]}" agent run --json "events $EVENTS"
row "agent run --json, no record"        -- "${W[@]}" --set plugin.agent.persist=false agent run --json "events $EVENTS"
row "pipe (plain text lines)"            -- "$FIX/fake-cmd" "events $EVENTS"
row "agent run --json (command)"         -- "${W[@]}" agent run --agent command --json "events $EVENTS"

# POST /api/chat through a running serve
"${W[@]}" serve --port 0 >"$HOME_DIR/serve.log" 2>&1 &
SERVE_PID=$!
for _ in $(seq 200); do
  [[ -s $HOME_DIR/server.pid ]] && jq -e .port "$HOME_DIR/server.pid" >/dev/null 2>&1 && break
  sleep 0.05
done
PORT=$(jq -r .port "$HOME_DIR/server.pid")
TOKEN=$(jq -r .partnerToken "$HOME_DIR/secrets.json")
CURL=("$(command -v curl)" -sN -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" -X POST
      "http://127.0.0.1:$PORT/api/chat")
row "POST /api/chat (claude)"            -- "${CURL[@]}" -d "{\"prompt\":\"events $EVENTS\"}"
row "POST /api/chat (command)"           -- "${CURL[@]}" -d "{\"prompt\":\"events $EVENTS\",\"agent\":\"command\"}"
row "curl only: GET /health"             -- "$(command -v curl)" -sN "http://127.0.0.1:$PORT/health"

CEIL_C=$(echo "${ROWS[0]}" | jq .linesPerSec)
CEIL_T=$(echo "${ROWS[3]}" | jq .linesPerSec)
printf '\n%d events, median of %d runs, %s, %s cores\n\n' "$EVENTS" "$RUNS" "$(uname -sr)" "$(nproc)"
printf '| %-30s | %8s | %13s | %10s | %10s | %10s |\n' path lines "first line ms" "total ms" "lines/s" "of ceiling"
printf '|%s|%s|%s|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..32})" "----------" "---------------" "------------" "------------" "------------"
for i in "${!NAMES[@]}"; do
  r=${ROWS[$i]}
  ceil=$CEIL_C
  [[ ${NAMES[$i]} == *command* || ${NAMES[$i]} == *plain* ]] && ceil=$CEIL_T
  pct=$(echo "$r" | jq --argjson c "$ceil" '(.linesPerSec / $c * 100 | floor | tostring) + " %"')
  lines=$(echo "$r" | jq .lines) first=$(echo "$r" | jq .firstLineMs) rate=$(echo "$r" | jq .linesPerSec)
  if [[ ${NAMES[$i]} == curl* ]]; then pct='"-"' lines=- first=- rate=-; fi
  printf '| %-30s | %8s | %13s | %10s | %10s | %10s |\n' "${NAMES[$i]}" "$lines" "$first" \
    "$(echo "$r" | jq .totalMs)" "$rate" "$(echo "$pct" | jq -r .)"
done
