// Shared by tests/web/run.mjs and bench/web: a real `wildws serve` in a temp
// home with the fixture agents, and Debian's chromium driven by playwright-core.
import { spawn, execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export { chromium };

export const here = dirname(fileURLToPath(import.meta.url));

export function parseArgs(argv) {
  const args = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) continue;
    const key = a.slice(2);
    const next = argv[i + 1];
    if (next === undefined || next.startsWith('--')) args[key] = true;
    else {
      args[key] = next;
      i++;
    }
  }
  return args;
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/**
 * A temp home with wildws.ini pointing the agent plugin at the fixture agent:
 * claude (stream-json, can resume), command (plain lines, cannot resume) and
 * codex at a path that does not exist (undetected, greyed in the picker).
 * `claude` overrides the claude executable (the bench may use a compiled one).
 */
export function makeHome({ claude } = {}) {
  const root = mkdtempSync(join(tmpdir(), 'wildws-web-'));
  const home = join(root, 'home');
  const bin = join(root, 'bin');
  mkdirSync(home, { mode: 0o700 });
  mkdirSync(bin);
  const fixture = join(here, 'fixtures', 'fake-agent.mjs');
  const wrapper = (format) => {
    const path = join(bin, format === 'claude' ? 'claude' : 'plaincli');
    writeFileSync(path, `#!/bin/sh\nexec '${process.execPath}' '${fixture}' ${format} "$@"\n`);
    chmodSync(path, 0o755);
    return path;
  };
  const claudePath = claude || wrapper('claude');
  const cmdPath = wrapper('cmd');
  writeFileSync(
    join(home, 'wildws.ini'),
    [
      '[plugin.agent]',
      `claude_path = ${claudePath}`,
      `command = ["${cmdPath}", "{prompt}"]`,
      'command_name = Plain CLI',
      `codex_path = ${join(root, 'not-installed', 'codex')}`,
      'kill_grace_ms = 1000',
      '',
    ].join('\n'),
  );
  return { root, home, bin, agentLog: join(root, 'agent-log.jsonl'), cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

export class Wildws {
  constructor({ bin, pluginsDir, home, agentLog, webDir = '' }) {
    Object.assign(this, { bin, pluginsDir, home, agentLog, webDir });
    this.proc = null;
    this.port = 0;
  }

  globalArgs() {
    const a = ['--home', this.home];
    if (this.pluginsDir) a.push('--plugins-dir', this.pluginsDir);
    if (this.webDir) a.push('--set', `serve.web_dir=${this.webDir}`);
    return a;
  }

  env() {
    const env = { ...process.env, WEBTEST_AGENT_LOG: this.agentLog };
    delete env.WILD_WORKSPACE_HOME;
    return env;
  }

  /** `wildws ARGS` to the end: {code, stdout, stderr}. */
  cli(args, { timeout = 20000 } = {}) {
    return new Promise((resolve) => {
      execFile(this.bin, [...this.globalArgs(), ...args], { env: this.env(), timeout }, (err, stdout, stderr) => {
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
      });
    });
  }

  async start(port) {
    this.port = port || this.port || (await freePort());
    const proc = spawn(this.bin, [...this.globalArgs(), 'serve', '--port', String(this.port)], {
      env: this.env(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.proc = proc;
    this.output = '';
    proc.stderr.on('data', (d) => {
      this.output += d;
    });
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`wildws serve did not start:\n${this.output}`)), 15000);
      proc.stdout.on('data', (d) => {
        this.output += d;
        const m = /open (http:\/\/\S+\/login\?code=\S+)/.exec(this.output);
        if (m) {
          this.firstLoginUrl = m[1];
          clearTimeout(timer);
          resolve();
        }
      });
      proc.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`wildws serve exited with ${code}:\n${this.output}`));
      });
    });
    this.origin = `http://127.0.0.1:${this.port}`;
    return this;
  }

  async stop() {
    const proc = this.proc;
    if (!proc || proc.exitCode !== null) return;
    const exited = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), 8000);
    await exited;
    clearTimeout(timer);
    this.proc = null;
  }

  async loginUrl() {
    const r = await this.cli(['open']);
    const m = /(http:\/\/\S+\/login\?code=\S+)/.exec(r.stdout);
    if (!m) throw new Error(`wildws open printed no URL: ${r.stdout} ${r.stderr}`);
    return m[1].replace(/^http:\/\/127\.0\.0\.1:\d+/, this.origin);
  }

  secrets() {
    return JSON.parse(readFileSync(join(this.home, 'secrets.json'), 'utf8'));
  }

  /** An API call as the owner (bearer token), from outside the browser. */
  async api(method, path, body) {
    const res = await fetch(this.origin + path, {
      method,
      headers: { Authorization: `Bearer ${this.secrets().partnerToken}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    let json = null;
    try {
      json = JSON.parse(text);
    } catch {
      /* not JSON */
    }
    return { status: res.status, json, text, headers: res.headers };
  }

  /** POST /api/support/agent-task as the daemon would: loopback + secret. Resolves at the stream's end: {status, text, endedAt}. */
  supportTask(body) {
    return new Promise((resolvePromise, reject) => {
      const payload = JSON.stringify(body);
      const req = httpRequest(
        `${this.origin}/api/support/agent-task`,
        { method: 'POST', headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload), 'x-support-secret': this.secrets().supportChannelSecret } },
        (res) => {
          let text = '';
          res.on('data', (d) => {
            text += d;
          });
          res.on('end', () => resolvePromise({ status: res.statusCode, text, endedAt: Date.now() }));
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  }

  agentRuns() {
    try {
      return readFileSync(this.agentLog, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
    } catch {
      return [];
    }
  }
}

export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** Headless Debian chromium with a fresh profile directory. */
export function chromiumPath() {
  const path = process.env.CHROMIUM || '/usr/bin/chromium';
  if (!existsSync(path)) throw new Error(`no chromium at ${path}: run scripts/install-deps.sh (Debian's chromium package), or set CHROMIUM`);
  return path;
}

export async function launchBrowser({ viewport = { width: 1280, height: 800 }, colorScheme = 'light' } = {}) {
  const executablePath = chromiumPath();
  const profile = mkdtempSync(join(tmpdir(), 'wildws-web-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport,
    colorScheme,
    reducedMotion: 'reduce',
  });
  const close = async () => {
    await context.close().catch(() => {});
    rmSync(profile, { recursive: true, force: true });
  };
  return { context, close };
}
