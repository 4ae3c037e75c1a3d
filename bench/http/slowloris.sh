#!/usr/bin/env bash
# Slow clients against `wildws serve` (issue 15, item 3): N connections
# trickling one header byte every 2.5 s (reconnecting when the server drops
# them), or N silent ones, while /health and an owner request are timed (1 s
# client timeout each). Prints a markdown table.
# Usage: bench/http/slowloris.sh [build-dir] [seconds-per-row]
#   WILDWS_BIN=path/to/other/wildws compares another binary (e.g. main's).
set -euo pipefail
build=$(realpath "${1:-build}")
secs=${2:-8}
bin=${WILDWS_BIN:-$build/wildws}
work=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$work"' EXIT
"$bin" --home "$work" --plugins-dir "$build/tests/http/fixtures" serve --port 0 >"$work/out" 2>&1 &
pid=$!
for _ in $(seq 100); do [ -s "$work/server.pid" ] && break; sleep 0.05; done
port=$(python3 -c "import json;print(json.load(open('$work/server.pid'))['port'])")
token=$(python3 -c "import json;print(json.load(open('$work/secrets.json'))['partnerToken'])")
python3 - "$port" "$token" "$secs" "$bin" <<'PY'
import socket, sys, threading, time, statistics, resource
port, token, secs, binary = int(sys.argv[1]), sys.argv[2], float(sys.argv[3]), sys.argv[4]
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 8192), hard))

def attack(n, trickle, stop):
    socks = []
    def connect():
        s = socket.create_connection(("127.0.0.1", port))
        if trickle:
            s.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nX-Slow: " % port)
        return s
    for _ in range(n):
        try: socks.append(connect())
        except OSError: pass
    while not stop.is_set():
        if trickle:
            for i, s in enumerate(socks):
                try: s.send(b"a")
                except OSError:
                    try: socks[i] = connect()
                    except OSError: pass
        stop.wait(2.5)
    for s in socks: s.close()

def request(path, headers=""):
    t0 = time.monotonic()
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=1.0)
        s.settimeout(max(0.01, 1.0 - (time.monotonic() - t0)))
        s.sendall(("GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n%sConnection: close\r\n\r\n" % (path, port, headers)).encode())
        data = b""
        while b"\r\n" not in data:
            chunk = s.recv(4096)
            if not chunk: break
            data += chunk
        s.close()
        status = int(data.split(b" ")[1]) if data.startswith(b"HTTP/") else 0
    except (OSError, ValueError, IndexError):
        status = 0
    return status, (time.monotonic() - t0) * 1000

rows = [("none", 0, True), ("70 trickling", 70, True), ("130 trickling", 130, True),
        ("200 trickling", 200, True), ("1000 silent", 1000, False)]
print("binary: `%s`, %g s per row, 1 s client timeout" % (binary, secs))
print()
print("| slow clients | requests | 200 | 503 | no answer in 1 s | p50 ms | p99 ms | max ms |")
print("|---|---|---|---|---|---|---|---|")
for label, n, trickle in rows:
    stop = threading.Event()
    t = threading.Thread(target=attack, args=(n, trickle, stop))
    t.start()
    time.sleep(1.0)
    results = []
    end = time.monotonic() + secs
    while time.monotonic() < end:
        results.append(request("/health"))
        results.append(request("/api/fx/caller", "Authorization: Bearer %s\r\n" % token))
        time.sleep(0.1)
    stop.set(); t.join()
    lat = sorted(ms for st, ms in results if st)
    ok = sum(1 for st, _ in results if st == 200)
    busy = sum(1 for st, _ in results if st == 503)
    lost = sum(1 for st, _ in results if st == 0)
    p = lambda q: "%.1f" % lat[min(len(lat) - 1, int(q * len(lat)))] if lat else "-"
    print("| %s | %d | %d | %d | %d | %s | %s | %s |" % (label, len(results), ok, busy, lost, p(0.5), p(0.99), "%.1f" % lat[-1] if lat else "-"))
    time.sleep(1.0)
PY
