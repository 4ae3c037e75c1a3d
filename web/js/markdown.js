// Agent text → Markdown → sanitized DOM. Every HTML tag the agent writes is
// shown as text: the Markdown renderer escapes raw HTML instead of passing it
// through, images become links (nothing is fetched), and DOMPurify checks the
// result. If DOMPurify would have to drop anything, the text is shown as plain
// text instead, so nothing disappears silently.
import { Marked } from '../vendor/marked.esm.js';
import DOMPurify from '../vendor/purify.es.mjs';

const escapeHtml = (s) =>
  String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const SAFE_HREF = /^(https?:|mailto:|#|\/(?!\/))/i;

const marked = new Marked({ gfm: true, breaks: true, async: false });
marked.use({
  renderer: {
    html({ text, block }) {
      return block ? `<p class="raw-html">${escapeHtml(text.replace(/\n+$/, ''))}</p>\n` : escapeHtml(text);
    },
    // A link to anything but http(s), mailto or this page is shown as its
    // Markdown source, so the sanitizer has nothing to remove.
    link(token) {
      if (!SAFE_HREF.test(token.href || '')) return escapeHtml(token.raw);
      return false; // marked's own rendering
    },
    image({ href, text }) {
      if (!SAFE_HREF.test(href || '')) return escapeHtml(`![${text}](${href})`);
      const label = text || href;
      return `<a href="${escapeHtml(href)}">${escapeHtml(label)}</a>`;
    },
  },
});

DOMPurify.addHook('afterSanitizeAttributes', (node) => {
  if (node.tagName === 'A' && node.hasAttribute('href')) {
    node.setAttribute('target', '_blank');
    node.setAttribute('rel', 'noopener noreferrer');
  }
});

const purifyConfig = {
  RETURN_DOM_FRAGMENT: true,
  FORBID_TAGS: ['style', 'img', 'svg', 'math', 'form', 'iframe', 'object', 'embed'],
  FORBID_ATTR: ['style', 'srcset'],
};

function plain(text) {
  const p = document.createElement('p');
  p.className = 'plain';
  p.textContent = text;
  const frag = document.createDocumentFragment();
  frag.append(p);
  return frag;
}

/** A DocumentFragment with the rendered Markdown of `text`. */
export function renderMarkdown(text) {
  let html;
  try {
    html = marked.parse(text);
  } catch {
    return plain(text);
  }
  const frag = DOMPurify.sanitize(html, purifyConfig);
  if (DOMPurify.removed.length) return plain(text);
  return frag;
}
