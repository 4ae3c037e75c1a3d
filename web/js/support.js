// The support banner (always visible), the Allow form with its confirm step
// for tiers 3-4, the prompts of a support task's agent (support-asks.js), the
// audit feed and the recorded support sessions. Fed by the
// server-sent events of /api/events; the status route fills in (and is the
// fallback while the event stream is down).
import { getJson, postJson } from './api.js';
import { $, countdownLabel, h, show, timeLabel, durationLabel } from './dom.js';
import { SupportAsks } from './support-asks.js';
import { timeMs } from './text.js';

// The consent plugin's words for each tier (plugins/consent/src/policy.cpp).
export const TIERS = {
  1: 'read diagnostics + logs only',
  2: 'read diagnostics/logs + run curated fixes (like restarting the server)',
  3: 'read diagnostics/logs + curated fixes + operate your agent on a task',
  4: 'read diagnostics/logs + curated fixes + operate your agent + run raw shell commands',
};

const lineText = (l) => (typeof l === 'string' ? l : l && typeof l === 'object' ? String(l.text ?? l.line ?? '') : '');

export class Support {
  /** onAsk(what): support's agent waits for the owner (the chat puts it in the hidden tab's title). */
  constructor({ available, onAuditChange, onAsk }) {
    this.status = null;
    this.available = available;
    this.deadline = 0; // performance.now() at expiry
    this.refreshTimer = 0;
    this.fallbackTimer = 0;
    this.onAuditChange = onAuditChange;
    // "4:59 left": on a phone, while support operates, " left" is for screen readers only (app.css)
    this.countdownTime = document.createTextNode('');
    this.countdown = h('span', { id: 'banner-countdown', class: 'countdown', role: 'timer', 'aria-live': 'off' }, this.countdownTime, h('span', { class: 'countdown-unit' }, ' left'));
    this.consentOnly = false; // support_api is off: the consent plugin's own status/revoke routes
    this.asks = new SupportAsks({ root: $('banner-asks'), note: $('banner-asks-note'), onChange: () => this.refreshSoon(), onAsk });
    this.bind();
    setInterval(() => this.tick(), 250);
    // Without support_api there are no support events: look now and then.
    setInterval(() => {
      if (this.consentOnly) this.refresh();
    }, 5000);
  }

