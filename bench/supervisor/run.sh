#!/usr/bin/env bash
# always-on: kill -9 of `wildws serve` -> /health answers again, over N kills,
# with the supervisor reacting to the exit through a pidfd (this design)
# beside the same supervisor looking only once a second (exit_detection =
# poll, poll_interval_ms = 1000: the seed's 1 s health-poll design).
# Backoff start 100 ms, reset as soon as the server is healthy, so every kill
# meets the same 100 ms delay. Before each kill the script waits until the
# supervisor calls the server healthy, plus a random 0-1 s so kills land at
# every phase of the 1 s poll. Prints a markdown table.
# Usage: bench/supervisor/run.sh [build-dir] [kills]
set -euo pipefail
build=$(realpath "${1:-build}")
kills=${2:-20}
python3 - "$build" "$kills" <<'PY'
import json, os, random, signal, socket, statistics, subprocess, sys, tempfile, time

build, kills = sys.argv[1], int(sys.argv[2])
exe, plugins = os.path.join(build, "wildws"), os.path.join(build, "plugins")

def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p

def healthy(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2) as s:
            s.sendall(f"GET /health HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n".encode())
            return s.recv(64).startswith(b"HTTP/1.1 200")
    except OSError:
        return False

def read_json(path):
    try:
        with open(path) as f: return json.load(f)
    except (OSError, ValueError):
        return {}

def run(mode_name, extra):
    home = tempfile.mkdtemp(prefix="wildws-bench-sup-")
    os.chmod(home, 0o700)
    sport, dport = free_port(), free_port()
    with open(os.path.join(home, "wildws.ini"), "w") as f:
        f.write(f"[serve]\nport = {sport}\n[daemon]\nport = {dport}\n[plugin.supervisor]\n"
                f"backoff_start_ms = 100\nhealthy_reset_seconds = 0\n{extra}\n")
    cli = [exe, "--home", home, "--plugins-dir", plugins, "always-on"]
    subprocess.run(cli + ["start"], check=True, stdout=subprocess.DEVNULL)
    status = os.path.join(home, "supervisor-status.json")
    took = []
    try:
        for _ in range(kills):
            deadline = time.monotonic() + 30
            while read_json(status).get("children", {}).get("server", {}).get("state") != "running":
                if time.monotonic() > deadline: raise SystemExit("server never became healthy")
                time.sleep(0.01)
            time.sleep(random.random())
            pid = read_json(status)["children"]["server"]["pid"]
            t0 = time.monotonic()
            os.kill(pid, signal.SIGKILL)
            while True:
                if read_json(os.path.join(home, "server.pid")).get("pid") not in (None, pid) and healthy(sport):
                    break
                if time.monotonic() - t0 > 30: raise SystemExit("server did not come back")
                time.sleep(0.002)
            took.append((time.monotonic() - t0) * 1000)
    finally:
        subprocess.run(cli + ["stop"], stdout=subprocess.DEVNULL)
        subprocess.run(["rm", "-rf", home])
    print(f"| {mode_name} | {kills} | {statistics.median(took):.0f} | {max(took):.0f} | {min(took):.0f} |", flush=True)

print("| exit detection (backoff start 100 ms) | kills | median ms | max ms | min ms |")
print("|---|---|---|---|---|")
run("pidfd: the exit wakes the supervisor's poll()", "exit_detection = pidfd")
run("1 s poll (the seed's design)", "exit_detection = poll\npoll_interval_ms = 1000")
PY
