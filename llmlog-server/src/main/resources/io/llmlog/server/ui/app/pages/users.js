// The users: who made calls matching the query, most recently active first.
import { h } from '../dom.js';
import * as fmt from '../format.js';
import { renderList, linkCell, few } from './listing.js';

const SPEC = {
  id: 'users',
  title: 'Users',
  endpoint: '/api/v1/users',
  items: 'users',
  key: 'user_id',
  view: 'user',
  noun: 'users',
  empty: () => 'users are the user_id of the calls (OpenTelemetry: user.id or enduser.id; the gateway: X-Llmlog-User-Id).',
  columns: [
    { key: 'last', label: 'Last seen', cell: (u, link) => linkCell(fmt.time(u.last), link) },
    { key: 'user', label: 'User', cell: (u) => h('span', { class: 'user-id', text: u.user_id }) },
    { key: 'calls', label: 'Calls', num: true, cell: (u) => fmt.count(u.calls) },
    { key: 'errors', label: 'Errors', num: true, cell: (u) => (u.errors ? h('span', { class: 'badge level-error', text: fmt.count(u.errors) }) : '0') },
    { key: 'tokens', label: 'Tokens', num: true, opt: true, cell: (u) => fmt.count(u.total_tokens) },
    { key: 'cost', label: 'Cost', num: true, cell: (u) => fmt.usd(u.cost_usd) },
    { key: 'sessions', label: 'Sessions', num: true, opt: true, cell: (u) => fmt.count(u.distinct.session_id) },
    { key: 'models', label: 'Models', opt: true, cell: (u) => few(u.models.map((m) => m.model)) },
  ],
};

export function render(main, route, signal) {
  return renderList(SPEC, main, route, signal);
}
