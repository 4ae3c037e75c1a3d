#!/usr/bin/env node
// End-to-end tests of the owner's page: playwright-core driving Debian's
// chromium (headless) against a real `wildws serve` with fixture agents.
//
//   node run.mjs --wildws BUILD/wildws --build BUILD --plugins BUILD/plugins [--out DIR] [--only SUBSTRING[|SUBSTRING...]] [--web DIR]
// (--web: serve the page from DIR instead of the one beside the binary, e.g.
// this tree's page against another branch's server)
//
// Screenshots go to OUT/screenshots (OUT defaults to BUILD/tests/web). The
// last line is "N passed, N failed, N skipped"; the exit code is non-zero if
// anything failed. Tests that need a plugin the build does not have (e.g.
// support_api while it is not built) are skipped and say so; a plugin that is
// built but not loaded fails them.
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { dailyTests } from './daily-tests.mjs';
import { supportPromptTests } from './support-prompts.mjs';
import { consentFallbackTests } from './consent-fallback.mjs';
import { Wildws, launchBrowser, makeHome, parseArgs, sleep } from './harness.mjs';

const args = parseArgs(process.argv.slice(2));
if (!args.wildws) {
  console.error('usage: node run.mjs --wildws BIN [--build DIR] [--plugins DIR] [--out DIR] [--only TEXT]');
  process.exit(2);
}
const buildDir = resolve(args.build || join(args.wildws, '..'));
const outDir = resolve(args.out || join(buildDir, 'tests', 'web'));
const shots = join(outDir, 'screenshots');
mkdirSync(shots, { recursive: true });
for (const f of readdirSync(shots)) if (f.startsWith('FAILED-')) rmSync(join(shots, f)); // from an earlier run

// ---- a tiny runner --------------------------------------------------------------

const tests = [];
const test = (name, opts, fn) => tests.push(typeof opts === 'function' ? { name, fn: opts } : { name, ...opts, fn });

class Skip extends Error {}
const skip = (why) => {
  throw new Skip(why);
};

function check(cond, message) {
  if (!cond) throw new Error(message);
}

async function waitFor(fn, { timeout = 5000, interval = 25, message = 'condition' } = {}) {
  const start = Date.now();
  let last;
  for (;;) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    if (Date.now() - start > timeout) throw new Error(`timed out after ${timeout} ms waiting for ${message}${last instanceof Error ? ` (${last.message})` : ''}`);
    await sleep(interval);
  }
}

// ---- the world ----------------------------------------------------------------------

const env = makeHome();
const server = new Wildws({ bin: resolve(args.wildws), pluginsDir: args.plugins ? resolve(args.plugins) : '', home: env.home, agentLog: env.agentLog, webDir: args.web ? resolve(args.web) : '' });
let browser;
let page;
let plugins = [];
const foreign = []; // requests to any host but the server
const consoleErrors = []; // {text, test}
let current = '';

function watch(p) {
  p.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push({ text: m.text(), test: current });
  });
  p.on('pageerror', (e) => consoleErrors.push({ text: `uncaught: ${e.message}`, test: current }));
  p.on('dialog', (d) => {
    consoleErrors.push({ text: `a dialog opened: ${d.type()} ${d.message()}`, test: current });
    d.dismiss().catch(() => {});
  });
  return p;
}

async function newPage() {
  return watch(await browser.context.newPage());
}

const shot = (p, name) => p.screenshot({ path: join(shots, `${name}.png`) });

async function gotoApp(p, hash = '#/') {
  await p.goto(`${server.origin}/${hash}`);
  await p.waitForSelector('body[data-booted="true"]', { timeout: 10000 });
}

async function send(p, text) {
  await p.fill('#prompt', text);
  await p.press('#prompt', 'Enter');
}

async function turnCount(p) {
  return p.locator('#transcript .turn').count();
}

/** Waits until the last turn shows its usage line (the turn finished). */
async function waitTurnDone(p, n, timeout = 15000) {
  await p.waitForFunction((n) => {
    const turns = document.querySelectorAll('#transcript .turn');
    return turns.length >= n && !document.body.classList.contains('turn-running');
  }, n, { timeout });
}

const hasPlugin = (re) => plugins.find((p) => re.test(p.name));
function needPlugin(re, label) {
  const p = hasPlugin(re);
  if (!p) skip(`the ${label} plugin is not in this build`);
  check(p.state === 'loaded', `the ${label} plugin is ${p.state}: ${p.reason}`);
}
const needAgent = () => needPlugin(/^agent$/, 'agent');
const needSupport = () => needPlugin(/^support[-_]?api$/, 'support_api');

