// Small text helpers for labels: Markdown to plain text for titles, dates.
const pad = (n) => String(n).padStart(2, '0');

/**
 * A time as ms since the epoch, 0 when there is none. The API's JSON carries
 * ISO 8601 UTC strings ("2026-12-01T08:27:59.123Z") or null; lines stored on
 * disk and served as they are (transcripts, support recordings) carry ms.
 */
export function timeMs(t) {
  if (typeof t === 'number') return Number.isFinite(t) ? t : 0;
  if (typeof t !== 'string' || !t) return 0;
  const ms = Date.parse(t);
  return Number.isFinite(ms) ? ms : 0;
}

/** A one-line title without Markdown marks: "Please **summarise** `x`" -> "Please summarise x". */
export function plainTitle(text) {
  return String(text ?? '')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1') // [text](url), ![alt](src)
    .replace(/`+([^`]*)`+/g, '$1')
    .replace(/(\*\*|__)(.+?)\1/g, '$2')
    .replace(/(^|[\s(])[*_](\S(?:.*?\S)?)[*_](?=[\s).,;:!?]|$)/g, '$1$2')
    .replace(/~~(.+?)~~/g, '$1')
    .replace(/^\s{0,3}(#{1,6}\s+|>\s?|[-*+]\s+|\d+[.)]\s+)/, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** "14:05" today, "yesterday 14:05", "Mon 14:05" this week, "3 Nov" this year, else "3 Nov 2025". */
export function dateLabel(t, now = new Date()) {
  const ms = timeMs(t);
  if (!ms) return '';
  const d = new Date(ms);
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  const day = (x) => new Date(x.getFullYear(), x.getMonth(), x.getDate()).getTime();
  const days = Math.round((day(now) - day(d)) / 86400000);
  if (days === 0) return `today ${time}`;
  if (days === 1) return `yesterday ${time}`;
  if (days > 1 && days < 7) return `${d.toLocaleDateString('en-GB', { weekday: 'short' })} ${time}`;
  const opts = { day: 'numeric', month: 'short' };
  if (d.getFullYear() !== now.getFullYear()) opts.year = 'numeric';
  return d.toLocaleDateString('en-GB', opts);
}
