// Calls to the wildws HTTP API. Every error body is {"error", "message"};
// state-changing calls carry a JSON body (the server requires it with the
// session cookie) and the browser adds the Origin header itself.

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message || code || `HTTP ${status}`);
    this.status = status;
    this.code = code || `http-${status}`;
  }
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
  if (res.status === 401) for (const fn of listeners) fn(err);
  return err;
}

export async function request(method, path, body, { signal } = {}) {
  const init = { method, credentials: 'same-origin', signal, headers: {} };
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
