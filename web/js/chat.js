// The chat: agent picker, mode, working directory, the prompt box, the
// streamed transcript, Stop, and the list of past conversations.
import { ApiError, getJson, parseNdjson, postJson, readNdjson, request } from './api.js';
import { $, h, show, timeLabel } from './dom.js';
import { Signin } from './signin.js';
import { Transcript } from './transcript.js';

const prefsKey = 'wildws.chat';

export class Chat {
  constructor({ navigate, available }) {
    this.navigate = navigate;
    this.available = available;
    this.transcript = new Transcript($('transcript'));
    this.agents = [];
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
    prompt.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
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
    $('agent').addEventListener('change', () => this.describeAgent());
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
  }

  agent() {
    return this.agents.find((a) => a.id === $('agent').value);
  }

  describeAgent() {
    const a = this.agent();
    this.signin.show(a);
    $('agent').title = a ? `${a.path}${a.canResume ? '' : ' - cannot resume: every prompt starts fresh'}` : '';
  }

  async loadConversations() {
    let data;
    try {
      if (!this.available) throw new ApiError(404, 'not-loaded', 'the agent plugin is not loaded');
      data = await getJson('/api/chat/sessions?limit=200');
    } catch (e) {
      if (e.status === 401) throw e;
      data = { sessions: [] };
    }
    const items = (data.sessions || []).map((s) => {
      const meta = [s.agent, `${s.turns} turn${s.turns === 1 ? '' : 's'}`, timeLabel(s.updatedAt), s.running ? 'running' : ''];
      const link = h(
        'a',
        { href: `#/c/${encodeURIComponent(s.id)}`, 'aria-current': s.id === this.conversationId ? 'page' : null },
        h('span', { class: 'conv-title' }, s.title || '(untitled)'),
        h('span', { class: 'conv-meta' }, meta.filter(Boolean).join(' · ')),
      );
      return h('li', { dataset: { id: s.id } }, link);
    });
    $('conversations').replaceChildren(...items);
    show($('conversations-empty'), items.length === 0);
  }

  markCurrent() {
    for (const a of $('conversations').querySelectorAll('a')) {
      if (a.closest('li').dataset.id === this.conversationId) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    }
  }

  setReadOnly(note) {
    this.readOnly = Boolean(note);
    show($('composer'), !note);
    show($('chat-settings'), !note);
    show($('replay-note'), Boolean(note));
    $('replay-note').textContent = note || '';
  }

  /** An empty chat, ready for a first prompt. */
  openNew() {
    this.stopPolling();
    this.view++;
    this.conversationId = null;
    this.setReadOnly('');
    this.transcript.clear();
    show($('empty-chat'), true);
    this.markCurrent();
  }

  /** A past conversation from the server, with its chunks replayed. */
  async open(id) {
    this.stopPolling();
    const running = this.running && this.running.sessionId === id ? this.running : null;
    if (running && running.view === this.view) return; // already on screen, live
    const view = ++this.view;
    this.conversationId = id;
    this.setReadOnly('');
    this.markCurrent();
    let text;
    try {
      text = await (await request('GET', `/api/chat/sessions/${encodeURIComponent(id)}`)).text();
    } catch (e) {
      this.transcript.clear();
      show($('empty-chat'), false);
      this.transcript.note(e.status === 404 ? `No conversation '${id}' on this server.` : e.message, 'error');
      return;
    }
    if (this.view !== view) return;
    const [meta, ...chunks] = parseNdjson(text);
    this.transcript.clear();
    show($('empty-chat'), false);
    this.transcript.replay(chunks);
    this.transcript.scrollToEnd();
    if (meta && meta.agent && this.agents.some((a) => a.id === meta.agent && a.found)) $('agent').value = meta.agent;
    if (meta && meta.mode) this.setMode(meta.mode);
    if (meta && meta.title) document.title = `${meta.title} · wildws`;
    if (running && this.running === running) {
      // Our own turn, still streaming: the server's copy had `stored` of its
      // chunks; show the rest from what the stream brought, then live again.
      let stored = 0;
      for (const c of chunks) stored = c.type === 'prompt' ? 0 : stored + 1;
      running.view = view;
      running.shown = stored;
      this.transcript.live = true;
      this.showRunning(running);
    } else if (meta && meta.running) {
      this.transcript.note('This conversation is still running elsewhere; it refreshes when the turn ends.');
      this.pollTimer = setTimeout(() => this.open(id), 2000);
    }
  }

  /** A recorded support session, read-only. */
  async openSupportSession(id) {
    this.stopPolling();
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
    const agent = this.agent();
    if (!agent || !agent.found) {
      this.transcript.note(this.agentError || 'choose an agent first', 'error');
      return;
    }
    const body = { prompt, agent: agent.id, mode: this.mode() };
    const cwd = $('cwd').value.trim();
    if (cwd) body.cwd = cwd;
    if (this.conversationId) body.sessionId = this.conversationId;
    promptEl.value = '';
    this.autosize();
    show($('empty-chat'), false);
    const t = this.transcript;
    t.live = true;
    t.beginTurn({ text: prompt, agent: agent.id, mode: body.mode, at: Date.now() });
    t.scrollToEnd();
    // every chunk of this turn is kept, so a return to it shows exactly what came
    const running = { sessionId: this.conversationId, stopping: false, view: this.view, chunks: [], shown: 0 };
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
      if (e instanceof ApiError && !promptEl.value) promptEl.value = prompt;
    } finally {
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

  async cancel(sessionId) {
    try {
      await postJson(`/api/chat/${encodeURIComponent(sessionId)}/cancel`, {});
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

const CHUNK_TYPES = new Set(['start', 'text', 'thinking', 'tool-use', 'tool-result', 'usage', 'error', 'stderr', 'end']);

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
