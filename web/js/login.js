// The /login page: exchanges the one-time code of `wildws open` for a
// session token (POST /api/session), keeps the token in localStorage (this
// origin only) and opens the app. The code leaves the address bar at once.
import { saveSession } from './api.js';

const status = document.getElementById('login-status');
const code = new URLSearchParams(location.search).get('code') || '';
history.replaceState(null, '', '/login');

async function login() {
  let res;
  try {
    res = await fetch('/api/session', {
      method: 'POST',
      credentials: 'omit',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ code }),
    });
  } catch {
    status.textContent = 'The wildws server does not answer - is `wildws serve` running?';
    return;
  }
  let body = {};
  try {
    body = await res.json();
  } catch {
    /* not JSON */
  }
  if (!res.ok || typeof body.token !== 'string') {
    status.textContent = body.message || `Login failed (HTTP ${res.status}). Run 'wildws open' for a new link.`;
    return;
  }
  saveSession(body.token, body.expiresAt);
  location.replace('/');
}

login();
