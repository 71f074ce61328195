// One user: calls, errors, tokens and cost in the time range, first and last call, the models and
// the sessions, with links to their calls and traces.
import { api } from '../api.js';
import { h, replace } from '../dom.js';
import * as fmt from '../format.js';
import { href, kqlEquals, timeRange, rememberList, lastViewHref, go } from '../route.js';
import { kpi } from './common.js';

export function render(main, route, signal) {
  const id = route.id ?? '';
  const params = route.params;
  rememberList(location.hash);
  const range = timeRange(params);
  const select = h('select', { id: 'user-range', 'aria-label': 'Time range' },
    [['24h', 'Last 24 hours'], ['7d', 'Last 7 days'], ['all', 'Everything stored']].map(([value, label]) => h('option', { value, text: label })));
  select.value = params.range === '24h' || params.range === '7d' ? params.range : 'all';
  select.addEventListener('change', () => go('user', { range: select.value === 'all' ? '' : select.value }, id));
  const root = h('div', { class: 'user-body', dataset: { state: 'loading' } }, h('p', { class: 'loading', text: 'Loading the user…' }));
  replace(main, h('section', { class: 'page', dataset: { view: 'user' }, 'aria-labelledby': 'page-title' },
    h('p', { class: 'back' }, h('a', { href: lastViewHref('users'), text: '← Users' })),
    h('div', { class: 'page-head' }, h('h1', { id: 'page-title', class: 'call-title' }, 'User ', h('code', { text: id })), h('span', { class: 'spacer' }), select),
    root));
  const inRange = select.value === 'all' ? {} : { from: range.from, to: range.to };
  const load = async () => {
    try {
      const user = await api('/api/v1/users/' + encodeURIComponent(id), { params: inRange, signal });
      if (signal.aborted) return;
      draw(root, user);
    } catch (error) {
      if (error.name === 'AbortError') return;
      root.dataset.state = 'error';
      replace(root, h('div', { class: 'error-box', role: 'alert' },
        error.status === 404 ? `No call of user “${id}” is stored${select.value === 'all' ? '' : ' in this time range'}.` : `Error ${error.status || ''}: ${error.message}`));
    }
  };
  load();
  return { refresh: load };
}

function draw(root, u) {
  const q = kqlEquals('user_id', u.user_id);
  replace(root,
    h('div', { class: 'kpis' },
      kpi('calls', 'Calls', u.calls, fmt.count),
      kpi('errors', 'Errors', u.errors, fmt.count, u.calls ? fmt.percent(u.errors / u.calls) : null, u.errors ? 'bad' : null),
      kpi('tokens', 'Tokens', u.total_tokens, fmt.count, `${fmt.count(u.input_tokens)} in · ${fmt.count(u.output_tokens)} out`),
      kpi('cost', 'Cost', u.cost_usd, fmt.usd),
      kpi('first', 'First call', u.first, fmt.clock, fmt.date(u.first)),
      kpi('last', 'Last call', u.last, fmt.clock, fmt.date(u.last)),
      kpi('sessions', 'Sessions', u.distinct.session_id, fmt.count),
      kpi('traces', 'Traces', u.distinct.trace_id, fmt.count)),
    h('nav', { class: 'related', 'aria-label': 'Calls and traces of the user' },
      h('a', { class: 'button small', dataset: { related: 'user_id' }, href: href('explorer', { q, range: '7d' }), text: 'Calls of this user' }),
      h('a', { class: 'button small', dataset: { open: 'traces' }, href: href('traces', { q, range: '7d' }), text: 'Traces of this user' })),
    h('div', { class: 'tables' },
      table('Models', ['Model', 'Calls', 'Last call'], u.models.map((m) => [m.model, fmt.count(m.calls), fmt.time(m.last)]), 'models'),
      table('Sessions, most recent first', ['Session', 'Calls', 'Last call'],
        u.sessions.map((s) => [h('a', { href: href('session', {}, s.session_id), dataset: { open: 'session' }, text: s.session_id }), fmt.count(s.calls), fmt.time(s.last)]),
        'sessions')));
  root.dataset.state = 'ready';
}

function table(title, headers, rows, id) {
  return h('section', { class: 'card table-card', dataset: { table: id } },
    h('h2', { text: title }),
    rows.length
      ? h('table', { class: 'grid' }, h('thead', {}, h('tr', {}, headers.map((label, i) => h('th', { scope: 'col', class: i ? 'num' : null, text: label })))),
        h('tbody', {}, rows.map((cells) => h('tr', {}, cells.map((cell, i) => h('td', { class: i ? 'num' : null }, cell))))))
      : h('p', { class: 'muted', text: 'None.' }));
}
