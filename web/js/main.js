// wildws owner's page: boot, login check, views (hash routes), live events.
//   #/            a new chat            #/c/<id>        a past conversation
//   #/support     audit feed + records  #/support/<id>  a support session, read-only
//   #/plugins     the plugins
import { getJson, logout, onUnauthorized, openEvents } from './api.js';
import { Chat } from './chat.js';
import { $, h, show } from './dom.js';
import { loadPlugins } from './plugins.js';
import { Support } from './support.js';

let chat;
let support;
let events;
let view = '';

// Enter before the page has booted (the box shows at once; the agents are
// found a moment later) is kept and sent then, never dropped.
let earlyEnter = false;
function onEarlyKey(e) {
  if (e.key !== 'Enter' || e.shiftKey || e.isComposing || !$('prompt').value.trim()) return;
  e.preventDefault();
  earlyEnter = true;
  const note = $('composer-note');
  note.textContent = 'Finding your agents… your message is sent as soon as one is found.';
  note.hidden = false;
}
$('prompt').addEventListener('keydown', onEarlyKey);

function loginNeeded() {
  const el = $('login-needed');
  if (!el.hidden) return;
  el.replaceChildren(
    'You are not logged in: run ',
    h('code', {}, 'wildws open'),
    ' in a terminal and open the link it prints.',
  );
  el.hidden = false;
  $('app').hidden = true;
  $('banner').hidden = true;
  document.querySelector('.views').hidden = true;
  $('toggle-sidebar').hidden = true;
  $('logout').hidden = true;
  if (events) events.close();
}

function navigate(hash, { replace = false, quiet = false } = {}) {
  if (quiet) {
    history.replaceState(null, '', hash);
    markNav();
    return;
  }
  if (location.hash === hash || (hash === '#/' && !location.hash)) route();
  else if (replace) {
    history.replaceState(null, '', hash);
    route();
  } else location.hash = hash;
}

function markNav() {
  const name = location.hash.startsWith('#/support') ? 'support' : location.hash.startsWith('#/plugins') ? 'plugins' : 'chat';
  for (const a of document.querySelectorAll('.views a')) {
    if (a.dataset.view === name) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

function showView(name) {
  view = name;
  document.body.dataset.view = name; // the conversation list shows on the chat only
  document.title = `${{ chat: 'Chat', support: 'Support', plugins: 'Plugins' }[name]} · wildws`;
  for (const v of ['chat', 'support', 'plugins']) show($(`view-${v}`), v === name);
  markNav();
}

function route() {
  const hash = location.hash || '#/';
  if (!hash.startsWith('#/')) return; // an in-page anchor, not a view
  document.body.classList.remove('sidebar-open');
  $('toggle-sidebar').setAttribute('aria-expanded', 'false');
  let m;
  if ((m = /^#\/c\/(.+)$/.exec(hash))) {
    showView('chat');
    chat.open(decodeURIComponent(m[1]));
  } else if ((m = /^#\/support\/(.+)$/.exec(hash))) {
    showView('chat');
    chat.openSupportSession(decodeURIComponent(m[1]));
  } else if (hash.startsWith('#/support')) {
    showView('support');
    support.loadAudit();
    support.loadSessions();
  } else if (hash.startsWith('#/plugins')) {
    showView('plugins');
    loadPlugins();
  } else {
    showView('chat');
    chat.openNew();
  }
}

function connectEvents() {
  // fetch-based, so it carries the session token (EventSource cannot).
  events = openEvents('/api/events', {
    onState: (open) => support.eventsConnected(open),
    onMessage: (data) => {
      let ev;
      try {
        ev = JSON.parse(data);
      } catch {
        return;
      }
      support.onEvent(ev);
      chat.onEvent(ev);
    },
  });
}

async function boot() {
  onUnauthorized(loginNeeded);
  let plugins;
  try {
    plugins = (await getJson('/api/plugins')).plugins || []; // the host's own route: are we logged in?
  } catch (e) {
    if (e.status === 401) return; // loginNeeded() has run
    $('login-needed').textContent = e.message;
    $('login-needed').hidden = false;
    return;
  }
  // Routes of a plugin that is not loaded are not called (each would be a 404).
  const loaded = (re) => plugins.some((p) => re.test(p.name) && p.state === 'loaded');
  chat = new Chat({ navigate, available: loaded(/^agent$/), plugin: plugins.find((p) => p.name === 'agent') });
  $('prompt').removeEventListener('keydown', onEarlyKey);
  support = new Support({
    available: loaded(/^support[-_]?api$/),
    onAsk: (what) => chat.attention(what, { support: true }),
    onAuditChange: () => {
      if (view === 'support') {
        support.loadAudit();
        support.loadSessions();
      }
    },
  });
  $('logout').hidden = false;
  $('logout').addEventListener('click', async () => {
    if (events) events.close();
    await logout().catch(() => {});
    loginNeeded();
  });
  $('toggle-sidebar').addEventListener('click', () => {
    const open = document.body.classList.toggle('sidebar-open');
    $('toggle-sidebar').setAttribute('aria-expanded', String(open));
    if (open) $('new-chat').focus();
  });
  window.addEventListener('hashchange', route);
  document.querySelector('.skip').addEventListener('click', (e) => {
    e.preventDefault();
    if (view !== 'chat' || chat.readOnly) navigate('#/');
    $('prompt').focus();
  });
  document.addEventListener('visibilitychange', () => {
    if (!document.hidden) support.refresh();
  });
  connectEvents();
  support.refresh();
  if (earlyEnter) chat.send(); // the agents are not known yet: it waits for them
  await Promise.allSettled([chat.loadAgents(), chat.loadConversations()]);
  route();
  await chat.settled();
  chat.sendPending();
  if (view === 'chat' && !chat.readOnly) $('prompt').focus();
  document.body.dataset.booted = 'true';
  performance.mark('wildws:ready'); // the prompt box is usable (bench/web reads it)
}

boot();
