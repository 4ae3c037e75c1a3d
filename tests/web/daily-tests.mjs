// End-to-end tests of issue 17 (the page as a daily tool): registered into
// run.mjs's runner, which passes its helpers and the shared world.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Wildws, launchBrowser, makeHome, sleep } from './harness.mjs';

export function dailyTests(w) {
  const { test, check, skip, waitFor, send, gotoApp, shot, turnCount, waitTurnDone, needAgent, needSupport, newPage } = w;

  const lastTurn = (p) => p.locator('#transcript .turn').last();

  test('Enter pressed while the page is still booting is sent once the agents are known', async () => {
    needAgent();
    const p = await newPage();
    // slow the boot down: the plugin list, then the agent detection
    let agentsAnswered = false;
    await p.route('**/api/plugins', async (r) => {
      await sleep(600);
      r.continue();
    });
    await p.route('**/api/agents', async (r) => {
      await sleep(900);
      agentsAnswered = true;
      r.continue();
    });
    const before = w.server.agentRuns().length;
    await p.goto(`${w.server.origin}/#/`);
    await p.waitForSelector('#prompt');
    await p.fill('#prompt', 'sent before boot');
    await p.press('#prompt', 'Enter');
    await p.waitForSelector('#composer-note:not([hidden])', { timeout: 3000 });
    check(/Finding your agents/.test(await p.textContent('#composer-note')), `note: ${await p.textContent('#composer-note')}`);
    check(!agentsAnswered, 'the agents were known before the test pressed Enter: it proves nothing');
    await p.waitForSelector('#transcript .turn .md:has-text("you said: sent before boot")', { timeout: 10000 });
    check((await p.inputValue('#prompt')) === '', 'the prompt stayed in the box');
    check(await p.isHidden('#composer-note'), 'the "finding" note stayed');
    check(w.server.agentRuns().slice(before).filter((r) => r.prompt.includes('sent before boot')).length === 1, 'not sent exactly once');
    await p.close();
  });

  test('code blocks: language label, highlighting, Copy puts the code on the clipboard, long lines scroll', async () => {
    needAgent();
    await w.browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: w.server.origin });
    const p = w.page;
    await gotoApp(p, '#/');
    await p.selectOption('#agent', 'claude');
    await send(p, 'code');
    await waitTurnDone(p, 1);
    const labels = await p.locator('#transcript .code-lang').allTextContents();
    check(JSON.stringify(labels) === JSON.stringify(['js', 'python', 'text']), `labels: ${labels}`);
    await p.waitForSelector('#transcript .code-block code.hljs .hljs-keyword', { timeout: 5000 });
    const js = p.locator('#transcript .code-block').first();
    check((await js.locator('.hljs-keyword').first().textContent()) === 'const', 'the first keyword is not "const"');
    check((await js.locator('.hljs-comment').count()) === 1, 'no comment span');
    const [r, g, b] = (await js.locator('.hljs-keyword').first().evaluate((e) => getComputedStyle(e).color)).match(/\d+/g).map(Number);
    const [r2, g2, b2] = (await js.locator('code').evaluate((e) => getComputedStyle(e).color)).match(/\d+/g).map(Number);
    check(r !== r2 || g !== g2 || b !== b2, 'a keyword has the same colour as plain code');
    await js.locator('button.copy').click();
    const copied = await p.evaluate(() => navigator.clipboard.readText());
    check(copied === 'const answer = 42; // the answer\nfunction greet(name) { return `hi ${name}`; }\n', `clipboard: ${JSON.stringify(copied)}`);
    check((await js.locator('button.copy').textContent()) === 'Copied', 'the button does not say Copied');
    await lastTurn(p).locator('button.copy-answer').click();
    const answer = await p.evaluate(() => navigator.clipboard.readText());
    check(answer.startsWith('Three blocks:') && answer.includes('```python\ndef add(a, b):'), `answer on the clipboard: ${answer.slice(0, 120)}`);
    const long = p.locator('#transcript .code-block pre').nth(2);
    const box = await long.evaluate((e) => ({ sw: e.scrollWidth, cw: e.clientWidth }));
    check(box.sw > box.cw, `the long line does not scroll: ${JSON.stringify(box)}`);
    const page = await p.evaluate(() => ({ doc: document.documentElement.scrollWidth, t: document.getElementById('transcript').scrollWidth - document.getElementById('transcript').clientWidth }));
    check(page.doc <= 1280 && page.t <= 0, `the long line widened the page: ${JSON.stringify(page)}`);
    await shot(p, 'code-blocks-light');
  });

  test('a file edit shows as a collapsed diff; a failed command shows its output and status', async () => {
    needAgent();
    const p = w.page;
    await gotoApp(p, '#/');
    await p.selectOption('#agent', 'claude');
    await send(p, 'edit');
    await waitTurnDone(p, 1);
    const cards = p.locator('#transcript details.file-change');
    check((await cards.count()) === 3, `file-change cards: ${await cards.count()}`);
    for (let i = 0; i < 3; i++) check(!(await cards.nth(i).evaluate((d) => d.open)), `diff ${i} is open by default`);
    const edit = cards.nth(0);
    const summary = await edit.locator('summary').textContent();
    check(/Edit/.test(summary) && /src\/app\.js/.test(summary) && /\+1/.test(summary) && /−1/.test(summary), `edit summary: ${summary}`);
    await edit.locator('summary').click();
    const del = await edit.locator('.diff-line.del').allTextContents();
    const add = await edit.locator('.diff-line.add').allTextContents();
    check(del.length === 1 && del[0] === '-   return "hello " + name;', `removed: ${JSON.stringify(del)}`);
    check(add.length === 1 && add[0] === '+   return `hello ${name}!`;', `added: ${JSON.stringify(add)}`);
    check((await edit.locator('.diff-line.ctx').count()) === 2, 'no context lines');
    check(/\+3.*−2/.test(await cards.nth(1).locator('summary').textContent()), `MultiEdit: ${await cards.nth(1).locator('summary').textContent()}`);
    check(/NOTES\.md.*\+2.*−0/.test(await cards.nth(2).locator('summary').textContent()), `Write: ${await cards.nth(2).locator('summary').textContent()}`);
    const cmd = p.locator('#transcript details.tool.command');
    check((await cmd.count()) === 1, 'no command card');
    check(!(await cmd.evaluate((d) => d.open)), 'the command output is open by default');
    const cs = await cmd.locator('summary').textContent();
    check(/\$ npm test/.test(cs) && /✗ failed/.test(cs), `command summary: ${cs}`);
    await cmd.locator('summary').click();
    check(/1 failing/.test(await cmd.locator('.tool-result').textContent()), 'no command output');
    check(/Output \(2 lines\)/.test(await cmd.locator('.tool-result').textContent()), 'no output line count');
    await shot(p, 'diff-edit-light');
  });

  test('retry and edit-and-resend the last prompt; a working state with elapsed time', async () => {
    needAgent();
    const p = w.page;
    await gotoApp(p, '#/');
    await p.selectOption('#agent', 'claude');
    await send(p, 'slow 8 300');
    await p.waitForSelector('#transcript .working', { timeout: 5000 });
    const t1 = await p.textContent('#transcript .working');
    check(/Working… \d+ s/.test(t1), `working: ${t1}`);
    await waitFor(async () => (await p.textContent('#transcript .working').catch(() => '')) !== t1, { timeout: 4000, message: 'the elapsed time to move' });
    await waitTurnDone(p, 1);
    check((await p.locator('#transcript .working').count()) === 0, 'the working line stayed after the turn');
    const before = w.server.agentRuns().length;
    await lastTurn(p).locator('button.retry').click();
    await waitTurnDone(p, 2);
    check((await p.locator('#transcript .turn').count()) === 2, 'retry did not add a turn');
    check((await lastTurn(p).locator('.prompt-text').textContent()) === 'slow 8 300', 'retry changed the prompt');
    check(w.server.agentRuns()[before]?.prompt.trim() === 'slow 8 300', 'retry did not reach the agent');
    // only the last turn offers them
    check(!(await p.locator('#transcript .turn').first().locator('button.retry').isVisible()), 'an earlier turn offers Retry');
    await lastTurn(p).locator('button.edit').click();
    check((await p.inputValue('#prompt')) === 'slow 8 300', 'Edit did not put the prompt in the box');
    check((await p.evaluate(() => document.activeElement.id)) === 'prompt', 'Edit did not focus the box');
    await p.fill('#prompt', 'edited prompt');
    await p.press('#prompt', 'Enter');
    await waitTurnDone(p, 3);
    check((await lastTurn(p).locator('.prompt-text').textContent()) === 'edited prompt', 'the edited prompt was not sent');
    check(/you said: edited prompt/.test(await lastTurn(p).textContent()), 'no answer to the edited prompt');
  });

  test('conversations: plain titles with dates, search, rename and delete against the API', { allowConsole: [/status of 400/] }, async () => {
    needAgent();
    const p = w.page;
    await gotoApp(p, '#/');
    await p.selectOption('#agent', 'claude');
    await send(p, 'Please **summarise** the `zebra` file');
    await waitTurnDone(p, 1);
    const id = decodeURIComponent(new URL(p.url()).hash.slice('#/c/'.length));
    const item = p.locator(`#conversations li[data-id="${id}"]`);
    await item.waitFor();
    check((await item.locator('.conv-title').textContent()) === 'Please summarise the zebra file', `title: ${await item.locator('.conv-title').textContent()}`);
    check(/^today \d\d:\d\d · claude/.test(await item.locator('.conv-meta').textContent()), `meta: ${await item.locator('.conv-meta').textContent()}`);
    // search: server side, titles and prompts
    await p.fill('#conv-search', 'ZEBRA');
    await waitFor(async () => (await p.locator('#conversations li').count()) === 1, { message: 'one search result' });
    check((await p.locator('#conversations li').first().getAttribute('data-id')) === id, 'the wrong conversation was found');
    await p.fill('#conv-search', 'no-such-words-anywhere');
    await p.waitForSelector('#conversations-empty:not([hidden])');
    check(/No conversation mentions/.test(await p.textContent('#conversations-empty')), 'no empty-search line');
    await p.fill('#conv-search', '');
    const all = (await w.server.api('GET', '/api/chat/sessions?limit=200')).json.sessions.length;
    await waitFor(async () => (await p.locator('#conversations li').count()) === all, { message: 'the whole list back' });
    // rename
    await item.hover();
    await item.locator('button.conv-rename').click();
    await item.locator('input.conv-title-input').fill('Zebra notes');
    await item.locator('input.conv-title-input').press('Enter');
    await waitFor(async () => (await item.locator('.conv-title').textContent().catch(() => '')) === 'Zebra notes', { message: 'the new title in the list' });
    const listed = (await w.server.api('GET', '/api/chat/sessions')).json.sessions.find((s) => s.id === id);
    check(listed?.title === 'Zebra notes', `the API title: ${listed?.title}`);
    await item.hover();
    await item.locator('button.conv-rename').click();
    await item.locator('input.conv-title-input').fill('   ');
    await item.locator('input.conv-title-input').press('Enter');
    await item.locator('.error').waitFor();
    check(/empty/.test(await item.locator('.error').textContent()), 'a blank title was not refused with the reason');
    await item.locator('input.conv-title-input').press('Escape');
    await shot(p, 'conversations-renamed');
    // delete, with a confirm step; the open conversation closes
    await item.hover();
    await item.locator('button.conv-delete').click();
    check((await w.server.api('GET', `/api/chat/sessions/${id}`)).status === 200, 'deleted before the confirm');
    await shot(p, 'conversations-delete-confirm');
    await item.locator('button.conv-confirm-delete').click();
    await waitFor(async () => (await item.count()) === 0, { message: 'the item to go' });
    check((await w.server.api('GET', `/api/chat/sessions/${id}`)).status === 404, 'still on the server');
    await waitFor(() => new URL(p.url()).hash === '#/', { message: 'the deleted conversation to close' });
  });

  test('@ in the prompt box suggests files of the working directory', async () => {
    needAgent();
    const project = join(w.env.root, 'project');
    mkdirSync(join(project, 'src'), { recursive: true });
    writeFileSync(join(project, 'src', 'main.js'), '// main\n');
    writeFileSync(join(project, 'src', 'util.js'), '// util\n');
    writeFileSync(join(project, 'README.md'), '# project\n');
    const p = w.page;
    await gotoApp(p, '#/');
    await p.fill('#cwd', project);
    await p.click('#prompt');
    await p.keyboard.type('look at @mai');
    await p.waitForSelector('#mentions:not([hidden]) .mention', { timeout: 5000 });
    const options = await p.locator('#mentions .mention').allTextContents();
    check(options[0] === 'src/main.js', `suggestions: ${options}`);
    check((await p.getAttribute('#prompt', 'aria-expanded')) === 'true', 'the box does not say its list is open');
    await shot(p, 'mentions');
    await p.keyboard.press('Enter');
    check((await p.inputValue('#prompt')) === 'look at @src/main.js ', `after Enter: ${await p.inputValue('#prompt')}`);
    check(await p.isHidden('#mentions'), 'the list stayed open');
    await p.keyboard.type('and @');
    await p.waitForSelector('#mentions:not([hidden]) .mention');
    check((await p.locator('#mentions .mention').count()) === 3, 'an empty @ does not list every file');
    await p.keyboard.press('Escape');
    check(await p.isHidden('#mentions'), 'Escape did not close the list');
    await p.fill('#prompt', '');
    await p.fill('#cwd', '');
  });

  test('an image pasted into the prompt box: refused for an agent without images, sent to one that takes them', { allowConsole: [/status of 400/] }, async () => {
    needAgent();
    const p = w.page;
    await gotoApp(p, '#/');
    // a 1x1 PNG, pasted
    await p.evaluate(() => {
      const png = Uint8Array.from(atob('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=='), (c) => c.charCodeAt(0));
      const dt = new DataTransfer();
      dt.items.add(new File([png], 'dot.png', { type: 'image/png' }));
      const ev = new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true });
      document.getElementById('prompt').dispatchEvent(ev);
    });
    await p.waitForSelector('#attachments:not([hidden]) img');
    await p.selectOption('#agent', 'command');
    await send(p, 'describe this');
    await p.waitForSelector('#composer-note.error:not([hidden])');
    check(/does not take images/.test(await p.textContent('#composer-note')), `refusal: ${await p.textContent('#composer-note')}`);
    check((await p.inputValue('#prompt')) === 'describe this' && (await turnCount(p)) === 0, 'the refused prompt was sent or lost');
    await shot(p, 'image-refused');
    const agents = (await w.server.api('GET', '/api/agents')).json.agents;
    if (!agents.some((a) => a.capabilities)) skip('the server side of images (POST /api/chat "images", agent capabilities) is not on this branch yet');
    await p.selectOption('#agent', 'claude');
    const before = w.server.agentRuns().length;
    await p.press('#prompt', 'Enter');
    await waitTurnDone(p, 1);
    const run = w.server.agentRuns().slice(before).find((r) => r.prompt.includes('describe this'));
    check(run && run.images?.length === 1 && run.images[0].mediaType === 'image/png' && run.images[0].bytes > 60, `the agent got: ${JSON.stringify(run?.images)}`);
    check(/I see 1 image/.test(await lastTurn(p).textContent()), 'the answer does not mention the image');
  });

  // issue 13's page part: needs the interactive agent (agents[].capabilities.permissions)
  async function needPrompts() {
    needAgent();
    const agents = (await w.server.api('GET', '/api/agents')).json.agents;
    if (!agents.find((a) => a.id === 'claude')?.capabilities?.permissions) skip('the interactive agent (permission prompts, interrupt) is not on this branch yet');
  }

  test('the agent asks: an inline card answers it (allow once, deny with a reason, a question), also after a reload', async () => {
    await needPrompts();
    const p = w.page;
    await gotoApp(p, '#/');
    await p.selectOption('#agent', 'claude');
    await send(p, 'ask Bash');
    const card = p.locator('#transcript .ask.permission').last();
    await card.waitFor({ timeout: 10000 });
    check(/Allow Bash\?/.test(await card.textContent()) && /npm test/.test(await card.textContent()), `card: ${await card.textContent()}`);
    await shot(p, 'ask-permission');
    await card.locator('button.ask-allow').click();
    await waitTurnDone(p, 1);
    check(/Allowed once by you/.test(await card.locator('.ask-status').textContent()), `status: ${await card.locator('.ask-status').textContent()}`);
    check(/allowed Bash/.test(await lastTurn(p).textContent()), 'the agent did not get the allow');
    await send(p, 'ask Edit');
    const edit = p.locator('#transcript .ask.permission').last();
    await edit.locator('.diff-line.add').waitFor({ timeout: 10000 });
    // a reload while it waits: the card comes back, still answerable
    await p.reload();
    await p.waitForSelector('body[data-booted="true"]');
    const again = p.locator('#transcript .ask.permission').last();
    await again.locator('button.ask-deny').waitFor({ timeout: 10000 });
    await again.locator('.ask-reason').fill('not now');
    await again.locator('button.ask-deny').click();
    await waitFor(async () => /denied Edit: not now/.test(await p.textContent('#transcript')), { timeout: 10000, message: 'the deny to reach the agent' });
    await send(p, 'question');
    const q = p.locator('#transcript .ask.question').last();
    await q.locator('button.ask-option:has-text("Blue")').click({ timeout: 10000 });
    await waitFor(async () => /you picked Blue/.test(await p.textContent('#transcript')), { timeout: 10000, message: 'the answer to reach the agent' });
    // a question without options (codex's free-form ones) takes typed text, sent with Enter
    await send(p, 'question free');
    const free = p.locator('#transcript .ask.question').last();
    await free.locator('input.ask-text').fill('Teal, of course', { timeout: 10000 });
    await free.locator('input.ask-text').press('Enter');
    await waitFor(async () => /you picked Teal, of course/.test(await p.textContent('#transcript')), { timeout: 10000, message: 'the typed answer to reach the agent' });
  });

  test('while the tab is hidden a prompt shows in its title; Stop interrupts and the next message goes to the same agent', async () => {
    await needPrompts();
    const p = w.page;
    await gotoApp(p, '#/');
    await p.selectOption('#agent', 'claude');
    const setHidden = (hidden) =>
      p.evaluate((hidden) => {
        Object.defineProperty(document, 'hidden', { configurable: true, get: () => hidden });
        Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (hidden ? 'hidden' : 'visible') });
        document.dispatchEvent(new Event('visibilitychange'));
      }, hidden);
    await setHidden(true);
    await send(p, 'ask Bash');
    await p.waitForFunction(() => document.title.startsWith('⏳'), null, { timeout: 10000 });
    await setHidden(false);
    check(!(await p.title()).startsWith('⏳'), 'the title stayed after the tab came back');
    const card = p.locator('#transcript .ask.permission').last();
    const before = w.server.agentRuns().length;
    await p.click('#stop');
    await waitTurnDone(p, 1);
    check(/Denied|Stop/.test(await card.textContent()), `the card after Stop: ${await card.textContent()}`);
    await send(p, 'after the stop');
    await waitTurnDone(p, 2);
    const runs = w.server.agentRuns();
    const first = runs.slice(0, before).reverse().find((r) => r.prompt.includes('ask Bash'));
    const next = runs.find((r) => r.prompt.includes('after the stop'));
    check(first && next && first.pid === next.pid, `the next message went to another process: ${first?.pid} then ${next?.pid}`);
  });

  test('390×844: banner and agent settings one line each, the prompt box and the last message in view', async () => {
    needAgent();
    const small = await newPage();
    await small.setViewportSize({ width: 390, height: 844 });
    await gotoApp(small, '#/');
    for (let i = 0; i < 3; i++) {
      await send(small, i === 2 ? 'tools 10' : `message ${i}`);
      await waitTurnDone(small, i + 1);
    }
    for (const scheme of ['light', 'dark']) {
      await small.emulateMedia({ colorScheme: scheme });
      const m = await small.evaluate(() => {
        const r = (id) => document.getElementById(id).getBoundingClientRect();
        const turns = document.querySelectorAll('#transcript .turn');
        const last = turns[turns.length - 1].getBoundingClientRect();
        return { banner: r('banner').height, settings: r('chat-settings').height, prompt: r('prompt'), last, vh: innerHeight, width: document.documentElement.scrollWidth };
      });
      check(m.banner <= 52, `the banner is ${m.banner} px high`);
      check(m.settings <= 44, `the agent settings are ${m.settings} px high`);
      check(m.prompt.top >= 0 && m.prompt.bottom <= m.vh, `the prompt box is out of view: ${JSON.stringify(m.prompt)}`);
      check(m.last.top < m.prompt.top && m.last.bottom > 0, `the last message is out of view: ${JSON.stringify(m.last)}`);
      check(m.width <= 390, `the page is ${m.width} px wide`);
      await shot(small, `chat-390x844-${scheme}`);
    }
    // the settings open from their one line
    await small.click('#settings-toggle');
    check(await small.isVisible('#cwd'), 'the settings do not open');
    await shot(small, 'settings-open-390x844-dark');
    await small.click('#settings-toggle');
    await gotoApp(small, '#/plugins');
    await small.waitForSelector('#plugins tbody tr');
    const cells = await small.$$eval('#plugins td.file', (tds) => tds.map((td) => td.getBoundingClientRect().width));
    check(cells.every((wd) => wd > 200), `file cells too narrow: ${cells}`);
    check((await small.evaluate(() => document.documentElement.scrollWidth)) <= 390, 'the plugins view is wider than the screen');
    await shot(small, 'plugins-390x844-dark');
    await small.emulateMedia({ colorScheme: 'light' });
    await shot(small, 'plugins-390x844-light');
    await small.close();
  });

  test('the conversation list is hidden on Support and Plugins; a plugin path is shortened with the full one on demand', async () => {
    const p = w.page;
    for (const hash of ['#/support', '#/plugins']) {
      await gotoApp(p, hash);
      check(!(await p.isVisible('#sidebar')), `the conversation list shows on ${hash}`);
    }
    await p.waitForSelector('#plugins tbody tr');
    const file = w.plugins.find((x) => x.file)?.file;
    if (file) {
      const cell = p.locator('#plugins td.file details').first();
      check((await cell.locator('summary').textContent()) === file.split('/').pop(), 'the file cell is not shortened to the name');
      await cell.locator('summary').click();
      check(await cell.locator('.full-path').isVisible(), 'the full path does not show on demand');
    }
    await gotoApp(p, '#/');
    check(await p.isVisible('#sidebar'), 'the conversation list is gone from the chat');
  });

  test('the tier-3 banner fits on one line at 1280', async () => {
    needSupport();
    const r = await w.server.cli(['support', 'allow', '--tier', '3', '--minutes', '5', '--reason', 'one line check', '--yes']);
    check(r.code === 0, `support allow failed: ${r.stderr}`);
    const p = w.page;
    await gotoApp(p, '#/');
    await p.waitForFunction(() => document.querySelector('#banner').dataset.state === 'on', null, { timeout: 3000 });
    const m = await p.evaluate(() => {
      const s = document.getElementById('banner-status');
      return { h: s.getBoundingClientRect().height, line: parseFloat(getComputedStyle(s).lineHeight), row: document.querySelector('.banner-row').getBoundingClientRect().height };
    });
    await shot(p, 'banner-tier3-1280');
    // on a phone the countdown stays in view (the tier's description gives way)
    const small = await newPage();
    await small.setViewportSize({ width: 360, height: 740 });
    await gotoApp(small, '#/');
    await small.waitForFunction(() => document.querySelector('#banner').dataset.state === 'on', null, { timeout: 3000 });
    const c = await small.evaluate(() => {
      const r = (e) => e.getBoundingClientRect();
      return { countdown: r(document.getElementById('banner-countdown')), status: r(document.getElementById('banner-status')), row: r(document.querySelector('.banner-row')).height };
    });
    await shot(small, 'banner-tier3-360');
    await small.close();
    await w.server.cli(['support', 'revoke']);
    check(m.h < m.line * 1.5 && m.row < 50, `the tier-3 banner takes ${m.h} px (line ${m.line}), row ${m.row}`);
    check(c.countdown.right <= c.status.right + 0.5 && c.countdown.width > 20 && c.row < 50, `at 360 px the countdown is cut: ${JSON.stringify(c)}`);
  });

  test('with the agent plugin disabled the chat says so and how to turn it on', async () => {
    const env = makeHome();
    writeFileSync(join(env.home, 'wildws.ini'), '[plugin.agent]\nenabled = false\n');
    const other = new Wildws({ bin: w.server.bin, pluginsDir: w.server.pluginsDir, home: env.home, agentLog: env.agentLog, webDir: w.server.webDir });
    const browser = await launchBrowser();
    try {
      await other.start();
      const p = await browser.context.newPage();
      await p.goto(await other.loginUrl());
      await p.waitForSelector('body[data-booted="true"]', { timeout: 10000 });
      await p.waitForSelector('#plugin-off:not([hidden])');
      const text = await p.textContent('#plugin-off');
      check(/agent plugin is not loaded/.test(text) && /enabled = false/.test(text) && /restart/.test(text), `plugin-off: ${text}`);
      check((await p.locator('#transcript .turn').count()) === 0, 'an empty bubble shows');
      check(!(await p.isVisible('#composer')), 'the prompt box shows without the plugin');
      check(/kept on disk/.test(await p.textContent('#conversations-empty')), `list: ${await p.textContent('#conversations-empty')}`);
      await shot(p, 'plugin-disabled');
    } finally {
      await browser.close();
      await other.stop();
      env.cleanup();
    }
  });
}
