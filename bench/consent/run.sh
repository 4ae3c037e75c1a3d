#!/usr/bin/env bash
# The consent plugin's CLI cost: `wildws support status` cold start, and
# `wildws support audit --limit 20` on audit feeds of 1k, 100k and 1M lines
# (time must stay flat as the file grows: the newest entries are read from
# the end of the file). Prints a markdown table: hyperfine times and the peak
# RSS that /usr/bin/time -v reports (the largest of 5 runs).
#
# Builds nothing. Needs a build with tests (for tests/consent/consent_audit_tool,
# which writes valid hash-chained feeds fast), hyperfine, python3 and GNU time
# (`apt-get install time` if /usr/bin/time is missing).
# Usage: bench/consent/run.sh BUILD_DIR [RUNS]
set -euo pipefail
build=$(realpath "${1:?usage: bench/consent/run.sh BUILD_DIR [RUNS]}")
runs=${2:-40}
wildws="$build/wildws"
tool="$build/tests/consent/consent_audit_tool"
plugin="$build/plugins/wildws-consent.so"
for f in "$wildws" "$tool" "$plugin"; do
  [ -x "$f" ] || [ -f "$f" ] || { echo "missing $f: build the project (with tests) into $build first" >&2; exit 1; }
done
command -v hyperfine >/dev/null || { echo "hyperfine is not installed" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time is missing: apt-get install time" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Only the consent plugin, so the numbers are this plugin's (plus the host's).
mkdir -m 700 "$work/plugins"
cp "$plugin" "$work/plugins/"
ww() { "$wildws" --plugins-dir "$work/plugins" --home "$@"; }

declare -A lines=([1k]=1000 [100k]=100000 [1M]=1000000)
for size in 1k 100k 1M; do
  home="$work/home-$size"
  mkdir -m 700 "$home"
  "$tool" generate "$home/support-audit.jsonl" "${lines[$size]}"
  ww "$home" support allow --tier 2 --minutes 60 >/dev/null
done
mkdir -m 700 "$work/home-empty"

peak_rss() { # args... -> the largest "Maximum resident set size" of 5 runs, in kB
  local max=0 kb
  for _ in 1 2 3 4 5; do
    kb=$(/usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F': ' '/Maximum resident set size/{print $2}')
    [ "$kb" -gt "$max" ] && max=$kb
  done
  echo "$max"
}

row() { # label, args...
  local label=$1; shift
  hyperfine -N --warmup 5 --runs "$runs" --export-json "$work/r.json" "$*" >/dev/null 2>&1
  local rss
  rss=$(peak_rss "$@")
  python3 - "$label" "$work/r.json" "$rss" <<'PY'
import json, sys, statistics
r = json.load(open(sys.argv[2]))["results"][0]
t = sorted(x * 1000 for x in r["times"])
print(f"| {sys.argv[1]} | {statistics.median(t):.2f} | {t[len(t)//10]:.2f} | {t[len(t)*9//10]:.2f} | {int(sys.argv[3])/1024:.1f} |")
PY
}

size_of() { du -h "$1" | cut -f1; }
echo "| scenario | median ms | p10 ms | p90 ms | peak RSS MB |"
echo "|---|---|---|---|---|"
row "support status, no grant, no audit" "$wildws" --plugins-dir "$work/plugins" --home "$work/home-empty" support status
row "support status, live grant, 1M-line audit" "$wildws" --plugins-dir "$work/plugins" --home "$work/home-1M" support status
row "wildws --version (host alone, for scale)" "$wildws" --plugins-dir "$work/plugins" --home "$work/home-empty" --version
for size in 1k 100k 1M; do
  row "support audit --limit 20, ${size} lines ($(size_of "$work/home-$size/support-audit.jsonl"))" \
    "$wildws" --plugins-dir "$work/plugins" --home "$work/home-$size" support audit --limit 20
done
row "support audit --limit 20 --json, 1M lines" \
  "$wildws" --plugins-dir "$work/plugins" --home "$work/home-1M" support audit --limit 20 --json

# For contrast: --verify reads the whole chain, so it grows with the file.
echo
echo "| full-chain check (grows with the file, by design) | seconds | peak RSS MB |"
echo "|---|---|---|"
for size in 1k 100k 1M; do
  /usr/bin/time -f "%e %M" -o "$work/t" "$wildws" --plugins-dir "$work/plugins" --home "$work/home-$size" \
    support audit --verify >/dev/null
  read -r secs kb <"$work/t"
  echo "| support audit --verify, ${size} lines | $secs | $(python3 -c "print(f'{$kb/1024:.1f}')") |"
done
