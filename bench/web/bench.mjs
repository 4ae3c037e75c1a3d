// bench/web: the owner's page in headless Debian chromium against a real
// `wildws serve` (see run.sh). Prints a markdown table.
//   1. cold page load (empty cache, new browser context): bytes transferred
//      and the time until the prompt box is usable (performance mark
//      'wildws:ready', from navigation start);
//   2. Enter -> first text of the answer on screen, minus the fixture agent's
//      own time to its first text line read straight from a pipe;
//   3. a 100k-line conversation reopened: fetch + render time, then scrolling
//      it top to bottom, with every long task (> 50 ms) the browser reports;
//      the budget is none over 200 ms.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CHROMIUM_FLAGS, Wildws, chromium, chromiumPath, makeHome, parseArgs } from '../../tests/web/harness.mjs';

const args = parseArgs(process.argv.slice(2));
const build = resolve(args.build || 'build');
const runs = Number(args.runs || 7);
const lines = Number(args.lines || 100000);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const ms = (x) => `${x.toFixed(1)} ms`;

// The compiled fixture of tests/agent starts in ~1 ms; the node one in ~40 ms.
// Either way its own first-line time is measured and subtracted.
const compiled = join(build, 'tests', 'agent', 'fixtures', 'fake-claude');
const agentPath = existsSync(compiled) ? compiled : null;
const env = makeHome({ claude: agentPath || undefined });
const claudePath = agentPath || join(env.bin, 'claude');
const server = new Wildws({ bin: join(build, 'wildws'), pluginsDir: join(build, 'plugins'), home: env.home, agentLog: '' });

/** The agent alone: ms from spawn to its first text line on a pipe. */
function agentFirstText(prompt) {
  return new Promise((resolvePromise, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(claudePath, ['-p', '--output-format', 'stream-json', '--verbose'], { stdio: ['pipe', 'pipe', 'ignore'] });
    let buf = '';
    let done = false;
    child.stdout.on('data', (d) => {
      buf += d;
      if (!done && /"type":"text"/.test(buf)) {
        done = true;
        resolvePromise(Number(process.hrtime.bigint() - t0) / 1e6);
      }
    });
    child.on('error', reject);
    child.on('close', () => {
      if (!done) reject(new Error(`the agent printed no text: ${buf.slice(0, 300)}`));
    });
    child.stdin.end(prompt);
  });
}

