#!/usr/bin/env python3
"""bench/agent/interactive.py BUILD_DIR [RUNS]

Live (interactive) agents through a running `wildws serve`, with the fixture
agents (tests/agent/fixtures: fake-claude speaking Claude's control protocol,
fake-codex speaking codex app-server), so the numbers are wildws's own cost:

  follow-up, live      POST /api/chat with the sessionId of a live conversation:
                       the turn goes into the running process
  follow-up, respawn   the same after the live agent went idle (idle_seconds=1):
                       a new process with --resume / thread/resume, handshake first
  follow-up, one-shot  claude_interactive=false: claude -p --resume per turn
  prompt -> decision -> tool result
                       the permission line arrives; POST .../permissions/:id
                       allow; the tool-result line arrives (answer POST included)

Prints a markdown table (median, min, max of RUNS, default 20).
"""
import http.client
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

BUILD = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "build")
RUNS = int(sys.argv[2]) if len(sys.argv) > 2 else 20
FIX = os.path.join(BUILD, "tests/agent/fixtures")
for f in (os.path.join(BUILD, "wildws"), os.path.join(FIX, "fake-claude"), os.path.join(FIX, "fake-codex")):
    if not os.path.exists(f):
        sys.exit(f"missing {f} - build first: ninja -C {BUILD}")


class Serve:
    def __init__(self, sets):
        self.home = tempfile.mkdtemp(prefix="wildws-interactive-bench-")
        args = [os.path.join(BUILD, "wildws"), "--home", self.home, "--plugins-dir", os.path.join(BUILD, "plugins"),
                "--set", f"plugin.agent.claude_path={FIX}/fake-claude", "--set", f"plugin.agent.codex_path={FIX}/fake-codex"]
        for k, v in sets.items():
            args += ["--set", f"plugin.agent.{k}={v}"]
        self.proc = subprocess.Popen(args + ["serve", "--port", "0"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        pid_file = os.path.join(self.home, "server.pid")
        for _ in range(400):
            try:
                self.port = json.load(open(pid_file))["port"]
                break
            except Exception:
                time.sleep(0.025)
        self.token = json.load(open(os.path.join(self.home, "secrets.json")))["partnerToken"]

    def close(self):
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(20)
        shutil.rmtree(self.home, ignore_errors=True)

    def headers(self):
        return {"Authorization": "Bearer " + self.token, "Content-Type": "application/json"}

    def post(self, path, body):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        c.request("POST", path, json.dumps(body), self.headers())
        r = c.getresponse()
        data = r.read()
        c.close()
        return r.status, data

    def chat(self, body):
        """(connection, response) of a streaming POST /api/chat."""
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        c.request("POST", "/api/chat", json.dumps(body), self.headers())
        return c, c.getresponse()

    def sessions(self):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        c.request("GET", "/api/chat/sessions", headers=self.headers())
        d = json.loads(c.getresponse().read())
        c.close()
        return {s["id"]: s for s in d["sessions"]}


def lines(resp):
    for raw in resp:
        raw = raw.strip()
        if raw:
            yield json.loads(raw)


def turn(s, body, until="text"):
    """ms from sending to the first `until` line; reads the turn to its end. Returns (ms, sessionId)."""
    t0 = time.perf_counter()
    c, r = s.chat(body)
    first, sid = None, None
    for l in lines(r):
        if l["type"] == "start":
            sid = l["sessionId"]
        if first is None and l["type"] == until:
            first = (time.perf_counter() - t0) * 1000
        if l["type"] == "end":
            break
    c.close()
    return first, sid


def follow_ups(s, agent, wait_idle=False):
    _, sid = turn(s, {"prompt": "pid", "agent": agent})
    out = []
    for _ in range(RUNS):
        if wait_idle:  # let the live agent exit, so the next turn respawns it
            deadline = time.time() + 10
            while s.sessions()[sid]["live"] and time.time() < deadline:
                time.sleep(0.05)
        ms, _ = turn(s, {"prompt": "pid", "sessionId": sid})
        out.append(ms)
    return out


def prompt_round_trips(s, agent):
    out = []
    for _ in range(RUNS):
        c, r = s.chat({"prompt": "ask npm test", "agent": agent})
        sid, t0 = None, None
        for l in lines(r):
            if l["type"] == "start":
                sid = l["sessionId"]
            elif l["type"] == "permission":
                t0 = time.perf_counter()
                st, _ = s.post(f"/api/chat/{sid}/permissions/{l['requestId']}", {"decision": "allow"})
                assert st == 200, st
            elif l["type"] == "tool-result" and t0 is not None:
                out.append((time.perf_counter() - t0) * 1000)
            elif l["type"] == "end":
                break
        c.close()
    return out


rows = []
live = Serve({})
try:
    rows.append(("claude: follow-up into the live process (first text)", follow_ups(live, "claude")))
    rows.append(("codex: follow-up into the live app-server (first text)", follow_ups(live, "codex")))
    rows.append(("claude: prompt -> allow -> tool result", prompt_round_trips(live, "claude")))
    rows.append(("codex: prompt -> accept -> tool result", prompt_round_trips(live, "codex")))
finally:
    live.close()
idle = Serve({"idle_seconds": "1"})
try:
    rows.append(("claude: respawn with --resume + initialize (first text)", follow_ups(idle, "claude", wait_idle=True)))
    rows.append(("codex: respawn with thread/resume (first text)", follow_ups(idle, "codex", wait_idle=True)))
finally:
    idle.close()
one = Serve({"claude_interactive": "false", "codex_protocol": "exec"})
try:
    rows.append(("claude one-shot: -p --resume per turn (first text)", follow_ups(one, "claude")))
finally:
    one.close()

print(f"\n{RUNS} runs each, fixture agents, {os.uname().sysname} {os.uname().release}, {os.cpu_count()} cores\n")
print("| path | median ms | min ms | max ms |")
print("|---|---:|---:|---:|")
for name, v in rows:
    v = [x for x in v if x is not None]
    print(f"| {name} | {statistics.median(v):.1f} | {min(v):.1f} | {max(v):.1f} |")
