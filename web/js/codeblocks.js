// Code blocks in rendered Markdown: a head with the language and a Copy
// button, and syntax highlighting by highlight.js (web/CMakeLists.txt copies
// its core and a curated set of grammars into vendor/hljs/). The highlighter
// is loaded on first use, so a page without code never fetches it. Its output
// (spans with hljs-* classes around escaped text) still goes through
// DOMPurify, allowed nothing but <span class>.
import DOMPurify from '../vendor/purify.es.mjs';
import { copyText } from './clipboard.js';
import { h } from './dom.js';

// grammar file (vendor/hljs/NAME.min.js) for each name a fence may use
const GRAMMARS = {
  bash: ['bash', 'sh', 'shell', 'zsh', 'console', 'shellsession'],
  c: ['c', 'h'],
  cmake: ['cmake'],
  cpp: ['cpp', 'c++', 'cc', 'cxx', 'hpp', 'hh', 'hxx'],
  csharp: ['csharp', 'cs', 'c#'],
  css: ['css'],
  diff: ['diff', 'patch'],
  dockerfile: ['dockerfile', 'docker'],
  go: ['go', 'golang'],
  ini: ['ini', 'toml', 'cfg', 'conf'],
  java: ['java'],
  javascript: ['javascript', 'js', 'jsx', 'mjs', 'cjs', 'node'],
  json: ['json', 'jsonl', 'jsonc', 'ndjson'],
  kotlin: ['kotlin', 'kt'],
  markdown: ['markdown', 'md'],
  php: ['php'],
  python: ['python', 'py', 'python3'],
  ruby: ['ruby', 'rb'],
  rust: ['rust', 'rs'],
  sql: ['sql'],
  swift: ['swift'],
  typescript: ['typescript', 'ts', 'tsx'],
  xml: ['xml', 'html', 'svg', 'xhtml', 'plist'],
  yaml: ['yaml', 'yml'],
};
const BY_ALIAS = new Map();
for (const [file, names] of Object.entries(GRAMMARS)) for (const n of names) BY_ALIAS.set(n, file);

let core = null; // Promise<hljs>
const loaded = new Map(); // grammar file -> Promise<boolean>

function grammar(file) {
  if (!loaded.has(file)) {
    core ||= import('../vendor/hljs/core.min.js').then((m) => m.default);
    loaded.set(
      file,
      core.then(async (hljs) => {
        const m = await import(`../vendor/hljs/${file}.min.js`);
        hljs.registerLanguage(file, m.default);
        if (file === 'bash') hljs.registerAliases(['console', 'shellsession'], { languageName: 'bash' });
        return true;
      }),
    );
  }
  return loaded.get(file).then(() => core);
}

const purifySpans = { ALLOWED_TAGS: ['span'], ALLOWED_ATTR: ['class'], RETURN_DOM_FRAGMENT: true };

/** The fence's language name ("" when none), from marked's `language-x` class. */
function languageOf(code) {
  const m = /(?:^|\s)language-(\S+)/.exec(code.className);
  return m ? m[1].toLowerCase() : '';
}

async function highlight(code, file) {
  const text = code.textContent;
  let hljs;
  try {
    hljs = await grammar(file);
  } catch {
    return; // a missing grammar file: the block stays plain
  }
  if (!code.isConnected || code.textContent !== text) return; // re-rendered meanwhile
  const html = hljs.highlight(text, { language: file, ignoreIllegals: true }).value;
  code.replaceChildren(DOMPurify.sanitize(html, purifySpans));
  code.classList.add('hljs');
}

/** Adds the head (language, Copy) to every code block under `root` and highlights it. */
export function decorateCodeBlocks(root) {
  for (const pre of root.querySelectorAll('pre')) {
    if (pre.parentElement?.classList.contains('code-block')) continue;
    const code = pre.querySelector('code');
    if (!code) continue;
    const lang = languageOf(code);
    const file = BY_ALIAS.get(lang);
    const wrap = h('div', { class: 'code-block' });
    pre.replaceWith(wrap);
    pre.tabIndex = 0; // scrollable by keyboard
    wrap.append(
      h(
        'div',
        { class: 'code-head' },
        h('span', { class: 'code-lang' }, lang || 'text'),
        h('button', { type: 'button', class: 'copy', 'aria-label': `Copy the ${lang || 'text'} code`, onclick: (e) => copyText(code.textContent, e.currentTarget) }, 'Copy'),
      ),
      pre,
    );
    if (file) highlight(code, file);
  }
}
