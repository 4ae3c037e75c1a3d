// `@` in the prompt box: files of the working directory, best fuzzy matches
// from GET /api/files, as a listbox under the caret's line. Arrow keys move,
// Enter or Tab inserts "@path ", Escape closes.
import { getJson } from './api.js';
import { $, h } from './dom.js';

/** The `@token` that ends at the caret, or null. */
export function mentionAt(text, caret) {
  const before = text.slice(0, caret);
  const m = /(^|\s)@([^\s@]*)$/.exec(before);
  return m ? { start: caret - m[2].length - 1, query: m[2] } : null;
}

export class Mentions {
  constructor({ prompt, cwd }) {
    this.prompt = prompt;
    this.cwd = cwd; // () => the working directory field's value
    this.list = $('mentions');
    this.items = [];
    this.active = -1;
    this.seq = 0;
    this.timer = 0;
    prompt.addEventListener('input', () => this.update());
    prompt.addEventListener('click', () => this.update());
    prompt.addEventListener('blur', () => setTimeout(() => this.close(), 150));
    this.list.addEventListener('mousedown', (e) => e.preventDefault()); // keep the focus in the prompt
  }

  get open() {
    return !this.list.hidden;
  }

  update() {
    const m = mentionAt(this.prompt.value, this.prompt.selectionStart);
    if (!m || this.prompt.selectionStart !== this.prompt.selectionEnd) return this.close();
    this.at = m;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.fetch(m.query), 60);
  }

  async fetch(query) {
    const seq = ++this.seq;
    const cwd = this.cwd().trim();
    let files;
    try {
      files = (await getJson(`/api/files?q=${encodeURIComponent(query)}${cwd ? `&cwd=${encodeURIComponent(cwd)}` : ''}`)).files || [];
    } catch (e) {
      if (seq !== this.seq) return;
      return this.show([], e.code === 'bad-cwd' ? 'The working directory does not exist.' : e.message);
    }
    if (seq !== this.seq || !this.at) return;
    this.show(files.slice(0, 12), files.length ? '' : `No file matches "${query}".`);
  }

  show(files, empty) {
    this.items = files;
    this.active = files.length ? 0 : -1;
    this.list.replaceChildren(
      ...files.map((f, i) =>
        h('li', { id: `mention-${i}`, role: 'option', class: 'mention', 'aria-selected': String(i === 0), onclick: () => this.choose(i) }, f),
      ),
    );
    if (!files.length) this.list.append(h('li', { class: 'mention-empty', role: 'presentation' }, empty));
    this.list.hidden = false;
    this.prompt.setAttribute('aria-expanded', 'true');
    this.mark();
  }

  mark() {
    this.list.querySelectorAll('.mention').forEach((li, i) => li.setAttribute('aria-selected', String(i === this.active)));
    if (this.active >= 0) {
      this.prompt.setAttribute('aria-activedescendant', `mention-${this.active}`);
      $(`mention-${this.active}`)?.scrollIntoView({ block: 'nearest' });
    } else this.prompt.removeAttribute('aria-activedescendant');
  }

  close() {
    clearTimeout(this.timer);
    this.seq++;
    this.at = null;
    this.items = [];
    this.list.hidden = true;
    this.prompt.setAttribute('aria-expanded', 'false');
    this.prompt.removeAttribute('aria-activedescendant');
  }

  choose(i) {
    const f = this.items[i];
    if (!f || !this.at) return;
    const v = this.prompt.value;
    const end = this.at.start + 1 + this.at.query.length;
    const insert = `@${f} `;
    this.prompt.value = v.slice(0, this.at.start) + insert + v.slice(end);
    const caret = this.at.start + insert.length;
    this.prompt.setSelectionRange(caret, caret);
    this.close();
    this.prompt.focus();
    this.prompt.dispatchEvent(new Event('input'));
  }

  /** Handles a key in the prompt box; true when it was ours. */
  key(e) {
    if (!this.open) return false;
    if (e.key === 'Escape') {
      this.close();
      return true;
    }
    if (!this.items.length) return false;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      const n = this.items.length;
      this.active = (this.active + (e.key === 'ArrowDown' ? 1 : n - 1)) % n;
      this.mark();
      return true;
    }
    if ((e.key === 'Enter' && !e.shiftKey) || e.key === 'Tab') {
      this.choose(this.active);
      return true;
    }
    return false;
  }
}
