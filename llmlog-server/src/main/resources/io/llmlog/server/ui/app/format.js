// Numbers and times as people read them. Raw values stay available in data-value attributes, so a
// test (or a curious user) can compare them with the API's.

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });
const significant = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 4 });

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

/** A plain number to four significant digits, for values whose unit a page cannot know. */
export function number(value) {
  return isNumber(value) ? significant.format(value) : '–';
}

/** Bytes in binary units, as the disk guard and the CLI print them: 3.1 GB. */
export function bytes(value) {
  if (!isNumber(value) || value < 0) return '–';
  if (value < 1024) return integer.format(value) + ' B';
  const units = ['KB', 'MB', 'GB', 'TB', 'PB'];
  let scaled = value;
  let unit = -1;
  while (scaled >= 1024 && unit < units.length - 1) {
    scaled /= 1024;
    unit++;
  }
  return scaled.toFixed(1) + ' ' + units[unit];
}

/** An age given in days: hours below a day, whole days above. */
export function age(days) {
  if (!isNumber(days)) return '–';
  return days < 1 ? Math.round(days * 24) + ' h' : integer.format(Math.floor(days)) + ' d';
}

/** How far an instant is from another (the server's now, not this browser's): "in 3 d", "4 min ago". */
export function relative(iso, nowIso) {
  const ms = Date.parse(iso) - Date.parse(nowIso);
  if (!Number.isFinite(ms)) return '';
  const abs = Math.abs(ms);
  const text = abs < 60_000 ? Math.round(abs / 1000) + ' s'
    : abs < 3_600_000 ? Math.round(abs / 60_000) + ' min'
      : abs < 2 * 86_400_000 ? Math.round(abs / 3_600_000) + ' h'
        : Math.round(abs / 86_400_000) + ' d';
  if (abs < 1000) return 'now';
  return ms > 0 ? 'in ' + text : text + ' ago';
}

/**
 * The formatter for the value of an alert condition, from what it computes: a ratio of counts is a
 * rate (5%), a statistic of a *_ms field a duration, of cost_usd money, of a token field a count.
 */
export function conditionFormat(condition) {
  const { left } = conditionParts(condition);
  if (/^count\(.*\)\s*\/\s*count\(.*\)$/s.test(left)) return percent;
  if (/\//.test(left)) return number;
  if (/^(?:percentile|avg|min|max|sum)\(\s*[a-z_]+_ms\b/.test(left)) return millis;
  if (/^(?:avg|min|max|sum)\(\s*cost_usd\b/.test(left)) return usd;
  if (/^count\(/.test(left) || /^(?:avg|min|max|sum)\(\s*[a-z_]*tokens\b/.test(left)) return shortCount;
  return number;
}

/**
 * A condition's value side, comparison and threshold side: split at the first comparison outside
 * parentheses and quotes (the KQL inside count() may hold one).
 */
export function conditionParts(condition) {
  const text = String(condition ?? '');
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (quoted) continue;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (depth === 0 && '<>=!'.includes(c)) {
      const op = text[i + 1] === '=' ? c + '=' : c;
      return { left: text.slice(0, i).trim(), op, right: text.slice(i + op.length).trim() };
    }
  }
  return { left: text.trim(), op: '', right: '' };
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

/** The local date alone: 2026-11-28. */
export function date(iso) {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso ?? '–') : time(iso).slice(0, 10);
}

/** The local time of day alone: 16:30:15. */
export function clock(iso) {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso ?? '–') : time(iso).slice(11);
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
