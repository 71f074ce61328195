// The view lives in the URL's hash: #/explorer?q=level:error&range=1h&sort=latency_ms:desc.
// A shared link, a bookmark or a reload shows the same view.

export const PRESETS = { '15m': 'Last 15 minutes', '1h': 'Last 1 hour', '24h': 'Last 24 hours', '7d': 'Last 7 days' };
export const DEFAULT_RANGE = '24h';
export const REFRESH = { off: 0, '10s': 10000, '30s': 30000, '1m': 60000 };

/** {page, id, params} of a hash such as #/call/abc?x=1; an empty hash is the overview. */
export function parse(hash) {
  const text = hash.replace(/^#\/?/, '');
  const question = text.indexOf('?');
  const path = question < 0 ? text : text.slice(0, question);
  const params = Object.fromEntries(new URLSearchParams(question < 0 ? '' : text.slice(question + 1)));
  const [page, ...rest] = path.split('/');
  let id = null;
  if (rest.length) {
    try {
      id = decodeURIComponent(rest.join('/'));
    } catch {
      id = rest.join('/');
    }
  }
  return { page: page || 'overview', id, params };
}

/** The hash of a view; empty parameters are left out. */
export function href(page, params = {}, id = null) {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== null && value !== undefined && value !== '') query.set(name, value);
  }
  const text = query.toString();
  return '#/' + page + (id === null ? '' : '/' + encodeURIComponent(id)) + (text ? '?' + text : '');
}

/** Shows a view as a new history entry; the same view again is loaded anew (a repeated search). */
export function go(page, params, id = null) {
  const target = href(page, params, id);
  if (target === location.hash) {
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } else {
    location.hash = target;
  }
}

/** The parameters a view shares with the others: query, time range, auto-refresh. */
export function shared(params) {
  const { q, range, from, to, refresh } = params;
  return { q, range, from, to, refresh };
}

/** The API's from/to for the view's time range, with a label for people. */
export function timeRange(params) {
  const range = params.range || DEFAULT_RANGE;
  if (range === 'custom' && params.from) {
    return { from: params.from, to: params.to || 'now', label: 'Custom range' };
  }
  const preset = PRESETS[range] ? range : DEFAULT_RANGE;
  return { from: 'now-' + preset, to: 'now', label: PRESETS[preset] };
}

/** A KQL clause matching a keyword value exactly, quoted and escaped. */
export function kqlEquals(field, value) {
  return `${field}:"${String(value).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

let lastList = null;
const lastViews = new Map();

/** Remembers the view a call was opened from (a search, a trace, a session), for the call page's way back. */
export function rememberList(hash) {
  lastList = hash;
}

export function lastListHref() {
  return lastList || '#/explorer';
}

/** Remembers the last view of a kind (the traces list, say), for the way back from one of its items. */
export function rememberView(kind, hash) {
  lastViews.set(kind, hash);
}

export function lastViewHref(kind) {
  return lastViews.get(kind) || '#/' + kind;
}
