// File edits of agents shown as diffs: Claude's Edit / MultiEdit / Write tool
// input ({file_path, old_string, new_string} ...) and codex's file_change
// ({changes: [{path, kind}]}, which names the files but carries no content).
import { h } from './dom.js';

const MAX_CELLS = 400_000; // LCS table size; past it, old lines out, new lines in

const splitLines = (s) => {
  const lines = String(s ?? '').split('\n');
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines;
};

/** Line diff of two texts: [{op: ' '|'-'|'+', line}]. */
export function lineDiff(before, after) {
  const a = splitLines(before);
  const b = splitLines(after);
  if (before === '' || before === undefined || before === null) return b.map((line) => ({ op: '+', line }));
  // common head and tail first: an edit usually touches a few lines
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const am = a.slice(head, a.length - tail);
  const bm = b.slice(head, b.length - tail);
  const out = a.slice(0, head).map((line) => ({ op: ' ', line }));
  if ((am.length + 1) * (bm.length + 1) > MAX_CELLS) {
    for (const line of am) out.push({ op: '-', line });
    for (const line of bm) out.push({ op: '+', line });
  } else {
    const n = am.length;
    const m = bm.length;
    const t = new Uint32Array((n + 1) * (m + 1)); // t[i][j]: LCS of am[i..], bm[j..]
    for (let i = n - 1; i >= 0; i--)
      for (let j = m - 1; j >= 0; j--)
        t[i * (m + 1) + j] = am[i] === bm[j] ? t[(i + 1) * (m + 1) + j + 1] + 1 : Math.max(t[(i + 1) * (m + 1) + j], t[i * (m + 1) + j + 1]);
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && am[i] === bm[j]) {
        out.push({ op: ' ', line: am[i++] });
        j++;
      } else if (i < n && (j === m || t[(i + 1) * (m + 1) + j] >= t[i * (m + 1) + j + 1])) out.push({ op: '-', line: am[i++] });
      else out.push({ op: '+', line: bm[j++] }); // removals before additions, as diff -u shows them
    }
  }
  for (const line of a.slice(a.length - tail)) out.push({ op: ' ', line });
  return out;
}

/** Keeps `context` unchanged lines around each change; longer runs become one "⋯" line. */
function trimContext(rows, context = 3) {
  const keep = rows.map(() => false);
  rows.forEach((r, i) => {
    if (r.op === ' ') return;
    for (let k = Math.max(0, i - context); k <= Math.min(rows.length - 1, i + context); k++) keep[k] = true;
  });
  const out = [];
  let skipped = 0;
  rows.forEach((r, i) => {
    if (keep[i]) {
      if (skipped) out.push({ op: '…', line: `⋯ ${skipped} unchanged line${skipped === 1 ? '' : 's'}` });
      skipped = 0;
      out.push(r);
    } else skipped++;
  });
  if (skipped) out.push({ op: '…', line: `⋯ ${skipped} unchanged line${skipped === 1 ? '' : 's'}` });
  return out;
}

function diffPre(rows) {
  const pre = h('pre', { class: 'diff', tabindex: '0' });
  for (const r of trimContext(rows)) {
    const cls = r.op === '+' ? 'add' : r.op === '-' ? 'del' : r.op === '…' ? 'skip' : 'ctx';
    pre.append(h('span', { class: `diff-line ${cls}` }, r.op === '…' ? r.line : `${r.op} ${r.line}`), '\n');
  }
  return pre;
}

const count = (rows) => ({ add: rows.filter((r) => r.op === '+').length, del: rows.filter((r) => r.op === '-').length });

/**
 * For a file-editing tool call: {file, stats, body} (body: the diff element),
 * else null. `input` is the tool's input object.
 */
export function fileChangeView(name, input) {
  if (!input || typeof input !== 'object') return null;
  const file = String(input.file_path || input.path || input.notebook_path || '');
  if (name === 'Edit' && typeof input.new_string === 'string') {
    const rows = lineDiff(input.old_string ?? '', input.new_string);
    return { file, stats: count(rows), body: diffPre(rows), note: input.replace_all ? 'every occurrence' : '' };
  }
  if (name === 'MultiEdit' && Array.isArray(input.edits)) {
    const body = h('div', { class: 'diff-group' });
    const total = { add: 0, del: 0 };
    input.edits.forEach((e, i) => {
      const rows = lineDiff(e?.old_string ?? '', e?.new_string ?? '');
      const c = count(rows);
      total.add += c.add;
      total.del += c.del;
      body.append(h('p', { class: 'label' }, `Edit ${i + 1} of ${input.edits.length}`), diffPre(rows));
    });
    return { file, stats: total, body };
  }
  if (name === 'Write' && typeof input.content === 'string') {
    const rows = lineDiff('', input.content);
    return { file, stats: count(rows), body: diffPre(rows), note: 'whole file written' };
  }
  if (name === 'file_change' && Array.isArray(input.changes)) {
    const list = h('ul', { class: 'file-changes' });
    for (const c of input.changes) list.append(h('li', {}, h('span', { class: `change-kind kind-${c?.kind || 'update'}` }, c?.kind || 'update'), ' ', h('code', {}, String(c?.path || '?'))));
    const files = input.changes.map((c) => c?.path).filter(Boolean);
    return { file: files.length === 1 ? files[0] : `${files.length} files`, stats: null, body: list, note: 'codex names the files it changed, not the lines' };
  }
  return null;
}
