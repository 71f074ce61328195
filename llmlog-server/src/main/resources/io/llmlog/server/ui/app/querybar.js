// The search bar shared by the overview and the explorer: KQL, time range, auto-refresh.
import { h, replace } from './dom.js';
import { PRESETS, REFRESH, DEFAULT_RANGE } from './route.js';
import { localInput } from './format.js';

const form = document.getElementById('query-bar');
const kql = document.getElementById('kql');
const range = document.getElementById('range');
const custom = document.getElementById('custom-range');
const customFrom = document.getElementById('custom-from');
const customTo = document.getElementById('custom-to');
const refresh = document.getElementById('refresh');
const errorBox = document.getElementById('kql-error');

let submit = () => {};

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const params = { q: kql.value.trim(), range: range.value, refresh: refresh.value === 'off' ? '' : refresh.value };
  if (range.value === 'custom') {
    const from = new Date(customFrom.value);
    const to = customTo.value ? new Date(customTo.value) : null;
    if (Number.isNaN(from.getTime())) {
      customFrom.focus();
      return;
    }
    params.from = from.toISOString();
    params.to = to && !Number.isNaN(to.getTime()) ? to.toISOString() : '';
  }
  submit(params);
});

range.addEventListener('change', () => {
  custom.hidden = range.value !== 'custom';
  if (range.value === 'custom') {
    if (!customFrom.value) customFrom.value = localInput(new Date(Date.now() - 3600_000));
    customFrom.focus();
  } else {
    form.requestSubmit();
  }
});
refresh.addEventListener('change', () => form.requestSubmit());
kql.addEventListener('input', () => clearKqlError());

/** Shows the bar with a view's parameters; onSubmit gets the new shared parameters. */
export function showQueryBar(params, onSubmit) {
  form.hidden = false;
  submit = onSubmit;
  if (document.activeElement !== kql) kql.value = params.q || '';
  range.value = params.range === 'custom' || PRESETS[params.range] ? params.range : DEFAULT_RANGE;
  custom.hidden = range.value !== 'custom';
  if (range.value === 'custom') {
    customFrom.value = params.from ? localInput(new Date(params.from)) : '';
    customTo.value = params.to && params.to !== 'now' ? localInput(new Date(params.to)) : '';
  }
  refresh.value = REFRESH[params.refresh] ? params.refresh : 'off';
}

export function hideQueryBar() {
  form.hidden = true;
  clearKqlError();
}

export function focusSearch() {
  if (form.hidden) return false;
  kql.focus();
  kql.select();
  return true;
}

/**
 * A KQL error from the API, with the query and a caret under the position it names, and the
 * cursor put there.
 */
export function showKqlError(error, query) {
  kql.setAttribute('aria-invalid', 'true');
  // The reason's first line already says where: "KQL syntax error at position 12: expected ...".
  const lines = [h('strong', { text: error.message.split('\n')[0] })];
  if (error.position !== null && query) {
    const at = Math.min(error.position, query.length);
    lines.push(h('pre', { class: 'kql-caret', dataset: { position: String(error.position) } },
      query.slice(0, at),
      h('span', { class: 'kql-at', text: query.slice(at, at + 1) || ' ' }),
      query.slice(at + 1),
      '\n' + ' '.repeat(at) + '^'));
    kql.setSelectionRange(at, Math.min(query.length, at + 1));
  }
  replace(errorBox, lines);
  errorBox.hidden = false;
}

/** Any other error of the parameters (a bad custom date, say). */
export function showParameterError(message) {
  replace(errorBox, h('strong', { text: 'Invalid parameters' }), ' ', message);
  errorBox.hidden = false;
}

export function clearKqlError() {
  kql.removeAttribute('aria-invalid');
  errorBox.hidden = true;
  errorBox.replaceChildren();
}
