// Renders a conversation's chunks into the transcript, live or replayed.
// Chunk types (plugins/agent): prompt (stored turns), start, text, thinking,
// tool-use, tool-result, usage, error, stderr, end, and the agent asking:
// permission, question, permission-resolved (asks.js).
import { AskCard } from './asks.js';
import { copyText } from './clipboard.js';
import { decorateCodeBlocks } from './codeblocks.js';
import { fileChangeView } from './diff.js';
import { h, durationLabel, timeLabel } from './dom.js';
import { renderMarkdown } from './markdown.js';

// A text block is re-parsed as it grows; past this size (and outside a code
// fence) it is frozen and the next text starts a new block, so a long answer
// costs linear time, not quadratic.
const BLOCK_LIMIT = 8 * 1024;
// ... and past this many lines: a block's first layout (when it scrolls into
// view) stays short even for an answer of a hundred thousand short lines.
const BLOCK_LINES = 200;
const FENCE = /^ {0,3}(```|~~~)/;
const LINE_PX = 22.5; // body line height (15px × 1.5), for size estimates

class TextBlock {
  constructor(parent) {
    this.el = h('div', { class: 'md' });
    parent.append(this.el);
    this.src = '';
    this.fences = 0;
    this.lines = 0;
    this.rendered = '';
  }
  add(text) {
    this.src += (this.src ? '\n' : '') + text;
    for (const line of text.split('\n')) {
      this.lines++;
      if (FENCE.test(line)) this.fences++;
    }
  }
  full() {
    return (this.src.length >= BLOCK_LIMIT || this.lines >= BLOCK_LINES) && this.fences % 2 === 0;
  }
  render() {
    if (this.rendered === this.src) return;
    this.rendered = this.src;
    // Off screen a block is skipped (content-visibility) and takes this
    // height until it has been laid out once: close to the real one, so the
    // scroll height does not jump as blocks come into view.
    this.el.style.containIntrinsicSize = `auto ${Math.round(this.lines * LINE_PX)}px`;
    this.el.replaceChildren(renderMarkdown(this.src));
    if (this.fences) decorateCodeBlocks(this.el);
  }
}

function usageLabel(c) {
  const parts = [];
  if (typeof c.cost === 'number') parts.push(`$${c.cost < 0.01 ? c.cost.toFixed(4) : c.cost.toFixed(2)}`);
  if (typeof c.tokens === 'number') parts.push(`${c.tokens.toLocaleString('en-US')} tokens`);
  if (typeof c.durationMs === 'number') parts.push(durationLabel(c.durationMs));
  return parts.join(' · ');
}

function prettyInput(input) {
  if (input === undefined || input === null) return '';
  if (typeof input === 'string') return input;
  try {
    return JSON.stringify(input, null, 2);
  } catch {
    return String(input);
  }
}

/** One-line summary of a tool's input for the collapsed card. */
function inputHint(input) {
  if (!input || typeof input !== 'object') return '';
  for (const key of ['command', 'file_path', 'path', 'pattern', 'url', 'description', 'query']) {
    if (typeof input[key] === 'string' && input[key]) return input[key].split('\n')[0].slice(0, 80);
  }
  return '';
}

const COMMAND_TOOLS = new Set(['Bash', 'shell', 'BashOutput', 'exec_command']);

/** "exit 2" from a command result, when the agent said (codex does; Claude only says failed). */
function exitStatus(c) {
  const m = /^exit (-?\d+)$/.exec(String(c.summary ?? '').trim());
  if (m) return Number(m[1]);
  return typeof c.exitCode === 'number' ? c.exitCode : null;
}

/**
 * A transcript in `root`. `live` turns announce errors and keep the view
 * scrolled to the bottom while the reader is there.
 */
export class Transcript {
  constructor(root, { onRetry, onEdit, decide, onAsk } = {}) {
    this.root = root;
    this.onRetry = onRetry;
    this.onEdit = onEdit;
    this.decide = decide; // (requestId, body) => Promise: answers a prompt of the agent
    this.onAsk = onAsk; // (chunk) => void: a live prompt arrived
    this.asks = new Map(); // requestId -> AskCard
    this.readOnly = false;
    this.turn = null;
    this.dirty = new Set();
    this.frame = 0;
    this.live = false;
    // Whether the reader is at the bottom, kept up to date by scroll events so
    // adding a chunk never forces a layout just to ask.
    this.pinned = true;
    root.addEventListener('scroll', () => {
      this.pinned = this.atBottom();
    }, { passive: true });
  }

  clear() {
    this.working(0);
    this.asks.clear();
    for (const el of [...this.root.children]) if (el.id !== 'empty-chat') el.remove();
    this.turn = null;
    this.dirty.clear();
  }

  atBottom() {
    const r = this.root;
    return r.scrollHeight - r.scrollTop - r.clientHeight < 80;
  }

  scrollToEnd() {
    this.root.scrollTop = this.root.scrollHeight;
    this.pinned = true;
  }

  /** Starts a turn: the owner's prompt (or support's task) and an answer area. */
  beginTurn({ text, agent, mode, at, who = 'You' }) {
    const meta = [who, agent, mode, at ? timeLabel(at) : ''].filter(Boolean).join(' · ');
    const answer = h('div', { class: 'answer' });
    const turn = { answer, block: null, blocks: [], thinking: null, stderr: null, tools: [], ended: false, prompt: text || '', who };
    const own = who === 'You';
    const actions = h(
      'div',
      { class: 'turn-actions' },
      h('button', { type: 'button', class: 'small copy-answer', onclick: (e) => copyText(this.answerText(turn), e.currentTarget) }, 'Copy answer'),
      own && this.onRetry ? h('button', { type: 'button', class: 'small retry', onclick: () => this.onRetry(turn.prompt) }, 'Retry') : null,
      own && this.onEdit ? h('button', { type: 'button', class: 'small edit', onclick: () => this.onEdit(turn.prompt) }, 'Edit and resend') : null,
    );
    turn.el = h(
      'article',
      { class: 'turn' },
      h('div', { class: 'prompt' }, h('p', { class: 'who' }, meta), h('p', { class: 'prompt-text' }, text || '')),
      answer,
      actions,
    );
    this.root.append(turn.el);
    this.turn = turn;
    return turn;
  }

  /** The answer's words as the agent wrote them (Markdown source). */
  answerText(turn) {
    return turn.blocks.map((b) => b.src).join('\n\n');
  }

  /** "Working… 12 s" under the running turn; `since` a Date.now(), 0 to remove it. */
  working(since) {
    clearInterval(this.workingTimer);
    this.workingEl?.remove();
    this.workingEl = null;
    if (!since || !this.turn) return;
    const label = h('span', { class: 'working-time' });
    this.workingEl = h('p', { class: 'working', role: 'status' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), 'Working… ', label);
    const tick = () => {
      label.textContent = durationLabel(Math.floor((Date.now() - since) / 1000) * 1000).replace(/^\d+ ms$/, '0 s');
    };
    tick();
    this.turn.el.insertBefore(this.workingEl, this.turn.answer.nextSibling);
    this.workingTimer = setInterval(tick, 1000);
  }

  ensureTurn() {
    if (!this.turn) this.beginTurn({ text: '', who: 'Earlier' });
    return this.turn;
  }

  note(text, cls = 'notice') {
    const t = this.ensureTurn();
    t.block = null;
    t.answer.append(h('p', { class: cls }, text));
  }

  /** Adds one chunk; rendering of Markdown waits for the next frame. */
  add(c) {
    if (!c || typeof c !== 'object') return;
    const stick = this.live && this.pinned;
    switch (c.type) {
      case 'prompt':
        this.beginTurn({ text: c.text, agent: c.agent, mode: c.mode, at: c.at, who: c.who || 'You' });
        if (c.notice) this.note(c.notice);
        break;
      case 'start':
        this.ensureTurn().sessionId = c.sessionId;
        if (c.notice && this.live) this.note(c.notice);
        break;
      case 'text': {
        const t = this.ensureTurn();
        t.thinking = null;
        t.stderr = null;
        if (t.block && t.block.full()) {
          t.block.render();
          this.dirty.delete(t.block);
          t.block = null;
        }
        if (!t.block) {
          t.block = new TextBlock(t.answer);
          t.blocks.push(t.block);
        }
        t.block.add(String(c.text ?? ''));
        this.dirty.add(t.block);
        this.schedule();
        break;
      }
      case 'thinking': {
        const t = this.ensureTurn();
        t.block = null;
        t.stderr = null;
        if (!t.thinking) {
          t.thinking = h('pre', { class: 'pre' });
          t.answer.append(h('details', { class: 'thinking' }, h('summary', {}, 'Thinking'), t.thinking));
        }
        t.thinking.append((t.thinking.firstChild ? '\n\n' : '') + String(c.text ?? ''));
        break;
      }
      case 'tool-use': {
        const t = this.ensureTurn();
        t.block = null;
        t.thinking = null;
        t.stderr = null;
        const name = String(c.name || 'tool');
        const status = h('span', { class: 'tool-status' }, 'running');
        const result = h('div', { class: 'tool-result', hidden: true });
        const change = fileChangeView(name, c.input);
        const command = COMMAND_TOOLS.has(name) && typeof c.input?.command === 'string';
        let card;
        if (change) {
          const stats = change.stats ? h('span', { class: 'diff-stats' }, h('span', { class: 'add' }, `+${change.stats.add}`), ' ', h('span', { class: 'del' }, `−${change.stats.del}`)) : null;
          card = h(
            'details',
            { class: 'tool file-change' },
            h('summary', {}, h('span', { class: 'tool-name' }, name), h('span', { class: 'tool-hint' }, change.file), stats, status),
            change.note ? h('p', { class: 'label' }, change.note) : null,
            change.body,
            result,
          );
        } else if (command) {
          card = h(
            'details',
            { class: 'tool command' },
            h('summary', {}, h('span', { class: 'tool-name' }, name), h('code', { class: 'tool-hint' }, `$ ${c.input.command.split('\n')[0].slice(0, 120)}`), status),
            c.input.command.includes('\n') || c.input.command.length > 120 ? h('pre', { class: 'pre' }, c.input.command) : null,
            c.input.description ? h('p', { class: 'label' }, c.input.description) : null,
            result,
          );
        } else {
          const hint = inputHint(c.input);
          card = h(
            'details',
            { class: 'tool' },
            h('summary', {}, h('span', { class: 'tool-name' }, name), hint ? h('span', { class: 'tool-hint' }, hint) : null, status),
            h('p', { class: 'label' }, 'Input'),
            h('pre', { class: 'pre' }, prettyInput(c.input)),
            result,
          );
        }
        t.answer.append(card);
        t.tools.push({ card, status, result, command });
        break;
      }
      case 'tool-result': {
        const t = this.ensureTurn();
        const tool = t.tools.shift();
        if (!tool) {
          this.note(`${c.ok === false ? '✗' : '✓'} ${c.summary || ''}`, c.ok === false ? 'error' : 'notice');
          break;
        }
        const code = tool.command ? exitStatus(c) : null;
        if (code !== null) tool.status.textContent = code === 0 ? '✓ exit 0' : `✗ exit ${code}`;
        else if (tool.command) tool.status.textContent = c.ok === false ? '✗ failed (non-zero exit)' : '✓ done';
        else tool.status.textContent = c.ok === false ? '✗ failed' : '✓ done';
        tool.card.classList.add(c.ok === false ? 'failed' : 'ok');
        tool.result.hidden = false;
        const summary = String(c.summary ?? '');
        const lines = summary ? summary.split('\n').length : 0;
        tool.result.append(
          h('p', { class: 'label' }, tool.command ? `Output${lines ? ` (${lines} line${lines === 1 ? '' : 's'})` : ': none'}` : 'Result'),
          summary && !(tool.command && code !== null && /^exit -?\d+$/.test(summary.trim())) ? h('pre', { class: 'pre' }, summary) : null,
        );
        break;
      }
      case 'permission':
      case 'question': {
        const id = String(c.requestId || '');
        if (!id || this.asks.has(id)) break; // a prompt replayed twice (stored + pending)
        const t = this.ensureTurn();
        t.block = null;
        t.thinking = null;
        t.stderr = null;
        const card = new AskCard(c, { decide: this.decide });
        this.asks.set(id, card);
        t.answer.append(card.el);
        if (this.readOnly) card.close('Asked during this session (a read-only replay).');
        else if (this.live) this.onAsk?.(c);
        break;
      }
      case 'permission-resolved': {
        const card = this.asks.get(String(c.requestId || ''));
        if (card) card.resolve(c);
        break;
      }
      case 'usage': {
        const label = usageLabel(c);
        if (label) this.note(label, 'usage');
        break;
      }
      case 'error': {
        const t = this.ensureTurn();
        t.block = null;
        const p = h('p', { class: 'error' }, `⚠ ${c.message || 'the agent failed'}`);
        if (this.live) p.setAttribute('role', 'alert');
        t.answer.append(p);
        break;
      }
      case 'stderr': {
        const t = this.ensureTurn();
        t.block = null;
        if (!t.stderr) {
          t.stderr = h('pre', { class: 'pre' });
          t.stderrCount = 0;
          t.stderrSummary = h('summary', {}, 'stderr');
          t.answer.append(h('details', { class: 'stderr' }, t.stderrSummary, t.stderr));
        }
        t.stderrCount++;
        t.stderrSummary.textContent = `stderr (${t.stderrCount} line${t.stderrCount === 1 ? '' : 's'})`;
        t.stderr.append((t.stderr.firstChild ? '\n' : '') + String(c.text ?? ''));
        break;
      }
      case 'end': {
        const t = this.ensureTurn();
        t.ended = true;
        for (const tool of t.tools) tool.status.textContent = 'no result';
        t.tools = [];
        if (c.reason && c.reason !== 'completed')
          this.note(`Ended: ${c.reason}${typeof c.code === 'number' && c.code !== 0 ? ` (exit ${c.code})` : ''}`, 'ended');
        t.block = null;
        break;
      }
      default:
        break; // unknown chunk types are not part of the transcript
    }
    if (stick) this.scheduleScroll();
  }

  schedule() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.flush();
    });
  }

  scheduleScroll() {
    this.wantScroll = true;
    this.schedule();
  }

  /** Renders every block changed since the last frame. */
  flush() {
    if (this.frame) {
      cancelAnimationFrame(this.frame);
      this.frame = 0;
    }
    for (const b of this.dirty) b.render();
    this.dirty.clear();
    if (this.wantScroll) {
      this.wantScroll = false;
      this.scrollToEnd();
    }
  }

  /** Replays stored chunks at once (no live announcements). */
  replay(chunks) {
    const live = this.live;
    this.live = false;
    for (const c of chunks) this.add(c);
    this.flush();
    this.live = live;
  }
}
