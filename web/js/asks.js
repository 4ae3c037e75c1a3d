// The agent asking the owner (plugins/agent chunks `permission`, `question`,
// `permission-resolved`): an inline card per prompt in the transcript.
//   permission: the tool, its command or file (with the diff), and Allow once /
//               Allow for this chat / Deny with an optional reason;
//   question:   each question with its options as buttons (checkboxes when
//               several may be picked), answered with {answers: {question: label}}.
// `decide(requestId, body)` posts the answer (POST /api/chat/:id/permissions/:requestId,
// or the support banner's POST /api/support/operate/permissions/:requestId)
// and rejects with the server's error, shown on the card. The words that name
// who asks and what "session" means are options, so the chat and the support
// banner (support-asks.js) share this one card.
import { fileChangeView } from './diff.js';
import { h } from './dom.js';

const BY = { owner: 'you', timeout: 'timeout', agent: 'the agent (withdrawn or ended)', interrupt: 'Stop', cli: 'the terminal' };

function what(c) {
  const input = c.input && typeof c.input === 'object' ? c.input : {};
  const change = fileChangeView(c.tool, input);
  if (change) return [h('p', { class: 'ask-what' }, h('code', {}, change.file)), change.body];
  if (typeof input.command === 'string') return [h('pre', { class: 'pre ask-command' }, input.command)];
  const path = input.file_path || input.path || input.url || input.pattern;
  if (typeof path === 'string') return [h('p', { class: 'ask-what' }, h('code', {}, path))];
  const text = JSON.stringify(input, null, 2);
  return text && text !== '{}' ? [h('pre', { class: 'pre' }, text)] : [];
}

// 404 unknown-request / 409 already-answered: nothing here can answer it any more.
const FINAL = new Set(['unknown-request', 'already-answered']);

export class AskCard {
  /**
   * c: the permission or question chunk. Options:
   *   decide(requestId, body) => Promise   posts the answer
   *   who        who asks, in words ('The agent')
   *   scopeLabel what Allow with scope "session" covers ('this chat')
   *   context    nodes shown under the title (e.g. the support task's name)
   *   errorText(e) => string   the card's line for a failed answer
   */
  constructor(c, { decide, who = 'The agent', scopeLabel = 'this chat', context = null, errorText = null }) {
    this.requestId = String(c.requestId || '');
    this.decide = decide;
    this.scopeLabel = scopeLabel;
    this.errorText = errorText || ((e) => (e.code === 'already-answered' ? 'It was already answered.' : e.message));
    this.failed = ''; // the error code of an answer that can never be sent (FINAL)
    this.error = h('p', { class: 'error', role: 'alert', hidden: true });
    this.status = h('p', { class: 'ask-status', role: 'status' });
    this.controls = h('div', { class: 'ask-controls' });
    const isQuestion = c.type === 'question';
    this.el = h(
      'section',
      { class: `ask ${isQuestion ? 'question' : 'permission'}`, dataset: { requestId: this.requestId }, 'aria-label': isQuestion ? `${who} asks you` : `${who} asks to use ${c.tool || 'a tool'}` },
      h('p', { class: 'ask-title' }, isQuestion ? `${who} asks you` : [h('strong', {}, `Allow ${c.tool || 'this tool'}?`), c.title ? ` ${c.title}` : '']),
      context,
      ...(isQuestion ? [] : what(c)),
      this.controls,
      this.status,
      this.error,
    );
    if (isQuestion) this.questionControls(Array.isArray(c.questions) ? c.questions : []);
    else this.permissionControls();
  }

