// The prompts of support's agent in the support banner: a tier-3 support task
// runs the owner's agent, and what it asks to do (a tool, a question) waits
// for the owner here. The list is `operate.pending` of GET /api/support/status
// (kept current by the support-operate events), so it survives a reload and
// shows in every tab; a prompt answered elsewhere, withdrawn, timed out or
// ended with its task leaves the list and its card goes. Each card is the
// chat's own AskCard (asks.js), answered with
// POST /api/support/operate/permissions/:requestId (the chat route's body).
import { postJson } from './api.js';
import { AskCard } from './asks.js';
import { countdownLabel, h } from './dom.js';
import { timeMs } from './text.js';

// A card whose answer was refused (404 / 409) stays this long after its
// prompt left the list, so the owner can read why.
const KEEP_FAILED_MS = 10000;
const NOTE_MS = 12000;

const ERRORS = {
  'already-answered': 'Not sent: this prompt was already answered (in another tab, or denied when its time ran out).',
  'unknown-request': 'Not sent: this prompt is no longer waiting (the support task ended, or its agent withdrew it).',
};

/** The AskCard's view of a pending entry {requestId, kind, tool, title, input, taskId, askedAt, deadline}. */
export function chunkOf(p) {
  const input = p.input && typeof p.input === 'object' ? p.input : {};
  const question = p.kind === 'question';
  return {
    type: question ? 'question' : 'permission',
    requestId: String(p.requestId || ''),
    tool: p.tool || '',
    title: question ? '' : p.title || '',
    input,
    questions: question && Array.isArray(input.questions) ? input.questions : [],
  };
}

/** "✓ You allowed Bash once" and the like: what this page sent, in words. */
export function answeredLabel(prompt, body, taskId) {
  const task = taskId ? ` (task ${taskId})` : '';
  const tool = prompt.tool;
  if (prompt.kind === 'question') return body.decision === 'allow' ? `✓ You answered support's agent${task}.` : `✗ You declined the question of support's agent${task}.`;
  if (body.decision === 'allow') return `✓ You allowed ${tool || 'the tool'} ${body.scope === 'session' ? 'for the rest of this task' : 'once'}${task}.`;
  return `✗ You denied ${tool || 'the tool'}${body.message ? `: ${body.message}` : ''}${task}.`;
}

/** What operate.resolved says became of a prompt this page did not answer; '' when it does not know. */
export function resolvedNote(prompt, r, taskId) {
  if (!r) return '';
  const task = taskId ? ` (task ${taskId})` : '';
  const thing = prompt.kind === 'question' ? "Support's agent's question" : prompt.tool || 'The tool';
  const how = prompt.kind === 'question'
    ? r.decision === 'allow' ? 'was answered' : 'was declined'
    : r.decision === 'allow' ? `was allowed ${r.scope === 'session' ? 'for the rest of the task' : 'once'}` : 'was denied';
  switch (r.by) {
    case 'owner': return `${r.decision === 'allow' ? '✓' : '✗'} ${thing} ${how} elsewhere (another tab or \`wildws support answer\`)${task}.`;
    case 'timeout': return `✗ ${thing} was denied: nobody answered in time${task}.`;
    case 'agent': return `${thing} no longer waits: the agent withdrew it${task}.`;
    case 'grant': return `✓ ${thing} ${how} by the tier 4 grant${task}.`;
    case 'interrupt':
    case 'cancel': return `✗ ${thing} was denied: the support task was stopped${task}.`;
    default: return `${thing} ${how} (by ${r.by})${task}.`;
  }
}

export class SupportAsks {
  /**
   * root: the cards' container; note: a role=status line for what happened
   * to a prompt; onChange(): the status should be read again (after an
   * answer); onAsk(prompt): a new prompt arrived (the tab's title says so).
   */
  constructor({ root, note, onChange, onAsk }) {
    this.root = root;
    this.note = note;
    this.onChange = onChange;
    this.onAsk = onAsk;
    this.cards = new Map(); // requestId -> {card, prompt, taskId, countdown, gone: {ended} once off the list, keepUntil}
    this.offset = 0; // the server's clock minus this one (ms): deadlines are the server's
    this.noteTimer = 0;
    this.seen = false; // the first list is what was waiting before this page looked: no alert for it
    this.resolved = new Map(); // requestId -> {decision, scope, by} of operate.resolved
  }

  get size() {
    return this.cards.size;
  }

  /** The server's clock, from a fresh status of a live grant (expiresAt - remainingMs is its now). */
  syncClock(status) {
    const expiresAt = timeMs(status && status.expiresAt);
    if (status && status.enabled && expiresAt && Number.isFinite(status.remainingMs)) this.offset = expiresAt - status.remainingMs - Date.now();
  }

  /**
   * Shows `pending` (operate.pending; [] when no task runs). `ended`: the task
   * is over. `resolved` (operate.resolved): how the prompts that left the list
   * ended, so a vanished card can say so.
   */
  update(pending, { taskId = '', ended = false, resolved = [] } = {}) {
    for (const r of Array.isArray(resolved) ? resolved : []) if (r && r.requestId) this.resolved.set(String(r.requestId), r);
    const ids = new Set(pending.map((p) => String(p.requestId || '')));
    for (const [id, entry] of this.cards) {
      if (ids.has(id)) continue;
      entry.gone = { ended };
      this.settle(id);
    }
    for (const p of pending) {
      const id = String(p.requestId || '');
      const known = this.cards.get(id);
      if (known && !known.keepUntil) known.gone = null; // back on the list (a refused answer of a question)
      if (!id || known) continue;
      this.add(p, taskId || p.taskId || '');
    }
    this.seen = true;
    this.root.hidden = this.cards.size === 0;
    this.tick();
  }