  bind() {
    $('banner-allow').addEventListener('click', () => this.openAllow(!$('allow-form').hidden ? false : true));
    $('allow-cancel').addEventListener('click', () => this.openAllow(false));
    $('allow-back').addEventListener('click', () => this.confirmStep(false));
    $('allow-tier').addEventListener('change', () => this.describeTier());
    $('allow-form').addEventListener('submit', (e) => {
      e.preventDefault();
      this.submitAllow(false);
    });
    $('allow-confirm').addEventListener('click', () => this.submitAllow(true));
    $('allow-form').addEventListener('keydown', (e) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        this.openAllow(false);
      }
    });
    $('banner-revoke').addEventListener('click', () => this.revoke());
    $('banner-stop').addEventListener('click', () => this.stopOperate());
    this.describeTier();
  }

  // ---- state ---------------------------------------------------------------

  async refresh() {
    clearTimeout(this.refreshTimer);
    this.refreshTimer = 0;
    // A status read that an event overtook is stale: drop it (an event that
    // carried the whole status is newer; after a partial one, read again).
    const asked = this.applied;
    const fullBefore = this.fullApplied;
    // With support_api disabled, the consent plugin still serves the grant,
    // so a live grant is always shown, and can be revoked.
    const url = this.available ? '/api/support/status' : '/api/consent/status';
    try {
      const status = await getJson(url);
      if (this.applied !== asked) {
        if (this.fullApplied === fullBefore) this.refreshSoon();
        return;
      }
      this.consentOnly = !this.available;
      this.apply(status, { full: true });
    } catch (e) {
      if (e.status === 401) return;
      if (e.status === 404) {
        if (this.available) {
          this.available = false;
          return this.refresh();
        }
        this.consentOnly = false;
        this.render();
      }
    }
  }

  /** Coalesces a burst of events into one status read. */
  refreshSoon() {
    if (!this.refreshTimer) this.refreshTimer = setTimeout(() => this.refresh(), 30);
  }

  /**
   * Shows `status`. `full`: the whole status, just read from the server;
   * `fresh`: at least its remainingMs is (else the countdown keeps running
   * from the last fresh value).
   */
  apply(status, { full = false, fresh = full } = {}) {
    this.applied = (this.applied || 0) + 1;
    if (full) this.fullApplied = this.applied;
    this.status = status;
    if (fresh) this.asks.syncClock(status);
    if (!status || !status.enabled) this.deadline = 0;
    else if (fresh || !this.deadline) this.deadline = performance.now() + Math.max(0, status.remainingMs || 0);
    this.render();
  }

  /** An event from /api/events. */
  onEvent(ev) {
    if (!ev || typeof ev.type !== 'string' || !ev.type.startsWith('support')) return;
    const s = this.status;
    let handled = false;
    if (ev.type === 'support-status' && typeof ev.enabled === 'boolean') {
      // the whole status rides on the event
      this.apply(ev, { full: true });
      handled = true;
    } else if (ev.type === 'support-revoked' && s) {
      this.apply({ ...s, enabled: false, tier: 0, remainingMs: 0, allows: '' });
    } else if (ev.type === 'support-operate' && s) {
      if ('operate' in ev) {
        this.apply({ ...s, operate: ev.operate });
        handled = true;
      } else if (ev.line !== undefined && s.operate && (!ev.taskId || ev.taskId === s.operate.taskId)) {
        this.apply({ ...s, operate: { ...s.operate, lines: [...(s.operate.lines || []), ev.line].slice(-40) } });
        handled = true;
      }
    }
    // support-audit (and anything else): a grant or revoke that came and went
    // between two of the server's looks shows only in the audit, so read the
    // status again.
    if (!handled) this.refreshSoon();
    if (ev.type !== 'support-operate') this.onAuditChange?.();
  }

  /** While the event stream is down, read the status now and then. */
  eventsConnected(connected) {
    clearInterval(this.fallbackTimer);
    this.fallbackTimer = 0;
    if (connected) this.refresh();
    else this.fallbackTimer = setInterval(() => this.refresh(), 5000);
  }

  tick() {
    this.asks.tick();
    if (!this.status || !this.status.enabled) return;
    const left = this.deadline - performance.now();
    const label = countdownLabel(left);
    if (this.countdownTime.textContent !== label) this.countdownTime.textContent = label;
    if (left <= 0 && !this.expiring) {
      this.expiring = true;
      this.refresh().finally(() => {
        this.expiring = false;
      });
    }
  }

  render() {
    const banner = $('banner');
    const statusEl = $('banner-status');
    const s = this.status;
    const operate = s && s.operate ? s.operate : null;
    const pending = operate && operate.active && Array.isArray(operate.pending) ? operate.pending : [];
    let state;
    if (!this.available && !this.consentOnly) state = 'unavailable';
    else if (!s) state = 'loading';
    else if (operate && operate.active) state = 'operating';
    else if (s.enabled) state = 'on';
    else state = 'off';
    banner.dataset.state = state;
    banner.dataset.asking = String(pending.length > 0);

    const parts = [];
    if (state === 'unavailable') parts.push('Support access: unavailable (the support plugin is not loaded)');
    else if (state === 'loading') parts.push('Support access: checking…');
    else if (state === 'operating') {
      // .wide-only words give way on a phone, so the banner stays one line (app.css)
      parts.push(h('strong', {}, 'Support ', h('span', { class: 'wide-only' }, 'is '), 'operating', h('span', { class: 'wide-only' }, ' your agent')));
      if (operate.taskId) parts.push(h('span', { class: 'wide-only' }, ` · task ${operate.taskId}`));
      if (pending.length) parts.push(h('strong', { class: 'wide-only asking' }, ' · waits for your answer'));
      if (s.enabled) parts.push(h('span', { class: 'wide-only' }, ` · tier ${s.tier} · `), this.countdown);
    } else if (state === 'on') {
      parts.push(h('strong', {}, 'Support', h('span', { class: 'wide-only' }, ' access'), `: ON · tier ${s.tier}`), h('span', { class: 'tier-what', title: `lets support ${s.allows || TIERS[s.tier] || ''}` }, ` · lets support ${s.allows || TIERS[s.tier] || ''} · `), this.countdown);
    } else {
      parts.push(h('strong', {}, 'Support access: off'));
      if (s.offReason && s.offReason !== 'no grant') parts.push(h('span', { class: 'last-action' }, ` (${s.offReason})`));
    }
    if (s && s.enabled && s.operatorEnabled === false) {
      parts.push(h('span', { class: 'last-action' }, ' · operator access is off, so nobody can connect yet'));
    }
    if (this.consentOnly && state === 'off') {
      parts.push(h('span', { class: 'last-action' }, ' · the support plugin is disabled (allow from the command line)'));
    }
    if (s && s.relay && s.relay.connected) {
      // Support reaches this install from outside, through the relay.
      const last = s.relay.lastRequestAt ? ` · relayed: ${s.relay.lastAction} ${timeLabel(s.relay.lastRequestAt)}` : '';
      parts.push(h('span', { class: 'relay-state' }, ` · connected through the relay${last}`));
    }
    if (s && s.active && state !== 'operating' && s.lastAction) {
      parts.push(h('span', { class: 'last-action' }, ` · last: ${s.lastAction.action} ${s.lastAction.ok ? '✓' : '✗'} ${timeLabel(s.lastAction.ts)}`));
    }
    statusEl.replaceChildren(...parts);
    this.tick();

    show($('banner-allow'), state === 'off' && !this.consentOnly);
    show($('banner-revoke'), state === 'on' || (state === 'operating' && s.enabled));
    show($('banner-stop'), state === 'operating');
    if (state !== 'off') this.openAllow(false, true);

    this.asks.update(pending, { taskId: operate ? operate.taskId : '', ended: !operate || !operate.active, resolved: operate ? operate.resolved : [] });

    const lines = operate && Array.isArray(operate.lines) ? operate.lines : [];
    show($('banner-operate'), Boolean(operate));
    if (operate) {
      $('banner-operate').dataset.done = operate.active ? 'false' : 'true';
      const items = lines.map((l) => h('li', {}, lineText(l)));
      if (!operate.active) items.push(h('li', { class: 'operate-end' }, 'Support task finished.'));
      $('operate-lines').replaceChildren(...items);
      $('operate-lines').scrollTop = $('operate-lines').scrollHeight;
    }
  }

  // ---- allow / revoke / stop -------------------------------------------------

  openAllow(open, quiet = false) {
    const form = $('allow-form');
    if (form.hidden === !open) return;
    form.hidden = !open;
    $('banner-allow').setAttribute('aria-expanded', String(open));
    this.confirmStep(false);
    this.allowError('');
    if (open) $('allow-tier').focus();
    else if (!quiet && document.activeElement && form.contains(document.activeElement)) $('banner-allow').focus();
  }

  describeTier() {
    const tier = Number($('allow-tier').value);
    $('allow-tier-help').textContent = `Tier ${tier} lets support ${TIERS[tier]}.${tier >= 3 ? ' You will be asked to confirm.' : ''}`;
  }

  confirmStep(on, text) {
    show($('allow-step-choose'), !on);
    show($('allow-step-confirm'), on);
    if (on) {
      $('allow-confirm-text').textContent = text;
      $('allow-confirm').textContent = `Allow tier ${$('allow-tier').value}`;
      $('allow-confirm').focus();
    }
  }

  allowError(message) {
    $('allow-error').textContent = message;
    show($('allow-error'), Boolean(message));
  }

  async submitAllow(confirmed) {
    const tier = Number($('allow-tier').value);
    const minutesText = $('allow-minutes').value.trim();
    const reason = $('allow-reason').value.trim();
    if (!/^[1-9][0-9]*$/.test(minutesText)) {
      this.allowError('Minutes must be a positive whole number, e.g. 30.');
      $('allow-minutes').focus();
      return;
    }
    const minutes = Number(minutesText);
    if (tier >= 3 && !confirmed) {
      this.confirmStep(
        true,
        `Tier ${tier} lets support ${TIERS[tier]}, for ${minutes} minute${minutes === 1 ? '' : 's'}. ` +
          'Everything support does is audited, and you can revoke it at any time.',
      );
      return;
    }
    this.allowError('');
    const body = { tier, minutes, confirm: tier >= 3 && confirmed };
    if (reason) body.reason = reason;
    try {
      const result = await postJson('/api/support/allow', body);
      this.openAllow(false, true);
      $('banner-revoke').focus();
      if (result && typeof result.enabled === 'boolean') this.apply({ ...(this.status || {}), ...result }, { fresh: true });
      this.refresh();
      this.onAuditChange?.();
    } catch (e) {
      if (e.code === 'confirm-required') this.confirmStep(true, e.message);
      else {
        this.confirmStep(false);
        this.allowError(e.message);
      }
    }
  }

  async revoke() {
    try {
      await postJson(this.consentOnly ? '/api/consent/revoke' : '/api/support/revoke', {});
      if (this.status) this.apply({ ...this.status, enabled: false, tier: 0, remainingMs: 0 });
    } catch (e) {
      if (e.status !== 401) alertLine(`Revoke failed: ${e.message}`);
    }
    this.refresh();
    this.onAuditChange?.();
    $('banner-allow').focus();
  }

  async stopOperate() {
    $('banner-stop').disabled = true;
    try {
      await postJson('/api/support/operate/cancel', {});
    } catch (e) {
      if (e.status !== 401) alertLine(`Stop failed: ${e.message}`);
    } finally {
      $('banner-stop').disabled = false;
    }
    this.refresh();
  }

  // ---- audit and recorded sessions ---------------------------------------------

  async loadAudit() {
    let entries = [];
    if (!this.available) {
      $('audit-empty').textContent = 'The support plugin is not loaded (see Plugins).';
      show($('audit-empty'), true);
      return;
    }
    try {
      entries = (await getJson('/api/support/audit?limit=200')).audit || [];
    } catch (e) {
      if (e.status === 401) return;
      $('audit-empty').textContent = e.status === 404 ? 'The support plugin is not loaded.' : e.message;
      show($('audit-empty'), true);
      $('audit').querySelector('tbody').replaceChildren();
      return;
    }
    $('audit-empty').textContent = 'Nothing has been audited yet.';
    show($('audit-empty'), entries.length === 0);
    const rows = entries.map((e) =>
      h(
        'tr',
        { class: e.ok ? 'ok' : 'denied' },
        h('td', { class: 'nowrap' }, h('time', { datetime: new Date(timeMs(e.ts)).toISOString() }, timeLabel(e.ts))),
        h('td', { class: 'mark' }, h('span', { 'aria-label': e.ok ? 'allowed' : 'refused', title: e.ok ? 'allowed' : 'refused' }, e.ok ? '✓' : '✗')),
        h('td', {}, String(e.action ?? '')),
        h('td', {}, e.tier > 0 ? String(e.tier) : '-'),
        h('td', {}, String(e.actor ?? '')),
        h('td', { class: 'detail' }, String(e.detail ?? '') + (e.unverified ? ' (unverified: from before the hash chain)' : '')),
      ),
    );
    $('audit').querySelector('tbody').replaceChildren(...rows);
  }

  async loadSessions() {
    let list = [];
    if (this.available) try {
      const data = await getJson('/api/support/sessions');
      list = Array.isArray(data) ? data : data.sessions || [];
    } catch (e) {
      if (e.status === 401) return;
      list = [];
    }
    show($('support-sessions-empty'), list.length === 0);
    $('support-sessions').replaceChildren(
      ...list.map((s) => {
        const start = timeMs(s.startedAt || s.started);
        const end = timeMs(s.endedAt || s.ended);
        const reason = s.endReason || s.reason || (s.end && s.end.reason) || (end ? '' : 'running');
        const chunks = s.chunks ?? s.chunkCount;
        const meta = [timeLabel(start), end && start ? durationLabel(end - start) : '', reason, chunks !== undefined ? `${chunks} chunks` : ''];
        return h(
          'li',
          {},
          h(
            'a',
            { href: `#/support/${encodeURIComponent(s.id)}` },
            h('span', { class: 'conv-title' }, s.taskId || s.id),
            h('span', { class: 'conv-meta' }, meta.filter(Boolean).join(' · ')),
          ),
        );
      }),
    );
  }
}

function alertLine(message) {
  const el = $('banner-error');
  el.textContent = message;
  el.hidden = false;
  setTimeout(() => {
    if (el.textContent === message) el.hidden = true;
  }, 8000);
}
