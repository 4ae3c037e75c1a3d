// The Plugins view: every plugin the host found, from GET /api/plugins.
import { getJson } from './api.js';
import { $, h, timeLabel, durationLabel } from './dom.js';

/** The file's name, with its whole path one click away (a path wraps badly in a table). */
function fileCell(path) {
  if (!path) return '';
  const name = path.split('/').pop();
  if (name === path) return h('code', {}, path);
  return h('details', { class: 'path' }, h('summary', { title: path }, h('code', {}, name)), h('code', { class: 'full-path' }, path));
}

export async function loadPlugins() {
  let data;
  try {
    data = await getJson('/api/plugins');
  } catch (e) {
    if (e.status === 401) return;
    $('plugins').querySelector('tbody').replaceChildren(h('tr', {}, h('td', { colspan: 5, class: 'error' }, e.message)));
    return;
  }
  const rows = (data.plugins || []).map((p) =>
    h(
      'tr',
      { class: p.state === 'loaded' ? 'ok' : p.state === 'disabled' ? 'off' : 'denied' },
      h('th', { scope: 'row' }, h('span', { class: 'plugin-name' }, p.name), p.description ? h('span', { class: 'conv-meta' }, p.description) : null),
      h('td', { 'data-label': 'State' }, h('span', { class: `state state-${p.state}` }, p.state)),
      h('td', { 'data-label': 'Version' }, p.version || ''),
      h('td', { class: 'file', 'data-label': 'File' }, fileCell(p.file)),
      h('td', { class: 'detail', 'data-label': 'Reason' }, p.reason || ''),
    ),
  );
  $('plugins').querySelector('tbody').replaceChildren(...rows);
  const ticks = (data.ticks || []).map((t) =>
    h(
      'tr',
      { class: t.lastError ? 'denied' : 'ok' },
      h('th', { scope: 'row' }, `${t.plugin} · ${t.name}`),
      h('td', { 'data-label': 'Every' }, durationLabel(t.intervalMs)),
      h('td', { 'data-label': 'Last run' }, t.lastRunAt ? timeLabel(t.lastRunAt) : 'not yet'),
      h('td', { class: 'detail', 'data-label': 'Result' }, t.lastError ? `✗ ${t.lastError}` : `${t.runs || 0} runs, ${t.failures || 0} failed`),
    ),
  );
  if (!ticks.length) ticks.push(h('tr', {}, h('td', { colspan: 4, class: 'hint' }, 'No plugin registered a tick.')));
  $('ticks').querySelector('tbody').replaceChildren(...ticks);
}
