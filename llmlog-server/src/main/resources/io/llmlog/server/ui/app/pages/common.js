// What the pages share: failures, empty selections, headline numbers, and the auto-refresh choice of
// the pages without the search bar.
import { h, replace } from '../dom.js';
import { api } from '../api.js';
import * as fmt from '../format.js';
import { go, href, shared, REFRESH } from '../route.js';
import { showKqlError, showParameterError } from '../querybar.js';
import { latestCall, onboarding } from './onboarding.js';

/** Shows a failed load: KQL and parameter errors at the search bar, the rest in the page. */
export function showFailure(root, error, query) {
  if (error.name === 'AbortError') return;
  root.dataset.state = 'error';
  if (error.type === 'kql_syntax_error') {
    showKqlError(error, query);
    replace(root, h('p', { class: 'notice', text: 'Fix the query above to see results.' }));
  } else if (error.type === 'invalid_parameter') {
    showParameterError(error.message);
    replace(root, h('p', { class: 'notice', text: 'Fix the parameters above to see results.' }));
  } else {
    const hint = error.status === 401 ? ' An API key with the read role is needed.' : error.status === 403 ? '' : ' Retry in a moment.';
    // Loading the view again asks for the key again (the API answers 401 once more).
    const retry = h('button', { type: 'button', class: 'small', text: error.status === 401 ? 'Enter an API key' : 'Retry',
      on: { click: () => window.dispatchEvent(new HashChangeEvent('hashchange')) } });
    replace(root, h('div', { class: 'error-box', role: 'alert' },
      h('strong', { text: error.status ? `Error ${error.status}: ` : 'Error: ' }), error.message + hint, ' ', retry));
  }
}

/**
 * Nothing matched: either nothing was ever stored (the welcome, with how to send a first call), or
 * only this selection is empty (say so, and offer a wider one).
 */
export async function showEmpty(root, page, params, range, signal) {
  const latest = await latestCall(api, signal);
  if (signal.aborted) return;
  root.dataset.state = 'empty';
  if (latest === null) {
    replace(root, onboarding());
    return;
  }
  const wider = { ...shared(params), range: '7d', from: '', to: '' };
  replace(root, h('section', { class: 'card empty', dataset: { empty: 'no-match' } },
    h('h2', { text: params.q ? 'No calls match this query in this time range' : 'No calls in this time range' }),
    h('p', {}, `${range.label}: nothing${params.q ? ' matches ' : ''}`, params.q ? h('code', { text: params.q }) : null, '. The newest call was stored at ', h('strong', { text: fmt.time(latest) }), '.'),
    h('p', { class: 'actions' },
      h('a', { class: 'button', href: href(page, wider), text: 'Last 7 days' }),
      params.q ? h('a', { class: 'button', href: href(page, { ...shared(params), q: '' }), text: 'Clear the query' }) : null)));
}

/**
 * The auto-refresh choice of a page without the search bar, kept in the URL as the bar keeps it.
 * Its options are the bar's, so both always offer the same.
 */
export function refreshControl(page, params, fallback) {
  const select = h('select', { name: 'refresh', id: 'page-refresh' },
    [...document.querySelectorAll('#refresh option')].map((option) => h('option', { value: option.value, text: option.textContent })));
  select.value = Object.hasOwn(REFRESH, params.refresh ?? '') ? params.refresh : fallback;
  select.addEventListener('change', () => go(page, { ...params, refresh: select.value }));
  return h('label', { class: 'page-refresh' }, h('span', { class: 'visually-hidden', text: 'Auto-refresh' }), select);
}

/** A page's title with its tools beside it. */
export function pageHead(title, ...tools) {
  return h('div', { class: 'page-head' }, h('h1', { id: 'page-title', text: title }), h('span', { class: 'spacer' }), tools);
}

/** A headline number; data-value holds the API's number as it came. */
export function kpi(metric, label, value, format, note, tone) {
  return h('div', { class: 'kpi card' + (tone ? ' ' + tone : ''), dataset: { metric, value: String(value) } },
    h('span', { class: 'kpi-label', text: label }),
    h('span', { class: 'kpi-value', text: format(value) }),
    note ? h('span', { class: 'kpi-note', text: note }) : null);
}