const procAlive = (pid) => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) Z/.test(stat);
  } catch {
    return false;
  }
};

const bannerState = (p) => p.getAttribute('#banner', 'data-state');

// ---- tests --------------------------------------------------------------------------

test('the page is served with strict headers and every file loads', async () => {
  const res = await fetch(`${server.origin}/`);
  check(res.status === 200, `GET / answered ${res.status}`);
  const csp = res.headers.get('content-security-policy') || '';
  check(/script-src 'self'/.test(csp) && !/unsafe-inline|unsafe-eval/.test(csp), `CSP: ${csp}`);
  check(/frame-ancestors 'none'/.test(csp), `CSP without frame-ancestors 'none': ${csp}`);
  check(res.headers.get('x-content-type-options') === 'nosniff', 'no nosniff');
  check(res.headers.get('referrer-policy') === 'no-referrer', 'no Referrer-Policy: no-referrer');
  const html = await res.text();
  check(!/<script(?![^>]*\bsrc=)[^>]*>/.test(html), 'index.html has an inline script');
  check(!/\sstyle=/.test(html), 'index.html has an inline style attribute');
  for (const path of ['/app.css', '/js/main.js', '/vendor/marked.esm.js', '/vendor/purify.es.mjs', '/favicon.svg']) {
    const r = await fetch(server.origin + path);
    check(r.status === 200, `${path} answered ${r.status}`);
  }
  const js = await fetch(`${server.origin}/js/main.js`);
  check(/javascript/.test(js.headers.get('content-type')), `main.js is ${js.headers.get('content-type')}`);
});

test('without a session the page says, in one line, to run wildws open', { allowConsole: [/status of 401/] }, async () => {
  const p = await newPage();
  await p.goto(`${server.origin}/`);
  await p.waitForSelector('#login-needed:not([hidden])', { timeout: 5000 });
  const text = (await p.textContent('#login-needed')).trim();
  check(text.includes('wildws open') && !text.includes('\n'), `login line: ${JSON.stringify(text)}`);
  check(!(await p.isVisible('#prompt')), 'the chat shows without a session');
  await shot(p, 'login-needed');
  await p.close();
});

test('login by the one-time URL lands on the chat; the same URL again is refused', { always: true, allowConsole: [/status of 401/] }, async () => {
  const url = await server.loginUrl();
  page = await newPage();
  await page.goto(url);
  await page.waitForSelector('body[data-booted="true"]', { timeout: 10000 });
  check(new URL(page.url()).pathname === '/', `landed on ${page.url()}`);
  check(await page.isVisible('#prompt'), 'no prompt box after login');
  const again = await newPage();
  const res = await again.goto(url);
  check(res.status() === 401, `a reused code answered ${res.status()}`);
  const body = await again.textContent('body');
  check(/already used/.test(body) && /wildws open/.test(body), `reused code page: ${body}`);
  await again.close();
});

test('agent picker: detected agents, undetected ones greyed with the reason and how to install', async () => {
  needAgent();
  const options = await page.$$eval('#agent option', (os) => os.map((o) => ({ value: o.value, text: o.textContent, disabled: o.disabled })));
  const claude = options.find((o) => o.value === 'claude');
  const codex = options.find((o) => o.value === 'codex');
  const command = options.find((o) => o.value === 'command');
  check(claude && !claude.disabled, `claude option: ${JSON.stringify(options)}`);
  check(command && !command.disabled, `command option: ${JSON.stringify(options)}`);
  check(codex && codex.disabled && /not found/.test(codex.text), `codex option: ${JSON.stringify(codex)}`);
  await page.click('#agents-missing summary');
  const missing = await page.textContent('#agents-missing-list');
  check(/codex_path/.test(missing) && /install/i.test(missing), `missing-agent help: ${missing}`);
  await page.click('#agents-missing summary');
});

