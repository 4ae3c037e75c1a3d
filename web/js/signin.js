// Signing an agent in from the page (issue 18): under the agent picker,
// "Claude Code — not signed in · Sign in" before the owner types anything;
// Sign in runs the agent's own sign-in on the server (POST
// /api/agents/:id/login, NDJSON url / prompt / output / end), opens the link
// in a new tab, shows a code box when the CLI asks for a code (POST
// .../login/code), Cancel stops it (DELETE), and the status turns green
// once `end` says signed in.
import { ApiError, readNdjson, request } from './api.js';
import { $, h, show } from './dom.js';

export class Signin {
  /** onChange: called after a sign-in ended, to list the agents again. */
  constructor(onChange) {
    this.onChange = onChange;
    this.agent = null;
    this.active = null; // {id, abort}
    this.el = h('div', { id: 'agent-signin', class: 'agent-signin', 'aria-live': 'polite' });
    this.panel = h('div', { id: 'signin-panel', class: 'signin-panel', hidden: true });
    const field = $('agent')?.closest('.field');
    if (field) field.after(this.el, this.panel);
    if (!document.querySelector('link[href="/signin.css"]'))
      document.head.append(h('link', { rel: 'stylesheet', href: '/signin.css' }));
  }

  /** The agent now selected (a row of GET /api/agents), or undefined. */
  show(agent) {
    this.agent = agent || null;
    this.render();
  }

  render() {
    const a = this.agent;
    if (!a || !a.found || a.signedIn === null || a.signedIn === undefined) {
      this.el.replaceChildren();
      show(this.el, false);
      return;
    }
    show(this.el, true);
    if (a.signedIn) {
      this.el.replaceChildren(h('span', { class: 'signin-state signed-in' }, `${a.name} — signed in`));
      return;
    }
    const busy = this.active && this.active.id === a.id;
    this.el.replaceChildren(
      h('span', { class: 'signin-state signed-out', title: a.signInHint || '' }, `${a.name} — not signed in`),
      ' · ',
      h('button', { type: 'button', id: 'signin-start', class: 'link-button', disabled: busy, onclick: () => this.start(a) }, 'Sign in'),
    );
  }

  async start(a) {
    if (this.active) return;
    const controller = new AbortController();
    this.active = { id: a.id, abort: controller };
    const status = h('p', { id: 'signin-status', class: 'hint' }, `Starting ${a.name}'s sign-in…`);
    const link = h('p', { id: 'signin-link', hidden: true });
    const codeInput = h('input', { id: 'signin-code', type: 'text', autocomplete: 'off', spellcheck: 'false', 'aria-label': 'Sign-in code' });
    const codeLabel = h('label', { for: 'signin-code' }, 'Paste code here if prompted');
    const codeForm = h('form', { id: 'signin-code-form', class: 'signin-code', hidden: true }, codeLabel, codeInput,
      h('button', { type: 'submit' }, 'Send code'));
    const output = h('pre', { id: 'signin-output', class: 'signin-output', hidden: true });
    const cancel = h('button', { type: 'button', id: 'signin-cancel', onclick: () => this.cancel(a) }, 'Cancel');
    codeForm.addEventListener('submit', async (e) => {
      e.preventDefault();
      const code = codeInput.value.trim();
      if (!code) return;
      try {
        await request('POST', `/api/agents/${encodeURIComponent(a.id)}/login/code`, { code });
        codeInput.value = '';
        status.textContent = 'Code sent; waiting for the sign-in to finish…';
      } catch (err) {
        status.textContent = `The code was not sent: ${err.message}`;
      }
    });
    this.panel.replaceChildren(h('h3', {}, `Sign in to ${a.name}`), status, link, codeForm, output, cancel);
    show(this.panel, true);
    this.render();

    let end = null;
    try {
      const res = await request('POST', `/api/agents/${encodeURIComponent(a.id)}/login`, {}, { signal: controller.signal });
      await readNdjson(res, (ev) => {
        if (ev.type === 'url' && /^https:\/\//.test(ev.url)) {
          link.replaceChildren('Sign in on the page that opened, or ',
            h('a', { id: 'signin-url', href: ev.url, target: '_blank', rel: 'noopener noreferrer' }, 'open the sign-in page'), '.');
          show(link, true);
          status.textContent = `Waiting for you to sign in to ${a.name}…`;
          if (!this.opened) {
            this.opened = true;
            window.open(ev.url, '_blank', 'noopener,noreferrer');
          }
        } else if (ev.type === 'prompt') {
          codeLabel.textContent = ev.text || 'Paste code here if prompted';
          show(codeForm, true);
          codeInput.focus();
        } else if (ev.type === 'output') {
          output.textContent += `${ev.text}\n`;
          show(output, true);
        } else if (ev.type === 'end') {
          end = ev;
        }
      });
    } catch (err) {
      if (err.name !== 'AbortError') status.textContent = err instanceof ApiError ? err.message : String(err);
    }
    const cancelled = this.active.cancelled;
    this.active = null;
    this.opened = false;
    if (cancelled) {
      show(this.panel, false);
      this.render();
      if (end) this.onChange?.();
    } else if (end) {
      if (end.signedIn) {
        show(this.panel, false);
        if (this.agent && this.agent.id === a.id) this.agent.signedIn = true;
      } else {
        status.textContent = `${a.name} is still not signed in (the sign-in ended with code ${end.code}).`;
        show(codeForm, false);
        cancel.textContent = 'Close';
      }
      this.render();
      this.onChange?.();
    } else if (controller.signal.aborted) {
      show(this.panel, false);
      this.render();
    } else {
      cancel.textContent = 'Close';
      this.render();
    }
  }

  async cancel(a) {
    const active = this.active;
    if (!active) {
      show(this.panel, false);
      return;
    }
    active.cancelled = true;
    try {
      await request('DELETE', `/api/agents/${encodeURIComponent(a.id)}/login`);
    } catch {
      /* already over */
    }
    active.abort.abort();
  }
}
