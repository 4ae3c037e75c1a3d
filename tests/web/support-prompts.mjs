// End-to-end tests of issue 13's support part on the page: a tier-3 support
// agent-task (POST /api/support/agent-task, as the daemon sends it) runs the
// fixture agent in Claude's live protocol, which asks (can_use_tool); the
// prompt shows in the owner's support banner and is answered there. Registered
// into run.mjs's runner, which passes its helpers and the shared world.
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseNdjson as chunksOf } from '../../web/js/api.js'; // the page's own NDJSON reader
import { Wildws, launchBrowser, makeHome, sleep } from './harness.mjs';

export function supportPromptTests(w) {
  const { test, check, skip, waitFor, gotoApp, shot, needAgent, needSupport, newPage } = w;
  const card = (p, kind = '') => p.locator(`#banner-asks .ask${kind ? `.${kind}` : ''}`);

  async function needPrompts() {
    needSupport();
    needAgent();
    const agents = (await w.server.api('GET', '/api/agents')).json.agents;
    if (!agents.find((a) => a.id === 'claude')?.capabilities?.permissions) skip('the interactive agent (permission prompts) is not on this branch yet');
  }

  async function grant() {
    const r = await w.server.cli(['support', 'allow', '--tier', '3', '--minutes', '10', '--reason', 'web e2e support prompts', '--yes']);
    check(r.code === 0, `support allow failed: ${r.stderr}`);
  }

  /** Starts a support task; resolves with its whole stream. One task runs at a time: a 409 busy (the last one still letting go) is tried again. */
  async function runTask(body, server = w.server) {
    for (let i = 0; ; i++) {
      const r = await server.supportTask(body);
      if (r.status === 409 && /busy/.test(r.text) && i < 50) {
        await sleep(100);
        continue;
      }
      check(r.status === 200, `agent-task ${body.taskId} answered ${r.status}: ${r.text.slice(0, 300)}`);
      return { ...r, chunks: chunksOf(r.text) };
    }
  }

  /** The permission chunk and its permission-resolved in the engineer's stream, in that order. */
  function resolution(done) {
    const cs = done.chunks;
    const asked = cs.findIndex((c) => c.type === 'permission' || c.type === 'question');
    check(asked >= 0, `no permission chunk in the stream: ${done.text.slice(0, 400)}`);
    const at = cs.findIndex((c, i) => i > asked && c.type === 'permission-resolved' && c.requestId === cs[asked].requestId);
    check(at > asked, `no permission-resolved after the permission: ${done.text.slice(0, 600)}`);
    return { asked: cs[asked], resolved: cs[at], after: cs.slice(at + 1) };
  }

  const bannerOn = (p) => p.waitForFunction(() => ['on', 'operating'].includes(document.querySelector('#banner').dataset.state), null, { timeout: 5000 });
  const noteText = (p) => p.textContent('#banner-asks-note');

  test("a support task's prompt shows in the banner with the task named; Allow once (by keyboard) reaches the engineer's stream", async () => {
    await needPrompts();
    await grant();
    const p = w.page;
    await gotoApp(p, '#/');
    await bannerOn(p);
    const task = runTask({ prompt: 'ask Bash', taskId: 'web-ask-allow' });
    const c = card(p, 'permission');
    await c.waitFor({ timeout: 10000 });
    const text = await c.textContent();
    check(/Allow Bash\?/.test(text) && /npm test/.test(text), `card: ${text}`);
    check(/Support task web-ask-allow/.test(text), `the card does not name the task: ${text}`);
    check(/denied in [0-9]:[0-9]{2} unless you answer/.test(text), `no time limit on the card: ${text}`);
    check((await c.getAttribute('aria-label')) === "Support's agent asks to use Bash", `aria-label: ${await c.getAttribute('aria-label')}`);
    check((await c.locator('button.ask-allow-session').textContent()) === 'Allow for this task', 'no "Allow for this task" button');
    const status = (await w.server.api('GET', '/api/support/status')).json;
    const pending = status.operate?.pending || [];
    check(pending.length === 1 && pending[0].requestId === (await c.getAttribute('data-request-id')), `status pending: ${JSON.stringify(pending)}`);
    check((await p.getAttribute('#banner', 'data-asking')) === 'true' && /waits for your answer/.test(await p.textContent('#banner-status')), 'the banner line does not say it waits for the owner');
    await shot(p, 'banner-ask-desktop-light');
    // the keyboard: from the banner's last link, Tab reaches Allow once (with a visible focus ring), Enter answers
    await p.focus('#banner-audit');
    await p.keyboard.press('Tab');
    const f = await p.evaluate(() => {
      const el = document.activeElement;
      const cs = getComputedStyle(el);
      return { cls: el.className, text: el.textContent, outline: cs.outlineStyle, width: parseFloat(cs.outlineWidth) };
    });
    check(/ask-allow\b/.test(f.cls) && f.outline !== 'none' && f.width >= 2, `Tab from the banner went to ${JSON.stringify(f)}`);
    await p.keyboard.press('Enter');
    const done = await task;
    const { resolved, after } = resolution(done);
    check(resolved.decision === 'allow' && resolved.scope === 'once' && resolved.by === 'owner', `resolved: ${JSON.stringify(resolved)}`);
    check(after.some((x) => x.type === 'tool-result' && /all tests pass/.test(JSON.stringify(x))), `no tool result after the allow: ${JSON.stringify(after)}`);
    check(after.some((x) => x.type === 'text' && /allowed Bash/.test(x.text)), 'the agent did not carry on');
    await waitFor(async () => (await card(p).count()) === 0, { message: 'the card to go' });
    check(/You allowed Bash once \(task web-ask-allow\)/.test(await noteText(p)), `note: ${await noteText(p)}`);
    await shot(p, 'banner-ask-answered');
    const audit = (await w.server.api('GET', '/api/support/audit?limit=50')).json.audit;
    const entry = audit.find((e) => e.action === 'agent-permission' && /web-ask-allow/.test(e.detail));
    check(entry && entry.actor === 'owner' && /tool=Bash decision=allow/.test(entry.detail), `audit: ${JSON.stringify(entry)}`);
  });

  test('Deny with a reason (Enter in the reason field), and Allow for this task sends scope session', async () => {
    await needPrompts();
    await grant();
    const p = w.page;
    await gotoApp(p, '#/');
    const setHidden = (hidden) =>
      p.evaluate((hidden) => {
        Object.defineProperty(document, 'hidden', { configurable: true, get: () => hidden });
        Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (hidden ? 'hidden' : 'visible') });
        document.dispatchEvent(new Event('visibilitychange'));
      }, hidden);
    // while the tab is hidden, its title says support's agent waits
    await setHidden(true);
    let task = runTask({ prompt: 'ask Bash', taskId: 'web-ask-deny' });
    let c = card(p, 'permission');
    await c.waitFor({ timeout: 10000 });
    await p.waitForFunction(() => document.title.startsWith('⏳'), null, { timeout: 5000 });
    await setHidden(false);
    check(!(await p.title()).startsWith('⏳'), 'the title stayed after the tab came back');
    await c.locator('.ask-reason').fill('not on a Friday');
    await c.locator('.ask-reason').press('Enter');
    let done = await task;
    let r = resolution(done);
    check(r.resolved.decision === 'deny' && r.resolved.message === 'not on a Friday', `resolved: ${JSON.stringify(r.resolved)}`);
    check(r.after.some((x) => x.type === 'text' && /denied Bash: not on a Friday/.test(x.text)), 'the reason did not reach the agent');
    await waitFor(async () => (await card(p).count()) === 0, { message: 'the card to go' });
    check(/You denied Bash: not on a Friday/.test(await noteText(p)), `note: ${await noteText(p)}`);

    task = runTask({ prompt: 'ask Bash', taskId: 'web-ask-session' });
    c = card(p, 'permission');
    await c.waitFor({ timeout: 10000 });
    await c.locator('button.ask-allow-session').click();
    done = await task;
    r = resolution(done);
    check(r.resolved.decision === 'allow' && r.resolved.scope === 'session', `resolved: ${JSON.stringify(r.resolved)}`);
    check(r.after.some((x) => x.type === 'text' && /allowed Bash for the session/.test(x.text)), 'the session scope did not reach the agent');
    await waitFor(async () => /for the rest of this task/.test(await noteText(p)), { message: 'the note' });
  });

  test('a support prompt survives a reload and shows in a second tab, which drops it when the first answers; a question as option buttons', async () => {
    await needPrompts();
    await grant();
    const p = w.page;
    await gotoApp(p, '#/');
    const task = runTask({ prompt: 'ask Edit', taskId: 'web-ask-tabs' });
    await card(p, 'permission').locator('.diff-line.add').waitFor({ timeout: 10000 });
    const id = await card(p).getAttribute('data-request-id');
    await p.reload();
    await p.waitForSelector('body[data-booted="true"]');
    const again = card(p, 'permission');
    await again.waitFor({ timeout: 5000 });
    check((await again.getAttribute('data-request-id')) === id, 'another prompt after the reload');
    check(/\/project\/a\.js/.test(await again.textContent()) && (await again.locator('.diff-line.del').count()) === 1, 'the file and its diff are not on the card');
    await p.emulateMedia({ colorScheme: 'dark' });
    await shot(p, 'banner-ask-desktop-dark');
    await p.emulateMedia({ colorScheme: 'light' });
    // a second tab, on a phone
    const small = await newPage();
    try {
      await small.setViewportSize({ width: 360, height: 740 });
      await gotoApp(small, '#/');
      const there = card(small, 'permission');
      await there.waitFor({ timeout: 5000 });
      check((await there.getAttribute('data-request-id')) === id, 'the second tab shows another prompt');
      for (const scheme of ['light', 'dark']) {
        await small.emulateMedia({ colorScheme: scheme });
        const m = await small.evaluate(() => {
          const b = (s) => document.querySelector(s).getBoundingClientRect();
          return { width: document.documentElement.scrollWidth, deny: b('#banner-asks button.ask-deny'), prompt: b('#prompt'), vh: innerHeight, countdown: b('#banner-countdown'), status: b('#banner-status') };
        });
        check(m.countdown.right <= m.status.right + 0.5 && m.countdown.width > 20, `at 360 px the grant's countdown is cut while support operates: ${JSON.stringify([m.countdown, m.status])}`);
        check(m.width <= 360, `the page is ${m.width} px wide at 360 px (${scheme})`);
        check(m.deny.right <= 360 && m.deny.bottom <= m.vh, `Deny is out of view at 360 px: ${JSON.stringify(m.deny)}`);
        check(m.prompt.bottom <= m.vh, `the prompt box is pushed out of view: ${JSON.stringify(m.prompt)}`);
        await shot(small, `banner-ask-360-${scheme}`);
      }
      await small.emulateMedia({ colorScheme: 'light' });
      await again.locator('button.ask-allow').click();
      await waitFor(async () => (await card(small).count()) === 0, { timeout: 5000, message: 'the second tab to drop the answered prompt' });
      check(/Edit was allowed once elsewhere/.test(await noteText(small)), `the second tab's note: ${await noteText(small)}`);
      const done = await task;
      const r = resolution(done);
      check(r.resolved.decision === 'allow' && r.after.some((x) => x.type === 'text' && /allowed Edit/.test(x.text)), `resolved: ${JSON.stringify(r.resolved)}`);

      // a question: its options as buttons
      const question = runTask({ prompt: 'question', taskId: 'web-ask-question' });
      const q = card(p, 'question');
      await q.waitFor({ timeout: 10000 });
      check(/Support's agent asks you/.test(await q.textContent()) && /Which colour\?/.test(await q.locator('legend').textContent()), `question card: ${await q.textContent()}`);
      await card(small, 'question').waitFor({ timeout: 5000 });
      await small.emulateMedia({ colorScheme: 'dark' });
      await shot(small, 'banner-question-360-dark');
      await small.emulateMedia({ colorScheme: 'light' });
      await shot(p, 'banner-question-desktop-light');
      await q.locator('button.ask-option:has-text("Blue")').click();
      const qd = await question;
      const qr = resolution(qd);
      check(qr.resolved.decision === 'allow' && qr.after.some((x) => x.type === 'text' && /you picked Blue/.test(x.text)), `the answer did not reach the agent: ${JSON.stringify(qr)}`);
      await waitFor(async () => (await card(small).count()) === 0 && (await card(p).count()) === 0, { timeout: 5000, message: 'both tabs to drop the question' });
    } finally {
      await small.close();
    }
  });

  test('a tab that missed the news says why its answer was refused: already answered (409), no longer waiting (404)', { allowConsole: [/status of 40[49]/, /ERR_|blockedbyclient|Failed to fetch/] }, async () => {
    await needPrompts();
    await grant();
    // a tab whose event stream is down, and whose status reads are then held: it still shows the prompt after it is settled
    const stale = await newPage();
    let hold = false;
    const held = [];
    try {
      await stale.route('**/api/events', (r) => r.abort());
      await stale.route('**/api/support/status', (r) => (hold ? held.push(r) : r.continue()));
      let task = runTask({ prompt: 'ask Bash', taskId: 'web-ask-409' });
      await card(w.page, 'permission').waitFor({ timeout: 10000 });
      await gotoApp(stale, '#/');
      let c = card(stale, 'permission');
      await c.waitFor({ timeout: 10000 });
      hold = true;
      const id = await c.getAttribute('data-request-id');
      const first = await w.server.api('POST', `/api/support/operate/permissions/${encodeURIComponent(id)}`, { decision: 'allow', scope: 'once' });
      check(first.status === 200, `the first answer: ${first.status} ${first.text}`);
      await c.locator('button.ask-allow').click();
      const error = c.locator('.error');
      await error.waitFor({ timeout: 5000 });
      check(/already answered/.test(await error.textContent()) && (await error.getAttribute('role')) === 'alert', `409 line: ${await error.textContent()}`);
      check(await c.locator('button.ask-allow').isDisabled(), 'the refused card can still be answered');
      await shot(stale, 'banner-ask-409');
      await task;

      // 404: the task was stopped while the tab still showed its prompt
      hold = false;
      for (const r of held.splice(0)) r.continue().catch(() => {});
      task = runTask({ prompt: 'ask Bash', taskId: 'web-ask-404' });
      await card(w.page, 'permission').waitFor({ timeout: 10000 });
      await stale.reload();
      await stale.waitForSelector('body[data-booted="true"]');
      c = card(stale, 'permission');
      await c.waitFor({ timeout: 10000 });
      hold = true;
      const cancel = await w.server.api('POST', '/api/support/operate/cancel', {});
      check(cancel.status === 200 && cancel.json.cancelled === true, `cancel: ${cancel.text}`);
      const ended = await task;
      check(ended.chunks.at(-1)?.reason === 'stopped-by-owner', `the task end: ${JSON.stringify(ended.chunks.at(-1))}`);
      await c.locator('.ask-reason').fill('too late');
      await c.locator('button.ask-deny').click();
      await c.locator('.error').waitFor({ timeout: 5000 });
      check(/no longer waiting/.test(await c.locator('.error').textContent()), `404 line: ${await c.locator('.error').textContent()}`);
      await shot(stale, 'banner-ask-404');
    } finally {
      hold = false;
      for (const r of held.splice(0)) r.continue().catch(() => {});
      await stale.close();
      await w.server.cli(['support', 'revoke']);
    }
  });

  test('a prompt nobody answers is denied when its time runs out, and the banner says so', async () => {
    await needPrompts();
    // a server of its own, whose prompts wait 3 s ([plugin.support_api] approval_seconds)
    const env = makeHome();
    appendFileSync(join(env.home, 'wildws.ini'), '\n[plugin.support_api]\napproval_seconds = 3\n');
    const other = new Wildws({ bin: w.server.bin, pluginsDir: w.server.pluginsDir, home: env.home, agentLog: env.agentLog, webDir: w.server.webDir });
    const browser = await launchBrowser();
    try {
      await other.start();
      const g = await other.cli(['support', 'allow', '--tier', '3', '--minutes', '5', '--yes']);
      check(g.code === 0, `support allow failed: ${g.stderr}`);
      const p = await browser.context.newPage();
      await p.goto(await other.loginUrl());
      await p.waitForSelector('body[data-booted="true"]', { timeout: 10000 });
      const task = runTask({ prompt: 'ask Bash', taskId: 'web-ask-timeout' }, other);
      const c = card(p, 'permission');
      await c.waitFor({ timeout: 10000 });
      const first = await c.locator('.ask-deadline').textContent();
      check(/denied in 0:0[1-3] unless you answer/.test(first), `the card's time limit: ${first}`);
      await waitFor(async () => (await c.locator('.ask-deadline').textContent().catch(() => first)) !== first, { timeout: 3000, message: 'the time limit to count down' });
      await waitFor(async () => (await card(p).count()) === 0, { timeout: 10000, message: 'the timed-out card to go' });
      check(/Bash was denied: nobody answered in time/.test(await noteText(p)), `note: ${await noteText(p)}`);
      const r = resolution(await task);
      check(r.resolved.decision === 'deny' && r.resolved.by === 'timeout' && /approval_seconds/.test(r.resolved.message || ''), `resolved: ${JSON.stringify(r.resolved)}`);
      await p.close();
    } finally {
      await browser.close();
      await other.stop();
      env.cleanup();
    }
  });
}
