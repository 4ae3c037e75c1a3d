// Calls to the wildws HTTP API. Every error body is {"error", "message"}.
// The owner's credential is a bearer session token (from /login, see
// login.js) kept in localStorage, which is scoped to this origin, port
// included, and sent as Authorization: Bearer. There is no cookie: a cookie
// would also reach every other server on 127.0.0.1, whatever its port.
import { timeMs } from './text.js';

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message || code || `HTTP ${status}`);
    this.status = status;
    this.code = code || `http-${status}`;
  }
}

const TOKEN_KEY = 'wildws.session';

/** The session token, or '' when not logged in (or it expired). */
export function sessionToken() {
  try {
    const saved = JSON.parse(localStorage.getItem(TOKEN_KEY) || 'null');
    if (saved && typeof saved.token === 'string' && timeMs(saved.expiresAt) > Date.now()) return saved.token;
  } catch {
    /* unreadable: treat as logged out */
  }
  return '';
}

/** `expiresAt`: the ISO 8601 time of POST /api/session; kept as ms. */
export function saveSession(token, expiresAt) {
  localStorage.setItem(TOKEN_KEY, JSON.stringify({ token, expiresAt: timeMs(expiresAt) }));
}

export function forgetSession() {
  localStorage.removeItem(TOKEN_KEY);
}

function authHeaders() {
  const token = sessionToken();
  return token ? { Authorization: `Bearer ${token}` } : {};
}

const listeners = new Set();
/** Called with the ApiError whenever the server answers 401. */
export function onUnauthorized(fn) {
  listeners.add(fn);
}

async function errorFrom(res) {
  let code = '';
  let message = '';
  try {
    const body = await res.json();
    code = body.error || '';
    message = body.message || '';
  } catch {
    message = res.statusText;
  }
  const err = new ApiError(res.status, code, message);
  if (res.status === 401) {
    forgetSession();
    for (const fn of listeners) fn(err);
  }
  return err;
}

export async function request(method, path, body, { signal } = {}) {
  const init = { method, credentials: 'omit', signal, headers: authHeaders() };
  if (method !== 'GET') {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body ?? {});
  }
  let res;
  try {
    res = await fetch(path, init);
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, 'offline', 'the wildws server does not answer - is `wildws serve` running?');
  }
  if (!res.ok) throw await errorFrom(res);
  return res;
}

export const getJson = async (path) => (await request('GET', path)).json();

/** Ends this login session on the server and here. */
export async function logout() {
  try {
    if (sessionToken()) await request('DELETE', '/api/session');
  } finally {
    forgetSession();
  }
}

/**
 * Reads a server-sent event stream with fetch(), so it can carry the
 * Authorization header (EventSource cannot). Calls onMessage(data) for each
 * event's data, onState(true/false) as the stream opens and drops, and
 * reconnects after `retry` ms until close() is called.
 */
export function openEvents(path, { onMessage, onState = () => {} }) {
  let controller = null;
  let closed = false;
  let retry = 1000;
  let timer = null;
  const connect = async () => {
    controller = new AbortController();
    try {
      const res = await request('GET', path, undefined, { signal: controller.signal });
      onState(true);
      const reader = res.body.getReader();
      const decoder = new TextDecoder();
      let buf = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buf += decoder.decode(value, { stream: true }).replace(/\r\n?/g, '\n');
        let end;
        while ((end = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, end);
          buf = buf.slice(end + 2);
          const data = [];
          for (const line of block.split('\n')) {
            if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
            else if (line.startsWith('retry:')) retry = Number(line.slice(6)) || retry;
          }
          if (data.length) onMessage(data.join('\n'));
        }
      }
    } catch (e) {
      if (e.status === 401) closed = true; // logged out: onUnauthorized has run
    }
    onState(false);
    if (!closed) timer = setTimeout(connect, retry);
  };
  connect();
  return {
    close() {
      closed = true;
      clearTimeout(timer);
      if (controller) controller.abort();
    },
  };
}
export const postJson = async (path, body) => (await request('POST', path, body)).json();

/** Parses NDJSON text into objects, skipping blank and malformed lines. */
export function parseNdjson(text) {
  const out = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      out.push(JSON.parse(line));
    } catch {
      /* a torn or foreign line: skip it */
    }
  }
  return out;
}

/** Calls onLine(object) for each NDJSON line of a streaming response, as it arrives. */
export async function readNdjson(res, onLine) {
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let rest = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    rest += decoder.decode(value, { stream: true });
    let nl;
    let start = 0;
    const batch = [];
    while ((nl = rest.indexOf('\n', start)) >= 0) {
      const line = rest.slice(start, nl);
      start = nl + 1;
      if (!line.trim()) continue;
      try {
        batch.push(JSON.parse(line));
      } catch {
        /* skip */
      }
    }
    rest = rest.slice(start);
    for (const obj of batch) onLine(obj);
  }
  if (rest.trim()) {
    try {
      onLine(JSON.parse(rest));
    } catch {
      /* torn last line */
    }
  }
}
