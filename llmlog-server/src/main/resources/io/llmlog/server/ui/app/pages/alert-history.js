// The history of alert state changes (GET /api/v1/alerts/history), newest first, filtered by alert
// and by the state changed to; the filter lives in the URL with the rest of the view.
import { api } from '../api.js';
import { h } from '../dom.js';
import * as fmt from '../format.js';
import { go, href } from '../route.js';

const SIZE = 100;
export const STATES = ['firing', 'pending', 'resolved', 'inactive'];
const STATE_LABEL = { firing: 'Firing', pending: 'Pending', resolved: 'Resolved', inactive: 'OK' };
/** Labels every transition has; the others (group_by values, the rule's labels) are worth showing. */
const IMPLIED_LABELS = new Set(['alertname', 'severity']);

/** A state as a coloured word: firing red, pending amber, resolved and OK green. */
export function statePill(state) {
  return h('span', { class: 'state-pill state-' + state, dataset: { statePill: state }, text: STATE_LABEL[state] || state });
}

export function loadHistory(params, signal) {
  return api('/api/v1/alerts/history', {
    params: { alert: params.alert, state: STATES.includes(params.state) ? params.state : '', size: SIZE },
    signal,
  });
}

export function historyPanel(params, rules, history) {
  const transitions = history.transitions || [];
  const names = [...new Set([...rules.map((r) => r.alert), ...transitions.map((t) => t.alert), params.alert].filter(Boolean))];
  const alert = select('history-alert', 'alert', [['', 'All alerts'], ...names.map((n) => [n, n])], params.alert || '');
  const state = select('history-state', 'state', [['', 'Any state'], ...STATES.map((s) => [s, STATE_LABEL[s]])],
    STATES.includes(params.state) ? params.state : '');
  const apply = () => go('alerts', { ...params, alert: alert.value, state: state.value });
  alert.addEventListener('change', apply);
  state.addEventListener('change', apply);
  const filtered = Boolean(params.alert || params.state);
  const shown = transitions.length < history.total ? `newest ${fmt.count(transitions.length)} of ${fmt.count(history.total)}` : fmt.count(history.total);
  return h('section', { class: 'history', 'aria-labelledby': 'history-title', dataset: { total: String(history.total) } },
    h('div', { class: 'section-head' },
      h('h2', { id: 'history-title', text: 'History' }),
      h('span', { class: 'muted', text: `${shown} state changes` }),
      h('span', { class: 'spacer' }),
      h('form', { class: 'filters', 'aria-label': 'Filter the history', on: { submit: (e) => { e.preventDefault(); apply(); } } },
        h('label', {}, 'Alert ', alert),
        h('label', {}, 'Changed to ', state))),
    transitions.length
      ? h('div', { class: 'card scroll' }, table(transitions, params))
      : h('p', { class: 'card empty', dataset: { empty: 'no-history' } },
        filtered ? 'No state changes match this filter. ' : 'No state changes recorded yet: every change of an alert (pending, firing, resolved) shows here. ',
        filtered ? h('a', { href: href('alerts', { refresh: params.refresh }), text: 'Show all' }) : null));
}

function select(id, name, options, value) {
  const element = h('select', { id, name }, options.map(([v, text]) => h('option', { value: v, text })));
  element.value = value;
  return element;
}

function table(transitions, params) {
  return h('table', { class: 'grid history-table' },
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col', text: 'Time' }),
      h('th', { scope: 'col', text: 'Alert' }),
      h('th', { scope: 'col', text: 'State' }),
      h('th', { scope: 'col', class: 'num', text: 'Value' }),
      h('th', { scope: 'col', class: 'num opt', text: 'Threshold' }),
      h('th', { scope: 'col', class: 'num opt', text: 'Calls' }),
      h('th', { scope: 'col', class: 'opt', text: 'Labels' }),
      h('th', { scope: 'col', class: 'opt', text: 'Summary' }))),
    h('tbody', {}, transitions.map((t) => {
      const format = fmt.conditionFormat(t.condition);
      const labels = Object.entries(t.labels || {}).filter(([k]) => !IMPLIED_LABELS.has(k));
      return h('tr', { dataset: { alert: t.alert, to: t.to, timestamp: t.timestamp } },
        h('td', { class: 'nowrap', text: fmt.time(t.timestamp) }),
        h('td', {}, h('a', { href: href('alerts', { alert: t.alert, refresh: params.refresh }), text: t.alert })),
        h('td', { class: 'nowrap' }, statePill(t.from), h('span', { class: 'arrow', 'aria-label': 'to', text: ' → ' }), statePill(t.to)),
        h('td', { class: 'num', dataset: { value: String(t.value) }, text: t.value === null ? 'no value' : format(t.value) }),
        h('td', { class: 'num opt', text: format(t.threshold) }),
        h('td', { class: 'num opt', text: fmt.count(t.calls) }),
        h('td', { class: 'opt' }, labels.length ? labels.map(([k, v]) => h('span', { class: 'badge', text: `${k}=${v}` })) : '–'),
        h('td', { class: 'opt col-summary', text: t.summary || '' }));
    })));
}
