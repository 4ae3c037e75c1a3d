// The list of past conversations in the sidebar: search (server side, over
// titles and prompts), dates, titles as plain text, rename and delete (with a
// confirm step: a deleted transcript is gone for good).
import { ApiError, getJson, request } from './api.js';
import { $, h, show } from './dom.js';
import { dateLabel, plainTitle } from './text.js';

export class ConversationList {
  constructor({ available, current, onDeleted }) {
    this.available = available;
    this.current = current; // () => the open conversation's id
    this.onDeleted = onDeleted;
    this.query = '';
    this.searchTimer = 0;
    this.loadSeq = 0;
    $('conv-search').addEventListener('input', () => {
      clearTimeout(this.searchTimer);
      this.searchTimer = setTimeout(() => this.load(), 150);
    });
    $('conv-search').addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && $('conv-search').value) {
        e.preventDefault();
        $('conv-search').value = '';
        this.load();
      }
    });
  }

  async load() {
    const seq = ++this.loadSeq;
    const q = $('conv-search').value.trim();
    let data;
    try {
      if (!this.available) throw new ApiError(404, 'not-loaded', 'the agent plugin is not loaded');
      data = await getJson(`/api/chat/sessions?limit=200${q ? `&q=${encodeURIComponent(q)}` : ''}`);
    } catch (e) {
      if (e.status === 401) throw e;
      data = { sessions: [], error: e.status === 404 ? '' : e.message };
    }
    if (seq !== this.loadSeq) return; // a newer search answered first
    this.query = q;
    const items = (data.sessions || []).map((s) => this.item(s));
    $('conversations').replaceChildren(...items);
    const empty = $('conversations-empty');
    empty.textContent = data.error ? data.error : q ? `No conversation mentions "${q}".` : 'No conversations yet.';
    show(empty, items.length === 0 && this.available);
  }

  item(s) {
    const title = plainTitle(s.title) || '(untitled)';
    const meta = [dateLabel(s.updatedAt), s.agent, `${s.turns} turn${s.turns === 1 ? '' : 's'}`, s.waiting ? '' : s.running ? 'running' : ''];
    const li = h('li', { dataset: { id: s.id } });
    const link = h(
      'a',
      { href: `#/c/${encodeURIComponent(s.id)}`, 'aria-current': s.id === this.current() ? 'page' : null, title: s.title || '' },
      h('span', { class: 'conv-title' }, title),
      h('span', { class: 'conv-meta' }, meta.filter(Boolean).join(' · '), s.waiting ? h('span', { class: 'conv-waiting' }, ' · waits for you') : null),
    );
    const actions = h(
      'div',
      { class: 'conv-actions' },
      h('button', { type: 'button', class: 'small conv-rename', 'aria-label': `Rename "${title}"`, onclick: () => this.rename(li, s, title) }, 'Rename'),
      h('button', { type: 'button', class: 'small conv-delete', 'aria-label': `Delete "${title}"`, onclick: () => this.confirmDelete(li, s, title) }, 'Delete'),
    );
    li.append(link, actions);
    return li;
  }

  rename(li, s, title) {
    const input = h('input', { type: 'text', class: 'conv-title-input', maxlength: '200', value: title, 'aria-label': 'New title' });
    const error = h('p', { class: 'error', role: 'alert', hidden: true });
    const form = h(
      'form',
      { class: 'conv-edit' },
      input,
      h('div', { class: 'conv-actions' }, h('button', { type: 'submit', class: 'small primary' }, 'Save'), h('button', { type: 'button', class: 'small', onclick: () => this.load() }, 'Cancel')),
      error,
    );
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      try {
        await request('PATCH', `/api/chat/sessions/${encodeURIComponent(s.id)}`, { title: input.value });
        await this.load();
        this.focusItem(s.id, '.conv-rename');
      } catch (err) {
        error.textContent = err.message;
        error.hidden = false;
      }
    });
    input.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        this.load().then(() => this.focusItem(s.id, '.conv-rename'));
      }
    });
    li.replaceChildren(form);
    input.focus();
    input.select();
  }

  confirmDelete(li, s, title) {
    const error = h('p', { class: 'error', role: 'alert', hidden: true });
    const yes = h('button', { type: 'button', class: 'small danger conv-confirm-delete' }, 'Delete');
    const box = h(
      'div',
      { class: 'conv-confirm', role: 'group', 'aria-label': 'Confirm delete' },
      h('p', {}, `Delete "${title}"? Its transcript is removed from disk.`),
      h('div', { class: 'conv-actions' }, yes, h('button', { type: 'button', class: 'small', onclick: () => this.load().then(() => this.focusItem(s.id, '.conv-delete')) }, 'Cancel')),
      error,
    );
    yes.addEventListener('click', async () => {
      try {
        await request('DELETE', `/api/chat/sessions/${encodeURIComponent(s.id)}`, {});
        await this.load();
        this.onDeleted(s.id);
        $('conv-search').focus();
      } catch (err) {
        error.textContent = err.code === 'session-busy' ? 'It is still running: stop it first, then delete it.' : err.message;
        error.hidden = false;
      }
    });
    li.replaceChildren(box);
    yes.focus();
  }

  focusItem(id, selector) {
    $('conversations').querySelector(`li[data-id="${CSS.escape(id)}"] ${selector}`)?.focus();
  }

  markCurrent() {
    for (const a of $('conversations').querySelectorAll('a')) {
      if (a.closest('li').dataset.id === this.current()) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    }
  }
}