  add(p, taskId) {
    const c = chunkOf(p);
    const countdown = h('span', { class: 'ask-deadline' });
    const context = h('p', { class: 'ask-task' }, 'Support task ', h('strong', { class: 'ask-task-id' }, taskId || '(unnamed)'), p.deadline ? countdown : null);
    const card = new AskCard(c, {
      decide: (requestId, body) => this.decide(requestId, body),
      who: "Support's agent",
      scopeLabel: 'this task',
      context,
      errorText: (e) => ERRORS[e.code] || `Not sent: ${e.message}`,
    });
    card.el.classList.add('support-ask');
    this.cards.set(c.requestId, { card, prompt: p, taskId, countdown });
    this.root.append(card.el);
    const what = c.type === 'question' ? 'has a question' : `asks to use ${c.tool || 'a tool'}`;
    if (this.seen) {
      this.say(`Support's agent ${what} (task ${taskId}).`, { visible: false }); // the card shows it: for a screen reader
      this.onAsk?.(c.type === 'question' ? `a question of support's agent (task ${taskId})` : `${c.tool || 'a tool'} (support task ${taskId})`);
    }
  }

  async decide(requestId, body) {
    try {
      return await postJson(`/api/support/operate/permissions/${encodeURIComponent(requestId)}`, body);
    } finally {
      this.onChange?.(); // the list changed (or, after a 404/409, is stale): read it again
      // once the card has taken the answer in (answered, or refused)
      setTimeout(() => {
        this.tick(); // a refused card drops its countdown at once
        if (this.cards.get(requestId)?.gone) this.settle(requestId);
      }, 0);
    }
  }

  /** A prompt left the server's list: its card goes, unless this page's answer is still on its way or was refused. */
  settle(id) {
    const entry = this.cards.get(id);
    if (!entry || entry.keepUntil) return;
    if (entry.card.sending) return; // decide() settles it once the answer is back
    if (entry.card.failed) {
      // its error line explains what happened: keep the card a little longer
      entry.keepUntil = Date.now() + KEEP_FAILED_MS;
      setTimeout(() => this.drop(id), KEEP_FAILED_MS);
      return;
    }
    this.drop(id, this.goneNote(entry, entry.gone.ended, Date.now()));
  }

  /** What to say when a prompt leaves the list. */
  goneNote({ card, prompt, taskId }, ended, now) {
    if (card.answered) return answeredLabel(prompt, card.answered, taskId);
    const what = prompt.kind === 'question' ? "Support's agent's question" : prompt.tool || 'The prompt';
    const known = resolvedNote(prompt, this.resolved.get(String(prompt.requestId || '')), taskId);
    if (known) return known;
    // past its deadline the server denied it (a second's slack: this page's idea of the server's clock is a read's latency late)
    const deadline = timeMs(prompt.deadline);
    if (deadline && now + this.offset >= deadline - 1000) return `✗ ${prompt.kind === 'question' ? 'The question' : prompt.tool || 'The tool'} was denied: nobody answered in time.`;
    // the task's end clears its prompts: seen together, an answer from another tab and the end look the same
    if (ended) return `${what} no longer waits: it was answered in another tab, or its support task ${taskId} ended.`;
    return `${what} no longer waits: it was answered in another tab, or the agent withdrew it.`;
  }

  drop(id, note) {
    const entry = this.cards.get(id);
    if (!entry) return;
    this.cards.delete(id);
    const hadFocus = entry.card.el.contains(document.activeElement) || (entry.card.answered && document.activeElement === document.body);
    entry.card.el.remove();
    if (note) this.say(note);
    this.root.hidden = this.cards.size === 0;
    if (hadFocus) {
      // the keyboard carries on with the next prompt, or lands on what happened
      const next = this.root.querySelector('.ask-controls button:not(:disabled)');
      if (next) next.focus();
      else if (this.note.textContent) this.note.focus();
    }
  }

  /** A line in the banner's live region; `visible: false` only for a screen reader. */
  say(text, { visible = true } = {}) {
    clearTimeout(this.noteTimer);
    this.note.classList.toggle('visually-hidden', !visible);
    this.note.textContent = text;
    this.noteTimer = setTimeout(() => {
      if (this.note.textContent === text) this.note.textContent = '';
    }, NOTE_MS);
  }

  /** The time left before each prompt is denied on its own ([plugin.support_api] approval_seconds). */
  tick() {
    const now = Date.now() + this.offset;
    for (const { card, prompt, countdown } of this.cards.values()) {
      const deadline = timeMs(prompt.deadline);
      if (!deadline || card.answered || card.failed) {
        if (countdown.textContent) countdown.textContent = '';
        continue;
      }
      // never more than the server's window (a clock read a moment late would show 2:01 of 2:00)
      const askedAt = timeMs(prompt.askedAt);
      const span = askedAt ? deadline - askedAt : Infinity;
      const label = ` · denied in ${countdownLabel(Math.min(deadline - now, span))} unless you answer`;
      if (countdown.textContent !== label) countdown.textContent = label;
    }
  }
}