async function main() {
  await server.start();
  const browser = await chromium.launch({ executablePath: chromiumPath(), headless: true, args: CHROMIUM_FLAGS });
  const rows = [];
  try {
    // a logged-in cookie to hand every fresh context
    const first = await browser.newContext();
    const p0 = await first.newPage();
    await p0.goto(await server.loginUrl());
    await p0.waitForSelector('body[data-booted="true"]');
    const cookies = await first.cookies();
    await first.close();

    // ---- 1. cold load -------------------------------------------------------------
    const loads = [];
    let bytes = null;
    for (let i = 0; i < runs; i++) {
      const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      await ctx.addCookies(cookies);
      const page = await ctx.newPage();
      const cdp = await ctx.newCDPSession(page);
      await cdp.send('Network.enable');
      const reqs = new Map();
      const sizes = { page: 0, api: 0, pageRequests: 0, apiRequests: 0 };
      cdp.on('Network.requestWillBeSent', (e) => reqs.set(e.requestId, e.request.url));
      cdp.on('Network.loadingFinished', (e) => {
        const url = reqs.get(e.requestId) || '';
        const api = new URL(url).pathname.startsWith('/api/');
        sizes[api ? 'api' : 'page'] += e.encodedDataLength;
        sizes[api ? 'apiRequests' : 'pageRequests']++;
      });
      await page.goto(`${server.origin}/`);
      await page.waitForSelector('body[data-booted="true"]');
      const ready = await page.evaluate(() => performance.getEntriesByName('wildws:ready')[0].startTime);
      loads.push(ready);
      if (!bytes) bytes = { ...sizes };
      await ctx.close();
    }
    rows.push(['cold load: page files transferred', `${(bytes.page / 1024).toFixed(1)} KiB in ${bytes.pageRequests} requests`]);
    rows.push(['cold load: API calls during the load', `${(bytes.api / 1024).toFixed(1)} KiB in ${bytes.apiRequests} requests (event stream still open)`]);
    rows.push([`cold load: navigation start → prompt box usable (median of ${runs})`, ms(median(loads))]);

    // ---- 2. Enter → first text ------------------------------------------------------
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await ctx.addCookies(cookies);
    const page = await ctx.newPage();
    await page.goto(`${server.origin}/`);
    await page.waitForSelector('body[data-booted="true"]');
    await page.selectOption('#agent', 'claude');
    const firsts = [];
    for (let i = 0; i < runs + 1; i++) {
      await page.evaluate(() => {
        location.hash = '#/';
      });
      await page.waitForFunction(() => !document.querySelector('#transcript .turn') && !document.body.classList.contains('turn-running'));
      await page.fill('#prompt', `hello ${i}`);
      const measure = page.evaluate(
        () =>
          new Promise((done) => {
            let t0 = 0;
            const obs = new MutationObserver(() => {
              const md = document.querySelector('#transcript .turn:last-child .md');
              if (t0 && md && md.textContent.includes('you said')) {
                obs.disconnect();
                requestAnimationFrame(() => done(performance.now() - t0));
              }
            });
            obs.observe(document.getElementById('transcript'), { childList: true, subtree: true, characterData: true });
            document.getElementById('prompt').addEventListener('keydown', () => (t0 = performance.now()), { once: true, capture: true });
          }),
      );
      await page.waitForTimeout(20);
      await page.press('#prompt', 'Enter');
      const t = await measure;
      await page.waitForFunction(() => !document.body.classList.contains('turn-running'));
      if (i > 0) firsts.push(t); // the first run warms the agent detection cache
    }
    const agentAlone = [];
    for (let i = 0; i < runs; i++) agentAlone.push(await agentFirstText(`hello ${i}`));
    const pageMs = median(firsts);
    const agentMs = median(agentAlone);
    rows.push([`Enter → first answer text painted (median of ${runs})`, ms(pageMs)]);
    rows.push([`fixture agent alone: spawn → first text line on a pipe (${agentPath ? 'compiled fake-claude' : 'node fixture'})`, ms(agentMs)]);
    rows.push(['overhead of page + wildws (difference)', ms(pageMs - agentMs)]);

    // ---- 3. a 100k-line conversation -------------------------------------------------
    const res = await fetch(`${server.origin}/api/chat`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${server.secrets().partnerToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ prompt: `events ${lines}`, agent: 'claude' }),
    });
    const stream = await res.text();
    const id = JSON.parse(stream.slice(0, stream.indexOf('\n'))).sessionId;
    const size = (await (await fetch(`${server.origin}/api/chat/sessions/${id}`, { headers: { Authorization: `Bearer ${server.secrets().partnerToken}` } })).text()).length;
    const reopen = [];
    const scrolls = [];
    for (let i = 0; i < 3; i++) {
      await page.evaluate(() => {
        location.hash = '#/';
      });
      await page.waitForFunction(() => !document.querySelector('#transcript .turn'));
      const r = await page.evaluate(
        async ({ id, last }) => {
          // every main-thread task over 50 ms while the conversation opens and scrolls
          const long = [];
          const obs = new PerformanceObserver((list) => {
            for (const e of list.getEntries()) long.push({ d: e.duration, at: e.startTime });
          });
          obs.observe({ type: 'longtask' });
          const t0 = performance.now();
          location.hash = `#/c/${id}`;
          await new Promise((done) => {
            const check = () => {
              const mds = document.querySelectorAll('#transcript .md');
              const tail = mds[mds.length - 1];
              if (tail && tail.textContent.includes(last)) done();
              else setTimeout(check, 5);
            };
            check();
          });
          await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
          const rendered = performance.now() - t0;
          const tRendered = performance.now();
          // scroll top → bottom in 20 steps, one frame each
          const box = document.getElementById('transcript');
          box.scrollTop = 0;
          await new Promise((r) => requestAnimationFrame(() => r()));
          const frames = [];
          const s0 = performance.now();
          for (let k = 1; k <= 20; k++) {
            const f0 = performance.now();
            box.scrollTop = (box.scrollHeight * k) / 20;
            await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r())));
            frames.push(performance.now() - f0);
          }
          await new Promise((r) => setTimeout(r, 100)); // let the observer deliver
          obs.disconnect();
          return { rendered, scroll: performance.now() - s0, worst: Math.max(...frames), nodes: document.querySelectorAll('#transcript *').length, long: long.map((l) => l.d), phases: long.map((l) => `${l.at < tRendered ? 'open' : 'scroll'}@${Math.round(l.at - t0)}:${Math.round(l.d)}`) };
        },
        { id, last: `event ${lines - 1}` },
      );
      reopen.push(r.rendered);
      scrolls.push(r);
    }
    const worst = Math.max(...scrolls.map((s) => s.worst));
    rows.push([`${lines.toLocaleString('en-US')}-line conversation: stored transcript served`, `${(size / 1048576).toFixed(1)} MiB`]);
    rows.push([`reopen: fetch + parse + render until the last line is in the DOM (median of 3)`, ms(median(reopen))]);
    rows.push(['scroll top → bottom in 20 steps (2 frames each)', `${ms(median(scrolls.map((s) => s.scroll)))} total, worst step ${ms(worst)}`]);
    const longs = scrolls.flatMap((s) => s.long);
    if (args.verbose) console.log(scrolls.map((s) => s.phases.join(' ')).join('\n'));
    const longest = longs.length ? Math.max(...longs) : 0;
    rows.push([
      'long tasks while reopening + scrolling (PerformanceObserver longtask, 3 runs)',
      `${longs.length} over 50 ms, longest ${ms(longest)}, ${longs.filter((d) => d > 200).length} over 200 ms${longest > 200 ? ' ⚠ over the 200 ms budget' : ''}`,
    ]);
    await ctx.close();
  } finally {
    await browser.close();
    await server.stop();
    env.cleanup();
  }
  const cpu = (await import('node:os')).cpus();
  console.log(`\nwildws page benchmark (${cpu.length} × ${cpu[0].model.trim()}, chromium headless)\n`);
  console.log('| measure | result |');
  console.log('|---|---|');
  for (const [k, v] of rows) console.log(`| ${k} | ${v} |`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
