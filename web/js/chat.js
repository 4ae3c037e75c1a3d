// The chat: agent picker, mode, working directory, the prompt box, the
// streamed transcript, Stop, and the list of past conversations.
import { ApiError, getJson, parseNdjson, postJson, readNdjson, request } from './api.js';
import { ConversationList } from './conversations.js';
import { $, h, show, timeLabel } from './dom.js';
import { Images } from './images.js';
import { Mentions } from './mentions.js';
import { Signin } from './signin.js';
import { plainTitle } from './text.js';
import { Transcript } from './transcript.js';

// Agents that read images with the prompt (the others refuse them with a line).
// /api/agents says so in `capabilities.images`; before it did, only Claude could.
const takesImages = (a) => Boolean(a && (a.capabilities ? a.capabilities.images : a.id === 'claude'));

/** Yields to the browser so a long replay never blocks it (no task over ~30 ms). */
const yieldToBrowser = () => new Promise((r) => setTimeout(r, 0));

/**
 * Reads an NDJSON response and calls onLine per object, in slices of about
 * `budget` ms with the browser let in between; stops early (false) once
 * `stale()` says the reader looks at something else.
 */
async function readNdjsonSliced(res, onLine, { stale, between, budget = 24 } = {}) {
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let rest = '';
  let t0 = performance.now();
  for (;;) {
    const { value, done } = await reader.read();
    if (!done) rest += decoder.decode(value, { stream: true });
    let start = 0;
    let nl;
    let n = 0;
    while ((nl = rest.indexOf('\n', start)) >= 0 || (done && start < rest.length)) {
      if (nl < 0) nl = rest.length;
      const line = rest.slice(start, nl);
      start = nl + 1;
      if (line.trim()) {
        let obj;
        try {
          obj = JSON.parse(line);
        } catch {
          obj = null; // a torn or foreign line: skipped
        }
        if (obj) onLine(obj);
      }
      if (++n % 64 === 0 && performance.now() - t0 > budget) {
        rest = rest.slice(start);
        start = 0;
        between?.();
        await yieldToBrowser();
        if (stale?.()) {
          reader.cancel().catch(() => {});
          return false;
        }
        t0 = performance.now();
      }
    }
    rest = rest.slice(Math.min(start, rest.length));
    if (done) return true;
  }
}

const prefsKey = 'wildws.chat';

export class Chat {
  constructor({ navigate, available, plugin }) {
    this.navigate = navigate;
    this.available = available;
    this.plugin = plugin; // the agent plugin's row of /api/plugins (absent: not in this build)
    this.opening = Promise.resolve();
    this.booted = false;
    this.transcript = new Transcript($('transcript'), {
      onRetry: (prompt) => this.resend(prompt, { now: true }),
      onEdit: (prompt) => this.resend(prompt, { now: false }),
      decide: (requestId, body) => this.decide(requestId, body),
      onAsk: (c) => this.attention(c.type === 'question' ? 'a question' : c.tool || 'a tool'),
    });
    this.baseTitle = document.title;
    document.addEventListener('visibilitychange', () => {
      if (!document.hidden && this.waitingTitle) {
        this.waitingTitle = false;
        document.title = this.baseTitle;
      }
    });
    this.conversations = new ConversationList({
      available,
      current: () => this.conversationId,
      onDeleted: (id) => {
        if (id === this.conversationId) this.navigate('#/');
      },
    });
    this.agents = [];
    this.agentsKnown = false; // /api/agents has answered (or failed)
    this.sendWhenKnown = false; // Enter came before that: send then
    this.conversationId = null;
    this.running = null; // {sessionId, stopping, view}
    this.view = 0; // bumped whenever the transcript shows something else
    this.pollTimer = 0;
    this.readOnly = false;
    this.signin = new Signin(() => this.loadAgents());
    this.bind();
    this.restorePrefs();
  }

