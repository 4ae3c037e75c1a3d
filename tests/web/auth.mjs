#!/usr/bin/env node
// The owner's login, in a real Chromium: no credential of the page ever
// reaches another server on 127.0.0.1 (browsers do not scope cookies by
// port, so the page keeps a bearer token in origin-scoped storage), the
// event feed works without a cookie, logout ends the session, and the
// cookie earlier versions set opens nothing.
//
//   node auth.mjs --wildws BUILD/wildws [--plugins DIR]
import { createServer } from 'node:http';
import { createHmac } from 'node:crypto';
import { resolve } from 'node:path';
import { Wildws, freePort, launchBrowser, makeHome, parseArgs } from './harness.mjs';

const args = parseArgs(process.argv.slice(2));
const env = makeHome();
const server = new Wildws({ bin: resolve(args.wildws), pluginsDir: args.plugins ? resolve(args.plugins) : '', home: env.home, agentLog: env.agentLog });
let failures = 0;
function check(cond, message) {
  if (cond) console.log(`ok   ${message}`);
  else {
    failures++;
    console.log(`FAIL ${message}`);
  }
}

// Another local server, on another port: what does the browser send it?
const seen = [];
const other = createServer((req, res) => {
  seen.push({ url: req.url, headers: req.headers });
  res.writeHead(200, { 'Content-Type': 'text/html', 'Access-Control-Allow-Origin': '*' });
  res.end('<!doctype html><title>other</title><p>another server</p>');
});
const otherPort = await freePort();
await new Promise((r) => other.listen(otherPort, '127.0.0.1', r));

let browser;
try {
  await server.start();
  browser = await launchBrowser();
  const page = await browser.context.newPage();
  await page.goto(await server.loginUrl());
  await page.waitForSelector('body[data-booted="true"]', { timeout: 15000 });
  check(new URL(page.url()).pathname === '/', `the login link lands on the app (${page.url()})`);
  const cookies = await browser.context.cookies();
  check(cookies.length === 0, `the browser holds no cookie after login (${JSON.stringify(cookies)})`);
  const token = await page.evaluate(() => JSON.parse(localStorage.getItem('wildws.session') || '{}').token || '');
  check(token.length >= 32, 'the session token is in localStorage');

  // The event feed connects with the token: a published event shows up.
  await page.waitForFunction(() => document.querySelector('#banner')?.dataset.state !== 'loading', null, { timeout: 10000 });
  check(seen.length === 0, 'nothing reached the other server yet');

  // A real visit and a credentialed fetch to the other port.
  const visit = await browser.context.newPage();
  await visit.goto(`http://127.0.0.1:${otherPort}/visit`);
  await visit.evaluate((p) => fetch(`http://127.0.0.1:${p}/fetch`, { credentials: 'include' }).then((r) => r.text()), otherPort);
  await page.evaluate((p) => fetch(`http://127.0.0.1:${p}/from-app`, { credentials: 'include', mode: 'no-cors' }).catch(() => {}), otherPort);
  await visit.close();
  const leaked = seen.filter((s) => s.headers.cookie || s.headers.authorization);
  check(seen.length >= 2, `the other server was visited (${seen.map((s) => s.url).join(', ')})`);
  check(leaked.length === 0, `it received no cookie and no Authorization header (${JSON.stringify(leaked.map((s) => s.headers))})`);
  check(!(await browser.context.storageState()).origins.some((o) => o.origin.includes(`:${otherPort}`) && o.localStorage.length),
        'the other origin sees no storage of ours');

  // Logout: the button ends the session on the server too.
  await page.click('#logout');
  await page.waitForSelector('#login-needed:not([hidden])', { timeout: 5000 });
  const after = await fetch(`${server.origin}/api/plugins`, { headers: { Authorization: `Bearer ${token}` } });
  check(after.status === 401, `the logged-out token is refused (${after.status})`);
  check(!(await page.evaluate(() => localStorage.getItem('wildws.session'))), 'the token is gone from localStorage');

  // The cookie earlier versions set (v1.<expiry>.<HMAC of shareSecret>) opens nothing.
  const payload = `v1.${Date.now() + 3600_000}`;
  const mac = createHmac('sha256', server.secrets().shareSecret).update(payload).digest('hex');
  await browser.context.addCookies([{ name: 'wildws_session', value: `${payload}.${mac}`, domain: '127.0.0.1', path: '/' }]);
  const stale = await browser.context.newPage();
  await stale.goto(`${server.origin}/`);
  await stale.waitForSelector('#login-needed:not([hidden])', { timeout: 5000 });
  check(!(await stale.isVisible('#prompt')), 'an old session cookie does not log the page in');
  const direct = await fetch(`${server.origin}/api/plugins`, { headers: { Cookie: `wildws_session=${payload}.${mac}` } });
  check(direct.status === 401, `an old session cookie is refused by the API (${direct.status})`);
} catch (e) {
  failures++;
  console.log(`FAIL ${e.stack || e}`);
} finally {
  if (browser) await browser.close();
  await server.stop();
  other.close();
  env.cleanup();
}
console.log(failures ? `${failures} failed` : 'all passed');
process.exit(failures ? 1 : 0);
