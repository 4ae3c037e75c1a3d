// Issue 16: with the support_api plugin disabled the owner must still see a
// live grant and be able to revoke it. The page falls back to the consent
// plugin's own GET /api/consent/status and POST /api/consent/revoke; the
// banner says when operator access is off (nobody can connect yet), as the
// CLI does. A server of its own, with `[plugins] disable = support_api`.
// Registered into run.mjs's runner, which passes its helpers.
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { Wildws, launchBrowser, makeHome } from './harness.mjs';

const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export function consentFallbackTests(w) {
  const { test, check, waitFor, shot, needSupport } = w;

  test('with support_api disabled the banner shows a live tier-3 grant from consent, Revoke revokes it', { timeout: 90000 }, async () => {
    needSupport(); // built, so disabling it names a real plugin (a name that matches none stops serve)
    const env = makeHome();
    appendFileSync(join(env.home, 'wildws.ini'), '\n[plugins]\ndisable = support_api\n');
    const other = new Wildws({ bin: w.server.bin, pluginsDir: w.server.pluginsDir, home: env.home, agentLog: env.agentLog, webDir: w.server.webDir });
    const browser = await launchBrowser();
    try {
      await other.start();
      const plugins = (await other.api('GET', '/api/plugins')).json.plugins;
      const sa = plugins.find((p) => /^support[-_]?api$/.test(p.name));
      check(!sa || sa.state !== 'loaded', `support_api is loaded although disabled: ${JSON.stringify(sa)}`);
      check((await other.api('GET', '/api/support/status')).status === 404, 'the support_api routes still answer');

      const allow = await other.cli(['support', 'allow', '--tier', '3', '--minutes', '30', '--reason', 'web e2e fallback', '--yes']);
      check(allow.code === 0, `support allow failed: ${allow.stderr}`);

      // The fallback route: the grant, its times in ISO 8601 UTC with ms.
      const status = (await other.api('GET', '/api/consent/status')).json;
      check(status.enabled === true && status.tier === 3, `consent status: ${JSON.stringify(status)}`);
      check(ISO_MS.test(status.grantedAt) && ISO_MS.test(status.expiresAt), `times are not ISO 8601 with ms: ${status.grantedAt} ${status.expiresAt}`);
      check(Date.parse(status.expiresAt) - Date.parse(status.grantedAt) === 30 * 60000, `expiresAt - grantedAt: ${status.grantedAt} .. ${status.expiresAt}`);
      check(status.operatorEnabled === false, 'operator access is on before it was enabled');

      const p = await browser.context.newPage();
      await p.goto(await other.loginUrl());
      await p.waitForSelector('body[data-booted="true"]', { timeout: 10000 });
      await p.waitForFunction(() => document.querySelector('#banner').dataset.state === 'on', null, { timeout: 5000 });
      const text = await p.textContent('#banner-status');
      check(/Support access: ON · tier 3/.test(text), `banner: ${text}`);
      check(/operator access is off, so nobody can connect yet/.test(text), `the banner does not say operator access is off: ${text}`);
      check(!/unavailable/.test(text), `the banner says unavailable: ${text}`);
      const countdown = await p.evaluate(() => document.getElementById('banner-countdown').firstChild.textContent);
      check(/^(29|30):[0-5]\d$/.test(countdown), `countdown: ${countdown}`);
      check(await p.isVisible('#banner-revoke'), 'no Revoke button for the live grant');
      check(!(await p.isVisible('#banner-allow')), 'an Allow button while a grant is on');
      await shot(p, 'consent-fallback-on');

      // Operator access on: the banner drops the note (the page looks again every 5 s).
      check((await other.cli(['operator', 'enable'])).code === 0, 'operator enable failed');
      await waitFor(async () => !/operator access is off/.test(await p.textContent('#banner-status')), { timeout: 8000, message: 'the operator note to go' });
      check(/tier 3/.test(await p.textContent('#banner-status')), 'the grant went from the banner');

      // Revoke, through consent's own route.
      const beforeRevoke = Date.now();
      const revoked = p.waitForResponse((r) => r.url().endsWith('/api/consent/revoke') && r.request().method() === 'POST');
      await p.click('#banner-revoke');
      const res = await revoked;
      check(res.status() === 200, `POST /api/consent/revoke answered ${res.status()}`);
      check((await res.json()).revoked === true, 'the revoke answer says nothing was revoked');
      await p.waitForFunction(() => document.querySelector('#banner').dataset.state === 'off', null, { timeout: 5000 });
      const off = await p.textContent('#banner-status');
      check(/Support access: off/.test(off) && /the support plugin is disabled \(allow from the command line\)/.test(off), `banner after revoke: ${off}`);
      check(!(await p.isVisible('#banner-revoke')), 'Revoke still shows after the revoke');
      const cli = JSON.parse((await other.cli(['support', 'status', '--json'])).stdout);
      check(cli.enabled === false && cli.grantedAt === null && cli.expiresAt === null, `support status --json after revoke: ${JSON.stringify(cli)}`);
      const audit = JSON.parse((await other.cli(['support', 'audit', '--json', '--limit', '1'])).stdout).audit[0];
      check(audit.action === 'revoke' && audit.actor === 'owner' && /from the page/.test(audit.detail), `newest audit entry: ${JSON.stringify(audit)}`);
      check(ISO_MS.test(audit.ts) && Date.parse(audit.ts) >= beforeRevoke && Date.parse(audit.ts) <= Date.now(), `audit ts: ${audit.ts}`);
      await shot(p, 'consent-fallback-revoked');
    } finally {
      await browser.close();
      await other.stop();
      env.cleanup();
    }
  });
}