test('a prompt streams text, a collapsed tool card, collapsed thinking, Markdown and usage', async () => {
  needAgent();
  await page.selectOption('#agent', 'claude');
  await send(page, 'tools 1500');
  // The first text shows while the agent is still running (it waits 1.5 s).
  await page.waitForSelector('#transcript .md:has-text("Let me look at the directory.")', { timeout: 8000 });
  check(await page.isVisible('#stop'), 'no Stop button while the turn runs');
  check((await page.locator('details.tool').count()) === 0, 'the tool card came before the text');
  await waitTurnDone(page, 1);
  check(!(await page.isVisible('#stop')), 'Stop still shows after the turn');
  const tool = page.locator('details.tool').first();
  check(!(await tool.evaluate((d) => d.open)), 'the tool card is open by default');
  check(/Bash/.test(await tool.locator('summary').textContent()), 'tool card without its name');
  check(/done/.test(await tool.locator('.tool-status').textContent()), 'tool card without its result status');
  check(!(await page.locator('details.thinking').first().evaluate((d) => d.open)), 'thinking is open by default');
  await tool.locator('summary').click();
  const card = await tool.textContent();
  check(/ls -la/.test(card) && /README\.md/.test(card), `tool card content: ${card}`);
  check((await page.locator('#transcript .md li').count()) >= 2, 'no Markdown list');
  check((await page.locator('#transcript .md pre code').textContent()).includes('cat README.md'), 'no code block');
  const link = page.locator('#transcript .md a[href="https://example.invalid/docs"]');
  check((await link.count()) === 1 && (await link.getAttribute('rel')).includes('noopener'), 'no safe link');
  check(/\$0\.0123|\$0\.01/.test(await page.textContent('.usage')), `usage: ${await page.textContent('.usage')}`);
  check(/^#\/c\/./.test(new URL(page.url()).hash), `the URL does not name the conversation: ${page.url()}`);
  await page.waitForSelector('#conversations li a[aria-current="page"]');
  await shot(page, 'chat-desktop-light');
});

test("agent output with <img onerror> and <script> shows as text and runs nothing", async () => {
  needAgent();
  await gotoApp(page, '#/');
  await page.selectOption('#agent', 'claude');
  await send(page, 'html');
  await waitTurnDone(page, 1);
  await send(page, 'echo <img src=y onerror="window.__xss=4"> <script>window.__xss=5</script>');
  await waitTurnDone(page, 2);
  const text = await page.textContent('#transcript');
  for (const s of ['<img src=x onerror="window.__xss=1;alert(1)">', '<script>window.__xss=2;alert(2)</script>', '<img src=y onerror="window.__xss=4">', '<script>window.__xss=5</script>', '[bad link](javascript:window.__xss=3)']) {
    check(text.includes(s), `not shown as text: ${s}`);
  }
  check((await page.locator('#transcript img, #transcript script, #transcript iframe').count()) === 0, 'an element was created from agent HTML');
  check((await page.locator('#transcript a[href^="javascript"]').count()) === 0, 'a javascript: link was made');
  check((await page.locator('#transcript .md strong:has-text("bold")').count()) >= 1, 'Markdown beside the HTML was not rendered');
  await sleep(200);
  check((await page.evaluate(() => window.__xss)) === undefined, 'agent HTML ran');
  await shot(page, 'chat-html-as-text');
});

test('an agent error shows in red at the end of its turn', async () => {
  needAgent();
  await gotoApp(page, '#/');
  await page.selectOption('#agent', 'claude');
  await send(page, 'fail');
  await waitTurnDone(page, 1);
  const error = page.locator('#transcript .answer .error');
  check((await error.count()) >= 1 && /failed on purpose/.test(await error.first().textContent()), 'no error line');
  const [r, g, b] = (await error.first().evaluate((e) => getComputedStyle(e).color)).match(/\d+/g).map(Number);
  check(r > 150 && r > g * 1.5 && r > b * 1.5, `the error is not red: rgb(${r}, ${g}, ${b})`);
});

test('mode and working directory reach the agent; a bad directory is refused and the prompt kept', { allowConsole: [/status of 400/] }, async () => {
  needAgent();
  await gotoApp(page, '#/');
  await page.selectOption('#agent', 'claude');
  await page.check('input[name="mode"][value="plan"]');
  await page.fill('#cwd', env.root);
  const before = server.agentRuns().length;
  await send(page, 'mode check');
  await waitTurnDone(page, 1);
  const run = server.agentRuns()[before];
  const at = run.argv.indexOf('--permission-mode');
  check(at > 0 && run.argv[at + 1] === 'plan', `plan mode did not reach the agent: ${run.argv}`);
  check(run.cwd === env.root, `the agent ran in ${run.cwd}, not ${env.root}`);
  await gotoApp(page, '#/');
  await page.fill('#cwd', join(env.root, 'no-such-dir'));
  await send(page, 'where am I');
  await waitTurnDone(page, 1);
  check(/working directory/.test(await page.textContent('#transcript .error')), 'no error for a bad directory');
  check((await page.inputValue('#prompt')) === 'where am I', 'the refused prompt was lost');
  await page.fill('#prompt', '');
  await page.fill('#cwd', '');
  await page.check('input[name="mode"][value="build"]');
});

// The one-shot command agent: Stop cancels it (a live agent is interrupted
// and lives on instead: see daily-tests.mjs).
test('Stop ends a hanging one-shot agent and its process group', async () => {
  needAgent();
  await gotoApp(page, '#/');
  await page.selectOption('#agent', 'command');
  const before = server.agentRuns().length;
  await send(page, 'hang');
  await page.waitForSelector('#transcript .md:has-text("working on it")', { timeout: 8000 });
  const run = await waitFor(() => server.agentRuns().slice(before).find((r) => r.grandchild), { message: 'the fixture to report its grandchild' });
  check(procAlive(run.pid) && procAlive(run.grandchild), 'the agent is not running');
  const t0 = Date.now();
  await page.click('#stop');
  await waitTurnDone(page, 1, 8000);
  const stoppedMs = Date.now() - t0;
  check(/cancel/i.test(await page.textContent('#transcript .turn:last-child')), 'the turn does not say it was cancelled');
  await waitFor(() => !procAlive(run.pid) && !procAlive(run.grandchild), { timeout: 5000, message: 'the agent and its grandchild to die' });
  check(stoppedMs < 5000, `Stop took ${stoppedMs} ms`);
  await shot(page, 'chat-stopped');
  await page.selectOption('#agent', 'claude');
});

test('a running turn keeps streaming while another view is open, and shows live again on return', async () => {
  needAgent();
  await gotoApp(page, '#/');
  await page.selectOption('#agent', 'claude');
  await send(page, 'slow 25 100');
  await page.waitForSelector('#transcript .md:has-text("tick 2")', { timeout: 5000 });
  const id = decodeURIComponent(new URL(page.url()).hash.slice('#/c/'.length));
  await page.click('#new-chat');
  await page.waitForFunction(() => !document.querySelector('#transcript .turn'));
  check(await page.isVisible('#stop'), 'Stop vanished while the turn still runs');
  await sleep(300);
  check((await turnCount(page)) === 0, 'the running turn wrote into the new chat');
  await page.click(`#conversations li[data-id="${id}"] a`);
  await page.waitForSelector('#transcript .md:has-text("tick 24")', { timeout: 8000 });
  await waitTurnDone(page, 1);
  check((await turnCount(page)) === 1, `turns after the return: ${await turnCount(page)}`);
  check((await page.locator('.usage').count()) === 1, 'the usage line is missing or doubled');
  const ticks = (await page.textContent('#transcript .answer')).match(/tick \d+/g) || [];
  check(ticks.length === 25 && new Set(ticks).size === 25, `ticks on screen: ${ticks.length} (${new Set(ticks).size} different)`);
});

let conversation = '';
test('a follow-up continues the same conversation (the agent is resumed)', async () => {
  needAgent();
  await gotoApp(page, '#/');
  await page.selectOption('#agent', 'claude');
  const before = server.agentRuns().length;
  await send(page, 'first question');
  await waitTurnDone(page, 1);
  conversation = decodeURIComponent(new URL(page.url()).hash.slice('#/c/'.length));
  check(conversation, 'no conversation id in the URL');
  const first = server.agentRuns()[before];
  check(first && !first.resume, `the first turn was resumed: ${JSON.stringify(first)}`);
  await send(page, 'second question');
  await waitTurnDone(page, 2);
  const second = server.agentRuns()[before + 1];
  // a one-shot agent is started again with --resume; a live one takes the turn in the same process
  const resumed = second && second.argv.includes('--resume') && second.resume === first.sessionId;
  const live = second && second.pid === first.pid && second.sessionId === first.sessionId;
  check(resumed || live, `the follow-up did not continue ${first.sessionId}: ${JSON.stringify(second)}`);
  check(decodeURIComponent(new URL(page.url()).hash) === `#/c/${conversation}`, 'the follow-up left the conversation');
  check((await turnCount(page)) === 2, `turns on screen: ${await turnCount(page)}`);
});

test('a follow-up with an agent that cannot resume says it starts fresh', async () => {
  needAgent();
  await gotoApp(page, '#/');
  await page.selectOption('#agent', 'command');
  await send(page, 'one');
  await waitTurnDone(page, 1);
  check((await page.textContent('#transcript')).includes('you said: one'), 'no answer from the command agent');
  await send(page, 'two');
  await waitTurnDone(page, 2);
  const notice = await page.locator('#transcript .turn:last-child .notice').allTextContents();
  check(notice.some((n) => /cannot resume|starts fresh/.test(n)), `no notice: ${JSON.stringify(notice)}`);
  await page.selectOption('#agent', 'claude');
});

test('a reload and a server restart keep the conversation', { allowConsole: [/ERR_CONNECTION_REFUSED|net::ERR|status of 50\d/] }, async () => {
  needAgent();
  check(conversation, 'needs the conversation of the follow-up test');
  await gotoApp(page, `#/c/${encodeURIComponent(conversation)}`);
  await page.waitForSelector('#transcript .prompt-text:has-text("second question")', { timeout: 5000 });
  await page.reload();
  await page.waitForSelector('body[data-booted="true"]');
  await page.waitForSelector('#transcript .prompt-text:has-text("second question")', { timeout: 5000 });
  check((await turnCount(page)) === 2, 'turns lost on reload');
  await server.stop();
  await server.start();
  await page.reload();
  await page.waitForSelector('body[data-booted="true"]', { timeout: 10000 });
  await page.waitForSelector('#transcript .prompt-text:has-text("first question")', { timeout: 5000 });
  check((await turnCount(page)) === 2, 'turns lost on restart');
  await gotoApp(page, '#/');
  await page.click(`#conversations li[data-id="${conversation}"] a`);
  await page.waitForSelector('#transcript .prompt-text:has-text("second question")', { timeout: 5000 });
  // and it still continues after the restart
  const before = server.agentRuns().length;
  await send(page, 'third question');
  await waitTurnDone(page, 3);
  check(server.agentRuns()[before]?.argv.includes('--resume'), 'no resume after the restart');
});

// ---- support ------------------------------------------------------------------------------

test('a grant from the CLI turns the banner ON with a countdown within 1 s', async () => {
  needSupport();
  await server.cli(['support', 'revoke']);
  await gotoApp(page, '#/');
  await waitFor(async () => (await bannerState(page)) === 'off', { message: 'banner OFF' });
  check(/Support access: off/.test(await page.textContent('#banner-status')), 'OFF banner text');
  await shot(page, 'banner-off');
  const r = await server.cli(['support', 'allow', '--tier', '1', '--minutes', '5', '--reason', 'web e2e']);
  check(r.code === 0, `support allow failed: ${r.stderr}`);
  const t0 = Date.now();
  await page.waitForFunction(() => document.querySelector('#banner').dataset.state === 'on', null, { timeout: 3000 });
  const ms = Date.now() - t0;
  check(ms < 1000, `the banner turned ON ${ms} ms after the CLI grant`);
  const text = await page.textContent('#banner-status');
  check(/tier 1/.test(text) && /diagnostics/.test(text), `ON banner: ${text}`);
  const c1 = await page.textContent('#banner-countdown');
  check(/^(4:5\d|5:00) left$/.test(c1), `countdown: ${c1}`);
  await waitFor(async () => (await page.textContent('#banner-countdown')) !== c1, { timeout: 2000, message: 'the countdown to tick' });
  await shot(page, 'banner-on');
});

test('Revoke on the page, and a revoke from the CLI, turn the banner OFF within 1 s', async () => {
  needSupport();
  check((await bannerState(page)) === 'on', 'needs the grant of the previous test');
  let t0 = Date.now();
  await page.click('#banner-revoke');
  await page.waitForFunction(() => document.querySelector('#banner').dataset.state === 'off', null, { timeout: 3000 });
  check(Date.now() - t0 < 1000, `page revoke took ${Date.now() - t0} ms`);
  check((await server.api('GET', '/api/support/status')).json.enabled === false, 'the grant is still live after Revoke');
  await server.cli(['support', 'allow', '--tier', '2', '--minutes', '5']);
  await page.waitForFunction(() => document.querySelector('#banner').dataset.state === 'on', null, { timeout: 3000 });
  const r = await server.cli(['support', 'revoke']);
  t0 = Date.now();
  check(r.code === 0, `support revoke failed: ${r.stderr}`);
  await page.waitForFunction(() => document.querySelector('#banner').dataset.state === 'off', null, { timeout: 3000 });
  check(Date.now() - t0 < 1000, `CLI revoke reached the page after ${Date.now() - t0} ms`);
});

test('a grant that runs out turns the banner OFF as its countdown ends', async () => {
  needSupport();
  // a 3 s grant, written the way the consent plugin writes it (atomic, 0600)
  const now = Date.now();
  const expiresAt = now + 3000;
  const file = join(env.home, 'support-consent.json');
  writeFileSync(`${file}.tmp`, JSON.stringify({ version: 1, tier: 1, grantedAt: now, expiresAt, reason: 'web e2e expiry' }) + '\n', { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
  await page.waitForFunction(() => document.querySelector('#banner').dataset.state === 'on', null, { timeout: 2000 });
  check(/^0:0[1-3] left$/.test(await page.textContent('#banner-countdown')), `countdown: ${await page.textContent('#banner-countdown')}`);
  await page.waitForFunction(() => document.querySelector('#banner').dataset.state === 'off', null, { timeout: 5000 });
  const late = Date.now() - expiresAt;
  check(late < 1000, `the banner went OFF ${late} ms after the grant expired`);
  check(/expired/.test(await page.textContent('#banner-status')), 'the OFF banner does not say the grant expired');
  await shot(page, 'banner-expired');
});

test('allowing tier 3 from the page needs the confirm step, which says what support may do', async () => {
  needSupport();
  await page.click('#banner-allow');
  await page.selectOption('#allow-tier', '3');
  await page.fill('#allow-minutes', '10');
  await page.fill('#allow-reason', 'web e2e tier 3');
  await page.click('#allow-submit');
  await page.waitForSelector('#allow-step-confirm:not([hidden])');
  const text = await page.textContent('#allow-confirm-text');
  check(/operate your agent/.test(text) && /10 minutes/.test(text), `confirm text: ${text}`);
  check((await server.api('GET', '/api/support/status')).json.enabled === false, 'a grant was made before the confirm step');
  await shot(page, 'banner-confirm-tier3');
  await page.click('#allow-confirm');
  await page.waitForFunction(() => document.querySelector('#banner').dataset.state === 'on', null, { timeout: 3000 });
  const status = (await server.api('GET', '/api/support/status')).json;
  check(status.enabled && status.tier === 3, `status after confirm: ${JSON.stringify(status)}`);
  check(/tier 3/.test(await page.textContent('#banner-status')), 'banner does not say tier 3');
});

const supportTask = (body) => server.supportTask(body);

test('a support agent-task shows in the banner live, and Stop ends it', async () => {
  needSupport();
  check((await bannerState(page)) === 'on', 'needs the tier 3 grant of the previous test');
  const task = supportTask({ prompt: 'slow 60 150', taskId: 'web-e2e' });
  await page.waitForFunction(() => document.querySelector('#banner').dataset.state === 'operating', null, { timeout: 5000 });
  check(/Support is operating your agent/.test(await page.textContent('#banner-status')), 'operating banner text');
  await page.waitForSelector('#operate-lines li:has-text("tick 2")', { timeout: 5000 });
  const n1 = await page.locator('#operate-lines li').count();
  // the countdown keeps running down while lines arrive (never jumps back)
  const seconds = async () => {
    const [m, s] = (await page.textContent('#banner-countdown')).match(/\d+/g).map(Number);
    return m * 60 + s;
  };
  const samples = [];
  for (let i = 0; i < 8; i++) {
    samples.push(await seconds());
    await sleep(150);
  }
  check(samples.every((v, i) => i === 0 || v <= samples[i - 1]), `the countdown went back up: ${samples}`);
  await page.waitForSelector('#operate-lines li:has-text("tick 6")', { timeout: 5000 });
  check((await page.locator('#operate-lines li').count()) >= n1, 'lines did not grow');
  await shot(page, 'banner-operating');
  const t0 = Date.now();
  await page.click('#banner-stop');
  const done = await task;
  check(done.status === 200, `agent-task answered ${done.status}: ${done.text.slice(0, 200)}`);
  check(done.endedAt - t0 < 2000, `the task stream ended ${done.endedAt - t0} ms after Stop`);
  check(!done.text.includes('tick 59'), 'the task ran to its end');
  await page.waitForFunction(() => document.querySelector('#banner').dataset.state !== 'operating', null, { timeout: 3000 });
  check(await page.isVisible('#banner-operate'), 'the transcript did not linger');
  await shot(page, 'banner-operate-lingering');
  await page.waitForFunction(() => document.querySelector('#banner-operate').hidden && document.querySelector('#banner').dataset.state === 'on', null, { timeout: 20000 });
});

test('the audit feed lists newest first; a recorded support session replays read-only', async () => {
  needSupport();
  await page.click('a[data-view="support"]');
  await page.waitForSelector('#audit tbody tr', { timeout: 5000 });
  const rows = await page.$$eval('#audit tbody tr', (trs) => trs.map((tr) => ({ ts: Date.parse(tr.querySelector('time').getAttribute('datetime')), cells: [...tr.cells].map((c) => c.textContent) })));
  const api = (await server.api('GET', '/api/support/audit?limit=1')).json.audit[0];
  check(rows[0].cells[2] === api.action, `first row ${rows[0].cells[2]}, newest audit entry ${api.action}`);
  for (let i = 1; i < rows.length; i++) check(rows[i - 1].ts >= rows[i].ts, 'the feed is not newest first');
  check(rows.some((r) => r.cells[1] === '✓'), 'no ✓ row');
  check(rows.some((r) => /owner/.test(r.cells[4])), 'no owner actor');
  await shot(page, 'support-audit');
  await page.waitForSelector('#support-sessions li a', { timeout: 5000 });
  await page.click('#support-sessions li a:has-text("web-e2e")');
  await page.waitForSelector('#replay-note:not([hidden])');
  await page.waitForSelector('#transcript .md:has-text("tick 0")', { timeout: 5000 });
  check(!(await page.isVisible('#composer')), 'the replay has a prompt box');
  check(/read-only/.test(await page.textContent('#replay-note')), 'the replay does not say read-only');
  await shot(page, 'support-replay');
});

// ---- the rest ---------------------------------------------------------------------------------

test('the Plugins view lists every plugin with state, version and file', async () => {
  await gotoApp(page, '#/plugins');
  await page.waitForSelector('#plugins tbody tr');
  const rows = await page.$$eval('#plugins tbody tr', (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
  for (const p of plugins) {
    const row = rows.find((r) => r[0].startsWith(p.name));
    check(row && row[1] === p.state && (!p.file || row[3] === `${p.file.split('/').pop()}${p.file.includes('/') ? p.file : ''}`), `plugin ${p.name}: ${JSON.stringify(row)}`);
  }
  await shot(page, 'plugins');
});

test('the prompt box is reachable by keyboard with visible focus; Enter sends, Shift+Enter adds a line', async () => {
  needAgent();
  await gotoApp(page, '#/');
  await page.selectOption('#agent', 'claude');
  await page.evaluate(() => document.activeElement.blur());
  let reached = false;
  for (let i = 0; i < 100 && !reached; i++) {
    await page.keyboard.press('Tab');
    const f = await page.evaluate(() => {
      const el = document.activeElement;
      const cs = getComputedStyle(el);
      return { id: el.id, tag: el.tagName, outline: cs.outlineStyle, width: parseFloat(cs.outlineWidth) };
    });
    if (f.tag === 'BODY') continue; // focus still entering the page
    check(f.outline !== 'none' && f.width >= 2, `no visible focus on ${f.tag}#${f.id}`);
    reached = f.id === 'prompt';
  }
  check(reached, 'Tab never reached the prompt box');
  await page.keyboard.type('keyboard line one');
  await page.keyboard.press('Shift+Enter');
  await page.keyboard.type('line two');
  check((await page.inputValue('#prompt')) === 'keyboard line one\nline two', 'Shift+Enter did not add a line');
  await page.keyboard.press('Enter');
  await waitTurnDone(page, 1);
  check((await page.textContent('#transcript .prompt-text')) === 'keyboard line one\nline two', 'the prompt was changed');
  // the skip link goes to the prompt box and keeps the conversation on screen
  const hash = new URL(page.url()).hash;
  await page.evaluate(() => document.activeElement.blur());
  for (let i = 0; i < 3 && !(await page.evaluate(() => document.activeElement.classList.contains('skip'))); i++) await page.keyboard.press('Tab');
  check(await page.isVisible('.skip'), 'the skip link does not show when focused');
  await page.keyboard.press('Enter');
  check((await page.evaluate(() => document.activeElement.id)) === 'prompt', 'the skip link did not focus the prompt box');
  check(new URL(page.url()).hash === hash && (await turnCount(page)) === 1, 'the skip link left the conversation');
  const labels = await page.$$eval('select, input, textarea', (els) => els.filter((e) => !e.closest('[hidden]') && !(e.labels && e.labels.length) && !e.getAttribute('aria-label')).map((e) => e.id || e.name));
  check(labels.length === 0, `controls without a label: ${labels}`);
});

test('usable at 360 px wide, in light and dark', async () => {
  const small = await newPage();
  await small.setViewportSize({ width: 360, height: 740 });
  for (const scheme of ['light', 'dark']) {
    await small.emulateMedia({ colorScheme: scheme });
    for (const [hash, name] of [[conversation ? `#/c/${encodeURIComponent(conversation)}` : '#/', 'chat'], ['#/support', 'support'], ['#/plugins', 'plugins']]) {
      await gotoApp(small, hash);
      if (name === 'chat' && conversation) await small.waitForSelector('#transcript .turn');
      const width = await small.evaluate(() => document.documentElement.scrollWidth);
      check(width <= 360, `${name} at 360 px (${scheme}) is ${width} px wide`);
      await shot(small, `${name}-360-${scheme}`);
    }
  }
  await small.emulateMedia({ colorScheme: 'dark' });
  await gotoApp(small, '#/');
  await small.click('#toggle-sidebar');
  check(await small.isVisible('#new-chat'), 'the conversation list does not open at 360 px');
  await shot(small, 'sidebar-360-dark');
  await small.close();
  await page.emulateMedia({ colorScheme: 'dark' });
  await gotoApp(page, conversation ? `#/c/${encodeURIComponent(conversation)}` : '#/');
  await shot(page, 'chat-desktop-dark');
  await page.emulateMedia({ colorScheme: 'light' });
});

dailyTests({
  test, check, skip, waitFor, send, gotoApp, shot, turnCount, waitTurnDone, needAgent, needSupport, newPage, server, env,
  get page() {
    return page;
  },
  get browser() {
    return browser;
  },
  get plugins() {
    return plugins;
  },
});

supportPromptTests({
  test, check, skip, waitFor, gotoApp, shot, needAgent, needSupport, newPage, supportTask, server, env,
  get page() {
    return page;
  },
});

consentFallbackTests({ test, check, skip, waitFor, shot, needSupport, server });

test('no request went to any host but the server', async () => {
  check(foreign.length === 0, `requests left the machine: ${foreign.join(', ')}`);
});

// ---- run ----------------------------------------------------------------------------------------

let passed = 0;
let failed = 0;
let skipped = 0;
const started = Date.now();
try {
  await server.start();
  plugins = (await server.api('GET', '/api/plugins')).json.plugins;
  console.log(`wildws serve on ${server.origin} (plugins: ${plugins.map((p) => `${p.name} ${p.state}`).join(', ')})`);
  browser = await launchBrowser();
  const host = new URL(server.origin).host;
  await browser.context.route((url) => url.host !== host, (route) => {
    foreign.push(route.request().url());
    route.abort('blockedbyclient');
  });
  browser.context.on('request', (r) => {
    const u = new URL(r.url());
    if (u.host !== host && !['data:', 'blob:', 'about:'].includes(u.protocol) && !foreign.includes(r.url())) foreign.push(r.url());
  });
  for (const t of tests) {
    if (args.only && !t.always && !String(args.only).split('|').some((o) => t.name.includes(o))) continue;
    current = t.name;
    const t0 = Date.now();
    const errorsBefore = consoleErrors.length;
    try {
      await Promise.race([t.fn(), sleep(t.timeout || 60000).then(() => Promise.reject(new Error('test timed out')))]);
      const errors = consoleErrors.slice(errorsBefore).filter((e) => !(t.allowConsole || []).some((re) => re.test(e.text)));
      check(errors.length === 0, `console errors: ${errors.map((e) => e.text).join(' | ')}`);
      passed++;
      console.log(`ok   ${t.name} (${Date.now() - t0} ms)`);
    } catch (e) {
      if (e instanceof Skip) {
        skipped++;
        console.log(`skip ${t.name}: ${e.message}`);
        continue;
      }
      failed++;
      console.log(`FAIL ${t.name} (${Date.now() - t0} ms)\n     ${String(e.stack || e).split('\n').slice(0, 4).join('\n     ')}`);
      if (page) await shot(page, `FAILED-${t.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}`).catch(() => {});
    }
  }
} catch (e) {
  failed++;
  console.log(`FAIL setup: ${e.stack || e}`);
} finally {
  if (browser) await browser.close();
  await server.stop().catch(() => {});
  if (failed && server.output) console.log(`--- wildws serve output ---\n${server.output.slice(-4000)}`);
  if (!failed) env.cleanup();
  else console.log(`kept the temp home for a look: ${env.root}`);
}
console.log(`screenshots: ${shots} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed ? 1 : 0);
