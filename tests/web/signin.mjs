#!/usr/bin/env node
// The page's sign-in (issue 18), in Debian's chromium against a real
// `wildws serve` whose claude is tests/signin's fake (signed out; its
// `auth login` prints an OSC 8 link and asks for a code):
// "Claude Code — not signed in · Sign in" shows before anything is typed;
// Sign in shows the link and the code box; Cancel stops the sign-in; a
// second run with the code turns the status green.
//
//   node signin.mjs --wildws BUILD/wildws --plugins BUILD/plugins --claude FAKE_SIGNIN_CLAUDE
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Wildws, launchBrowser, parseArgs, sleep } from './harness.mjs';

const args = parseArgs(process.argv.slice(2));
if (!args.wildws || !args.claude) {
  console.error('usage: node signin.mjs --wildws BIN --claude FAKE_SIGNIN_CLAUDE [--plugins DIR]');
  process.exit(2);
}
const root = mkdtempSync(join(tmpdir(), 'wildws-web-signin-'));
const home = join(root, 'home');
const user = join(root, 'user');
mkdirSync(home, { mode: 0o700 });
mkdirSync(user, { mode: 0o700 });
writeFileSync(
  join(home, 'wildws.ini'),
  ['[plugin.agent]', `claude_path = ${resolve(args.claude)}`, `codex_path = ${join(root, 'none', 'codex')}`, 'kill_grace_ms = 300', ''].join('\n'),
);
process.env.HOME = user; // the fake keeps its signed-in state under $HOME
process.env.FAKE_SIGNIN_PIDS = join(root, 'pids');
const server = new Wildws({ bin: resolve(args.wildws), pluginsDir: args.plugins ? resolve(args.plugins) : '', home, agentLog: join(root, 'log') });

function check(cond, message) {
  if (!cond) throw new Error(message);
}
const alive = (pid) => {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

let browser;
let failed = 0;
try {
  await server.start();
  browser = await launchBrowser();
  const host = new URL(server.origin).host;
  const popups = [];
  await browser.context.route((url) => url.host !== host, (route) => {
    popups.push(route.request().url());
    return route.abort();
  });
  const page = await browser.context.newPage();
  await page.goto(await server.loginUrl());
  await page.waitForSelector('body[data-booted="true"]', { timeout: 15000 });

  // Before anything is typed: not signed in, with a Sign in button.
  await page.waitForSelector('#agent-signin .signed-out', { timeout: 20000 });
  const line = (await page.textContent('#agent-signin')).replace(/\s+/g, ' ').trim();
  check(line === 'Claude Code — not signed in · Sign in', `status line: ${JSON.stringify(line)}`);

  // Sign in: the link, then the code box; Cancel stops it.
  await page.click('#signin-start');
  await page.waitForSelector('#signin-url', { timeout: 15000 });
  const href = await page.getAttribute('#signin-url', 'href');
  check(href === 'https://claude.com/cai/oauth/authorize?code=true&client_id=fixture&state=abc123', `link: ${href}`);
  check((await page.getAttribute('#signin-url', 'target')) === '_blank', 'the link does not open a new tab');
  await page.waitForSelector('#signin-code-form:not([hidden])', { timeout: 15000 });
  check((await page.textContent('#signin-code-form label')).trim() === 'Paste code here if prompted', 'code box label');
  const pids = readFileSync(process.env.FAKE_SIGNIN_PIDS, 'utf8').trim().split('\n').map(Number);
  await page.click('#signin-cancel');
  await page.waitForSelector('#signin-panel', { state: 'hidden', timeout: 15000 });
  for (let i = 0; i < 100 && pids.some(alive); i++) await sleep(50);
  check(!pids.some(alive), 'the sign-in still runs after Cancel');
  check(await page.isVisible('#agent-signin .signed-out'), 'not signed out after Cancel');
  await page.screenshot({ path: join(root, 'signin-cancelled.png') });

  // Again, with the code: the status turns green.
  await page.click('#signin-start');
  await page.waitForSelector('#signin-code-form:not([hidden])', { timeout: 15000 });
  await page.fill('#signin-code', 'GOOD-CODE');
  await page.click('#signin-code-form button[type="submit"]');
  await page.waitForSelector('#agent-signin .signed-in', { timeout: 20000 });
  const green = (await page.textContent('#agent-signin')).trim();
  check(green === 'Claude Code — signed in', `after the code: ${JSON.stringify(green)}`);
  const color = await page.$eval('#agent-signin .signed-in', (el) => getComputedStyle(el).color);
  check(color === 'rgb(28, 124, 60)', `the signed-in colour is ${color}, not var(--ok)`);
  check(popups.some((u) => u.startsWith('https://claude.com/')), `the link was not opened in a new tab: ${popups}`);
  console.log('ok - the page signs Claude Code in: status, link, code box, cancel, green');
} catch (e) {
  failed = 1;
  console.log(`not ok - ${e.message}`);
  console.log(server.output || '');
} finally {
  if (browser) await browser.close();
  await server.stop();
  rmSync(root, { recursive: true, force: true });
}
console.log(`${1 - failed} passed, ${failed} failed, 0 skipped`);
process.exit(failed);
