// Numbers and times as people read them. Raw values stay available in data-value attributes, so a
// test (or a curious user) can compare them with the API's.

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });

export const isNumber = (value) => typeof value === 'number' && Number.isFinite(value);

export function count(value) {
  return isNumber(value) ? integer.format(value) : '–';
}

export function shortCount(value) {
  return isNumber(value) ? (Math.abs(value) >= 10000 ? compact.format(value) : integer.format(value)) : '–';
}

export function percent(rate) {
  if (!isNumber(rate)) return '–';
  const pct = rate * 100;
  return (pct === 0 || pct >= 10 ? pct.toFixed(1) : pct.toFixed(2)) + '%';
}

export function millis(ms) {
  if (!isNumber(ms)) return '–';
  if (ms >= 10000) return (ms / 1000).toFixed(1) + ' s';
  if (ms >= 1000) return (ms / 1000).toFixed(2) + ' s';
  return (ms >= 100 ? Math.round(ms) : ms.toFixed(1).replace(/\.0$/, '')) + ' ms';
}

export function usd(value) {
  if (!isNumber(value)) return '–';
  if (value === 0) return '$0';
  if (value < 0.01) return '$' + value.toFixed(5);
  if (value < 100) return '$' + value.toFixed(4);
  return '$' + integer.format(value);
}

export function rate(value) {
  return isNumber(value) ? value.toFixed(1) + ' tok/s' : '–';
}

const pad = (n, width = 2) => String(n).padStart(width, '0');

/** Local time, to the second: 2026-11-28 16:30:15. */
export function time(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso ?? '–');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** Local time with milliseconds, for a call's own timestamp. */
export function preciseTime(iso) {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso ?? '–') : `${time(iso)}.${pad(d.getMilliseconds(), 3)}`;
}

/** The value of an <input type=datetime-local> for an instant, in local time. */
export function localInput(date) {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/** The first characters of a text, on one line. */
export function snippet(text, length = 160) {
  const line = String(text ?? '').replace(/\s+/g, ' ').trim();
  return line.length > length ? line.slice(0, length - 1) + '…' : line;
}