  bind() {
    const prompt = $('prompt');
    this.mentions = new Mentions({ prompt, cwd: () => $('cwd').value });
    this.images = new Images({ prompt, onError: (m) => this.composerNote(m, 'error') });
    prompt.addEventListener('keydown', (e) => {
      if (!e.isComposing && this.mentions.key(e)) {
        e.preventDefault();
      } else if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        this.send();
      } else if (e.key === 'Escape' && this.running) {
        e.preventDefault();
        this.stop();
      }
    });
    prompt.addEventListener('input', () => this.autosize());
    $('composer').addEventListener('submit', (e) => {
      e.preventDefault();
      this.send();
    });
    $('stop').addEventListener('click', () => this.stop());
    $('new-chat').addEventListener('click', () => this.navigate('#/'));
    $('chat-settings').addEventListener('submit', (e) => e.preventDefault());
    $('chat-settings').addEventListener('change', () => this.savePrefs());
    $('agent').addEventListener('change', () => {
      this.describeAgent();
      this.summarise();
    });
    $('chat-settings').addEventListener('input', () => this.summarise());
    $('settings-toggle').addEventListener('click', () => {
      const open = $('chat-settings').classList.toggle('expanded');
      $('settings-toggle').setAttribute('aria-expanded', String(open));
    });
  }

  /** The one-line summary of the settings shown on a narrow screen. */
  summarise() {
    const a = this.agent();
    const cwd = $('cwd').value.trim();
    const short = cwd ? cwd.replace(/^.*\/(?=[^/]+\/?$)/, '…/') : 'default directory';
    $('settings-summary').textContent = [a ? a.name : 'no agent', this.mode(), short].join(' · ');
  }

  /** A line above the prompt box (e.g. why an image is refused); '' clears it. */
  composerNote(text, cls = 'notice') {
    const el = $('composer-note');
    el.textContent = text;
    el.className = `composer-note ${cls}`;
    el.hidden = !text;
  }

  /** Answers a prompt of the agent in the open conversation. */
  decide(requestId, body) {
    const id = this.conversationId || this.running?.sessionId;
    if (!id) return Promise.reject(new ApiError(0, 'no-session', 'the conversation has no id yet'));
    return postJson(`/api/chat/${encodeURIComponent(id)}/permissions/${encodeURIComponent(requestId)}`, body);
  }

  /**
   * The agent waits for the owner: say so in the tab title, and by notification if allowed, while the tab is hidden.
   * `support`: it is a support task's agent (its prompt is in the banner, so no offer in the transcript).
   */
  attention(what, { support = false } = {}) {
    if (!support) this.offerNotifications();
    if (!document.hidden) return;
    if (!this.waitingTitle) this.baseTitle = document.title;
    this.waitingTitle = true;
    document.title = `⏳ Waiting for you · ${this.baseTitle}`;
    if ('Notification' in window && Notification.permission === 'granted') {
      try {
        const n = new Notification(support ? "wildws: support's agent is waiting" : 'wildws: your agent is waiting', { body: `It asks about ${what}.`, tag: 'wildws-ask' });
        n.onclick = () => window.focus();
      } catch {
        /* notifications not available here */
      }
    }
  }

  /** Once, beside the first prompt: a button to turn on notifications (the browser asks). */
  offerNotifications() {
    if (this.offered || !('Notification' in window) || Notification.permission !== 'default') return;
    this.offered = true;
    const b = h('button', { type: 'button', class: 'small notify-offer' }, 'Notify me when the agent waits');
    b.addEventListener('click', async () => {
      const r = await Notification.requestPermission().catch(() => 'denied');
      b.replaceWith(h('span', { class: 'hint' }, r === 'granted' ? 'Notifications on.' : 'Notifications are blocked by the browser.'));
    });
    this.transcript.turn?.answer.append(b);
  }

  /** Something happened elsewhere (/api/events): a prompt waits, or was answered. */
  onEvent(ev) {
    if (!ev || typeof ev.type !== 'string' || !ev.type.startsWith('chat-')) return;
    if (ev.type === 'chat-permission' || ev.type === 'chat-permission-resolved' || ev.type === 'chat-turn-end') {
      clearTimeout(this.listTimer);
      this.listTimer = setTimeout(() => this.loadConversations().catch(() => {}), 50);
    }
    if (ev.type === 'chat-permission' && (ev.sessionId !== this.conversationId || document.hidden))
      this.attention(ev.kind === 'question' ? 'a question' : ev.tool || 'a tool');
  }

  /** Retry (send the prompt again) or Edit (put it in the box to change first). */
  resend(prompt, { now }) {
    if (this.running || this.readOnly) return;
    const box = $('prompt');
    box.value = prompt;
    this.autosize();
    box.focus();
    box.setSelectionRange(prompt.length, prompt.length);
    if (now) this.send();
  }

  autosize() {
    const p = $('prompt');
    p.style.height = 'auto';
    p.style.height = `${Math.min(p.scrollHeight + 2, Math.round(window.innerHeight * 0.4))}px`;
  }

  restorePrefs() {
    try {
      const prefs = JSON.parse(localStorage.getItem(prefsKey) || '{}');
      if (prefs.mode) this.setMode(prefs.mode);
      if (typeof prefs.cwd === 'string') $('cwd').value = prefs.cwd;
      this.preferredAgent = prefs.agent;
    } catch {
      /* no prefs */
    }
  }

  savePrefs() {
    try {
      localStorage.setItem(prefsKey, JSON.stringify({ agent: $('agent').value, mode: this.mode(), cwd: $('cwd').value }));
    } catch {
      /* storage full or off */
    }
  }

  mode() {
    return document.querySelector('input[name="mode"]:checked')?.value || 'build';
  }

  setMode(mode) {
    const radio = document.querySelector(`input[name="mode"][value="${mode === 'plan' ? 'plan' : 'build'}"]`);
    if (radio) radio.checked = true;
  }

  async loadAgents() {
    const select = $('agent');
    let data;
    try {
      if (!this.available) throw new ApiError(404, 'not-loaded', 'the agent plugin is not loaded');
      data = await getJson('/api/agents');
    } catch (e) {
      if (e.status === 401) throw e;
      select.replaceChildren(h('option', { value: '' }, 'no agent plugin'));
      select.disabled = true;
      this.agentError = e.status === 404 ? 'the agent plugin is not loaded - see Plugins' : e.message;
      this.agentsFound();
      return;
    }
    this.agents = data.agents || [];
    const options = this.agents.map((a) =>
      h(
        'option',
        { value: a.id, disabled: !a.found, title: a.found ? a.path : `${a.reason}. ${a.installHint}` },
        a.found ? `${a.name}${a.version ? ` ${a.version.split(' ')[0]}` : ''}` : `${a.name}: not found`,
      ),
    );
    select.replaceChildren(...options);
    const usable = this.agents.filter((a) => a.found);
    const pick =
      usable.find((a) => a.id === this.preferredAgent) || usable.find((a) => a.id === data.default) || usable[0];
    if (pick) select.value = pick.id;
    select.disabled = usable.length === 0;
    this.agentError = usable.length ? '' : 'no agent is installed - see "Agents not found" for how to install one';
    const missing = this.agents.filter((a) => !a.found);
    show($('agents-missing'), missing.length > 0);
    $('agents-missing').querySelector('summary').textContent = `Agents not found (${missing.length})`;
    $('agents-missing-list').replaceChildren(
      ...missing.map((a) =>
        h(
          'li',
          {},
          h('strong', {}, a.name),
          `: ${a.reason || 'not found'}.`,
          a.installHint ? h('span', { class: 'install' }, ` To install: ${a.installHint}.`) : null,
        ),
      ),
    );
    this.describeAgent();
    this.agentsFound();
  }

  agentsFound() {
    this.agentsKnown = true;
    this.summarise();
    if (this.booted) this.sendPending();
  }

  /** Resolves once the conversation being opened is on screen. */
  settled() {
    return this.opening.catch(() => {});
  }

  /** Sends what Enter asked for before the agents were known (see send). */
  sendPending() {
    this.booted = true;
    if (!this.sendWhenKnown || !this.agentsKnown) return;
    this.sendWhenKnown = false;
    this.composerNote('');
    this.send();
  }

  /** Without the agent plugin: say why and how to turn it on, instead of an empty chat. */
  showPluginOff() {
    const p = this.plugin;
    const why = p ? p.reason || `it is ${p.state}` : 'it is not in this build';
    let how = 'See Plugins for its state.';
    if (/\[plugins\] disable/.test(why)) how = 'To turn it on, take "agent" out of [plugins] disable in wildws.ini and restart wildws serve.';
    else if (/enabled = false/.test(why)) how = 'To turn it on, set enabled = true under [plugin.agent] in wildws.ini (or delete the line) and restart wildws serve.';
    else if (/safe mode/.test(why)) how = '';
    const el = $('plugin-off');
    const reason = why.charAt(0).toUpperCase() + why.slice(1);
    el.replaceChildren(
      ...[
        h('strong', {}, 'Chat is off: the agent plugin is not loaded. '),
        `${reason.replace(/\.?$/, '.')} `,
        how,
        p ? null : ' Build wildws with plugins/agent to chat.',
        h('span', { class: 'hint' }, ' Your conversations stay on disk and come back when it is on.'),
      ].filter(Boolean),
    );
    el.hidden = false;
    show($('empty-chat'), false);
    show($('composer'), false);
    show($('chat-settings'), false);
    const empty = $('conversations-empty');
    empty.textContent = 'The agent plugin is off: its conversations are kept on disk.';
    empty.hidden = false;
    $('conv-search').disabled = true;
  }

  agent() {
    return this.agents.find((a) => a.id === $('agent').value);
  }

  describeAgent() {
    const a = this.agent();
    this.signin.show(a);
    $('agent').title = a ? `${a.path}${a.canResume ? '' : ' - cannot resume: every prompt starts fresh'}` : '';
  }

  loadConversations() {
    return this.conversations.load();
  }

  markCurrent() {
    this.conversations.markCurrent();
  }

  setReadOnly(note) {
    this.readOnly = Boolean(note);
    this.transcript.readOnly = this.readOnly;
    show($('composer'), !note);
    show($('chat-settings'), !note);
    show($('replay-note'), Boolean(note));
    $('replay-note').textContent = note || '';
  }

  /** An empty chat, ready for a first prompt. */
  openNew() {
    if (!this.available) return this.showPluginOff();
    this.stopPolling();
    this.view++;
    this.conversationId = null;
    this.setReadOnly('');
    this.transcript.working(0);
    this.transcript.clear();
    show($('empty-chat'), true);
    this.markCurrent();
  }

  /** A past conversation from the server, with its chunks replayed. */
  open(id) {
    this.opening = this.openNow(id);
    return this.opening;
  }

  async openNow(id) {
    if (!this.available) return this.showPluginOff();
    this.stopPolling();
    const running = this.running && this.running.sessionId === id ? this.running : null;
    if (running && running.view === this.view) return; // already on screen, live
    const view = ++this.view;
    this.conversationId = id;
    this.setReadOnly('');
    this.markCurrent();
    let res;
    try {
      res = await request('GET', `/api/chat/sessions/${encodeURIComponent(id)}`);
    } catch (e) {
      if (this.view !== view) return;
      this.transcript.clear();
      show($('empty-chat'), false);
      this.transcript.note(e.status === 404 ? `No conversation '${id}' on this server.` : e.message, 'error');
      return;
    }
    if (this.view !== view) return;
    const t = this.transcript;
    t.clear();
    show($('empty-chat'), false);
    // Replayed in slices: a 100k-line conversation must not freeze the page.
    let meta = null;
    let stored = 0; // chunks of the last turn, for a turn still streaming here
    const wasLive = t.live;
    t.live = false;
    const complete = await readNdjsonSliced(
      res,
      (c) => {
        if (!meta) {
          meta = c;
          return;
        }
        stored = c.type === 'prompt' ? 0 : stored + 1;
        t.add(c);
      },
      { stale: () => this.view !== view, between: () => t.flush() },
    ).catch(() => true);
    t.live = wasLive;
    if (!complete || this.view !== view) return;
    // Prompts still waiting are answerable (the meta line lists them); the
    // others of a replay can no longer be answered.
    const pending = Array.isArray(meta?.pending) ? meta.pending : [];
    t.live = false;
    for (const c of pending) t.add(c);
    t.live = wasLive;
    const open = new Set(pending.map((c) => String(c.requestId)));
    for (const [requestId, card] of t.asks) if (!open.has(requestId) && !(running && this.running === running)) card.close('Not answered before the turn ended.');
    t.flush();
    t.scrollToEnd();
    if (meta && meta.agent && this.agents.some((a) => a.id === meta.agent && a.found)) $('agent').value = meta.agent;
    if (meta && meta.mode) this.setMode(meta.mode);
    if (meta && meta.title) document.title = `${plainTitle(meta.title)} · wildws`;
    this.summarise();
    if (running && this.running === running) {
      // Our own turn, still streaming: the server's copy had `stored` of its
      // chunks; show the rest from what the stream brought, then live again.
      running.view = view;
      running.shown = stored;
      this.transcript.live = true;
      this.showRunning(running);
      this.transcript.working(running.since);
    } else if (meta && meta.running) {
      this.transcript.note('This conversation is still running elsewhere; it refreshes when the turn ends.');
      this.pollTimer = setTimeout(() => this.open(id), 2000);
    }
  }

  /** A recorded support session, read-only. */
  async openSupportSession(id) {
    this.stopPolling();
    show($('plugin-off'), false);
    this.view++;
    this.conversationId = null;
    this.markCurrent();
    this.setReadOnly(`Recorded support session ${id}: a read-only replay`);
    this.transcript.clear();
    show($('empty-chat'), false);
    let chunks;
    try {
      const res = await request('GET', `/api/support/sessions/${encodeURIComponent(id)}`);
      chunks = supportChunks(await res.text());
    } catch (e) {
      this.transcript.note(e.status === 404 ? `No recorded support session '${id}'.` : e.message, 'error');
      return;
    }
    this.transcript.replay(chunks);
    this.transcript.scrollToEnd();
  }

  stopPolling() {
    clearTimeout(this.pollTimer);
    this.pollTimer = 0;
  }

  setRunning(running) {
    this.running = running;
    $('stop').disabled = false;
    $('stop').textContent = 'Stop';
    show($('stop'), Boolean(running));
    $('send').disabled = Boolean(running);
    document.body.classList.toggle('turn-running', Boolean(running));
  }

  async send() {
    if (this.readOnly || this.running) return;
    const promptEl = $('prompt');
    const prompt = promptEl.value;
    if (!prompt.trim()) {
      promptEl.focus();
      return;
    }
    if (!this.agentsKnown) {
      // Enter right after the page showed: say so, and send once the agents are known.
      this.sendWhenKnown = true;
      this.composerNote('Finding your agents… your message is sent as soon as one is found.');
      return;
    }
    const agent = this.agent();
    if (!agent || !agent.found) {
      this.composerNote(this.agentError || 'choose an agent first', 'error');
      return;
    }
    const images = this.images.payload();
    if (images.length && !takesImages(agent)) {
      this.composerNote(`${agent.name} does not take images: remove the image${images.length === 1 ? '' : 's'}, or pick an agent that reads them (Claude).`, 'error');
      return;
    }
    this.composerNote('');
    const body = { prompt, agent: agent.id, mode: this.mode() };
    if (images.length) body.images = images;
    const cwd = $('cwd').value.trim();
    if (cwd) body.cwd = cwd;
    if (this.conversationId) body.sessionId = this.conversationId;
    promptEl.value = '';
    const sentImages = this.images.list;
    this.images.clear();
    this.mentions.close();
    this.autosize();
    show($('empty-chat'), false);
    const t = this.transcript;
    t.live = true;
    t.beginTurn({ text: prompt, agent: agent.id, mode: body.mode, at: Date.now() });
    if (images.length) t.note(`with ${images.length} image${images.length === 1 ? '' : 's'}`);
    const since = Date.now();
    t.working(since);
    t.scrollToEnd();
    // every chunk of this turn is kept, so a return to it shows exactly what came
    const running = { sessionId: this.conversationId, agentId: agent.id, stopping: false, view: this.view, chunks: [], shown: 0, since };
    this.setRunning(running);
    let ended = false;
    try {
      const res = await request('POST', '/api/chat', body);
      await readNdjson(res, (c) => {
        if (c.type === 'start' && c.sessionId) {
          running.sessionId = c.sessionId;
          if (running.view === this.view && this.conversationId !== c.sessionId) {
            this.conversationId = c.sessionId;
            this.navigate(`#/c/${encodeURIComponent(c.sessionId)}`, { replace: true, quiet: true });
          }
          if (running.stopping) this.cancel(c.sessionId);
        }
        if (c.type === 'end') ended = true;
        running.chunks.push(c);
        this.showRunning(running); // unless the owner is looking at something else
      });
      if (!ended && running.view === this.view) t.add({ type: 'error', message: 'the stream ended before the agent finished' });
    } catch (e) {
      if (running.view === this.view) t.add({ type: 'error', message: e instanceof ApiError ? e.message : `the stream broke: ${e.message}` });
      // Refused before it started (bad directory, no agent...): give the prompt back.
      if (e instanceof ApiError && !promptEl.value) {
        promptEl.value = prompt;
        if (sentImages.length && !this.images.list.length) {
          this.images.list = sentImages;
          this.images.render();
        }
      }
    } finally {
      if (running.view === this.view) t.working(0);
      t.flush();
      this.setRunning(null);
      this.loadConversations().catch(() => {});
      if (document.activeElement === document.body || document.activeElement === $('stop')) promptEl.focus();
    }
  }

  showRunning(running) {
    if (running.view !== this.view) return;
    while (running.shown < running.chunks.length) this.transcript.add(running.chunks[running.shown++]);
  }

  /**
   * Stop: an agent that can be interrupted ends the turn and stays live for
   * the next message (POST .../interrupt); any other is cancelled.
   */
  async cancel(sessionId) {
    const agent = this.agents.find((a) => a.id === this.running?.agentId) || this.agent();
    const id = encodeURIComponent(sessionId);
    try {
      if (agent?.capabilities?.interrupt) {
        try {
          await postJson(`/api/chat/${id}/interrupt`, {});
          return;
        } catch (e) {
          if (e.status !== 404 || e.code === 'unknown-session') throw e; // 404 not_found: a server without the route
        }
      }
      await postJson(`/api/chat/${id}/cancel`, {});
    } catch (e) {
      if (e.code !== 'not-running') this.transcript.note(`Stop failed: ${e.message}`, 'error');
    }
  }

  stop() {
    const r = this.running;
    if (!r || r.stopping) return;
    r.stopping = true;
    $('stop').disabled = true;
    $('stop').textContent = 'Stopping…';
    // Without a session id yet, the start line triggers the cancel (see send).
    if (r.sessionId) this.cancel(r.sessionId);
  }
}

