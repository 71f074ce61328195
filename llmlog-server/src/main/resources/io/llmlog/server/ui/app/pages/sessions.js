// The sessions: conversations with a call matching the query, most recently active first.
import { h } from '../dom.js';
import * as fmt from '../format.js';
import { renderList, linkCell, few } from './listing.js';

const SPEC = {
  id: 'sessions',
  title: 'Sessions',
  endpoint: '/api/v1/sessions',
  items: 'sessions',
  key: 'session_id',
  view: 'session',
  noun: 'sessions',
  empty: () => 'sessions are the calls that share a session_id (OpenTelemetry: gen_ai.conversation.id or session.id).',
  columns: [
    { key: 'last', label: 'Last activity', cell: (s, link) => linkCell(fmt.time(s.last), link) },
    { key: 'session', label: 'Session', cell: (s) => h('code', { class: 'id', text: s.session_id }) },
    { key: 'calls', label: 'Turns', num: true, cell: (s) => fmt.count(s.calls) },
    { key: 'errors', label: 'Errors', num: true, cell: (s) => (s.errors ? h('span', { class: 'badge level-error', text: fmt.count(s.errors) }) : '0') },
    { key: 'tokens', label: 'Tokens', num: true, opt: true, cell: (s) => fmt.count(s.total_tokens) },
    { key: 'cost', label: 'Cost', num: true, cell: (s) => fmt.usd(s.cost_usd) },
    { key: 'users', label: 'Users', opt: true, cell: (s) => few(s.users.map((u) => u.user_id)) },
    { key: 'models', label: 'Models', opt: true, cell: (s) => few(s.models.map((m) => m.model)) },
  ],
};

export function render(main, route, signal) {
  return renderList(SPEC, main, route, signal);
}