  permissionControls() {
    const reason = h('input', { type: 'text', class: 'ask-reason', maxlength: '500', placeholder: 'Reason (optional, sent with Deny)', 'aria-label': 'Reason for a deny' });
    const send = (body) => this.answer(body);
    const deny = () => send({ decision: 'deny', ...(reason.value.trim() ? { message: reason.value.trim() } : {}) });
    // Enter in the reason denies with it (the keyboard's way to the Deny beside it)
    reason.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.isComposing) {
        e.preventDefault();
        deny();
      }
    });
    this.controls.append(
      h('button', { type: 'button', class: 'primary small ask-allow', onclick: () => send({ decision: 'allow', scope: 'once' }) }, 'Allow once'),
      h('button', { type: 'button', class: 'small ask-allow-session', onclick: () => send({ decision: 'allow', scope: 'session' }) }, `Allow for ${this.scopeLabel}`),
      h('button', { type: 'button', class: 'danger small ask-deny', onclick: deny }, 'Deny'),
      reason,
    );
  }

  questionControls(questions) {
    const picked = new Map(); // question -> Set of labels
    const submit = h('button', { type: 'button', class: 'primary small ask-submit', hidden: true }, 'Send answers');
    const complete = () => questions.every((q) => picked.get(q.question)?.size);
    const body = () => ({ decision: 'allow', answers: Object.fromEntries(questions.map((q) => [q.question, [...picked.get(q.question)].join(', ')])) });
    questions.forEach((q, qi) => {
      const group = h('fieldset', { class: 'ask-question' }, h('legend', {}, q.header ? h('span', { class: 'ask-header' }, `${q.header}: `) : null, q.question || ''));
      for (const o of Array.isArray(q.options) ? q.options : []) {
        const label = String(o?.label ?? '');
        if (q.multiSelect) {
          const box = h('input', { type: 'checkbox', name: `q${qi}`, value: label });
          box.addEventListener('change', () => {
            const set = picked.get(q.question) || new Set();
            if (box.checked) set.add(label);
            else set.delete(label);
            picked.set(q.question, set);
            submit.disabled = !complete();
          });
          group.append(h('label', { class: 'ask-option' }, box, ` ${label}`, o?.description ? h('span', { class: 'hint' }, ` ${o.description}`) : null));
        } else {
          group.append(
            h('button', { type: 'button', class: 'small ask-option', title: o?.description || null, onclick: (e) => {
              picked.set(q.question, new Set([label]));
              for (const t of group.querySelectorAll('.ask-text')) t.value = '';
              for (const b of group.querySelectorAll('button')) b.setAttribute('aria-pressed', String(b === e.currentTarget));
              if (questions.length === 1) this.answer(body());
              else submit.disabled = !complete();
            } }, label),
          );
        }
      }
      // Free text: a question with no options (codex's free-form ones), or
      // one that also takes an answer of the owner's own (isOther).
      const options = Array.isArray(q.options) ? q.options : [];
      if (!options.length || q.isOther) {
        const text = h('input', {
          type: q.isSecret ? 'password' : 'text', class: 'ask-text', maxlength: 2000, autocomplete: 'off',
          'aria-label': options.length ? `Another answer to: ${q.question || 'the question'}` : `Your answer to: ${q.question || 'the question'}`,
          placeholder: options.length ? 'Or type another answer' : 'Type your answer',
        });
        text.addEventListener('input', () => {
          for (const b of group.querySelectorAll('button')) b.setAttribute('aria-pressed', 'false');
          if (text.value.trim()) picked.set(q.question, new Set([text.value.trim()]));
          else picked.delete(q.question);
          submit.disabled = !complete();
        });
        text.addEventListener('keydown', (e) => {
          if (e.key === 'Enter' && !e.isComposing && complete()) {
            e.preventDefault();
            this.answer(body());
          }
        });
        group.append(text);
      }
      this.controls.append(group);
    });
    const freeText = questions.some((q) => !(Array.isArray(q.options) && q.options.length) || q.isOther);
    if (questions.length > 1 || freeText || questions.some((q) => q.multiSelect)) {
      submit.hidden = false;
      submit.disabled = true;
      submit.addEventListener('click', () => this.answer(body()));
      this.controls.append(submit);
    }
    this.controls.append(h('button', { type: 'button', class: 'danger small ask-deny', onclick: () => this.answer({ decision: 'deny' }) }, 'Decline'));
  }

  async answer(body) {
    this.error.hidden = true;
    for (const b of this.controls.querySelectorAll('button, input')) b.disabled = true;
    this.status.textContent = 'Sending…';
    this.sending = body; // in flight: the prompt may leave the server's list before the answer comes back
    try {
      await this.decide(this.requestId, body);
      this.answered = body; // what this page sent (the support banner says so once the prompt is gone)
      // the stream's permission-resolved may have come first: it says more
      if (!this.resolved) this.status.textContent = body.decision === 'allow' ? 'Answered: allowed' : 'Answered: denied';
      return true;
    } catch (e) {
      this.status.textContent = '';
      this.error.textContent = this.errorText(e);
      this.error.hidden = false;
      if (FINAL.has(e.code)) this.failed = e.code;
      else for (const b of this.controls.querySelectorAll('button, input')) b.disabled = false;
      return false;
    } finally {
      this.sending = null;
    }
  }

  /** The prompt was settled (by the owner here or elsewhere, a timeout, Stop...). */
  resolve(c) {
    this.resolved = true;
    this.controls.remove();
    this.el.classList.add('resolved', c.decision === 'allow' ? 'allowed' : 'denied');
    const scope = c.decision === 'allow' ? (c.scope === 'session' ? ` for ${this.scopeLabel}` : ' once') : '';
    const by = BY[c.by] || c.by || '';
    this.status.textContent = `${c.decision === 'allow' ? '✓ Allowed' : '✗ Denied'}${scope}${by ? ` by ${by}` : ''}${c.message ? `: ${c.message}` : ''}`;
  }

  /** Nothing can answer it any more (a replay of a finished turn). */
  close(note) {
    if (this.resolved) return;
    this.controls.remove();
    this.status.textContent = note;
  }
}