/** A recorded support session: NDJSON chunks, or JSON {chunks:[…]} / […]. */
export function supportChunks(text) {
  const trimmed = text.trim();
  if (trimmed.startsWith('[') || (trimmed.startsWith('{') && !trimmed.includes('\n'))) {
    try {
      const v = JSON.parse(trimmed);
      if (Array.isArray(v)) return normaliseSupport(v, null);
      // support_api: {session: summary, header: {type: "task", prompt, ...}, chunks: [...]}
      const header = v.header && typeof v.header === 'object' ? [v.header] : [];
      const list = [...header, ...(v.chunks || [])];
      if (v.truncated) list.push({ type: 'error', message: 'the recording is longer than the server sends; the rest is left out' });
      return normaliseSupport(list, v.session || v);
    } catch {
      /* NDJSON after all */
    }
  }
  return normaliseSupport(parseNdjson(text), null);
}

const CHUNK_TYPES = new Set(['start', 'text', 'thinking', 'tool-use', 'tool-result', 'usage', 'error', 'stderr', 'end', 'permission', 'question', 'permission-resolved']);

// The recording's first line may describe the task (taskId, prompt, startedAt);
// it becomes the turn's heading.
function normaliseSupport(list, head) {
  const out = [];
  let begun = false;
  for (const c of list) {
    if (!c || typeof c !== 'object') continue;
    if (!begun && !CHUNK_TYPES.has(c.type)) {
      out.push({ type: 'prompt', who: 'Support', text: c.prompt || c.taskId || 'support task', agent: c.agent, mode: c.mode, at: c.startedAt || c.at || c.ts });
      begun = true;
      continue;
    }
    if (!begun) {
      out.push({ type: 'prompt', who: 'Support', text: head?.prompt || head?.taskId || 'support task', at: head?.startedAt });
      begun = true;
    }
    out.push(c);
  }
  return out;
}
