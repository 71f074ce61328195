// The traces: agent runs with a call or step matching the query, latest start first.
import { h } from '../dom.js';
import * as fmt from '../format.js';
import { go, shared } from '../route.js';
import { renderList, linkCell, few } from './listing.js';

const OVER = { any: 'Calls and steps', calls: 'Calls only', steps: 'Steps only' };

const SPEC = {
  id: 'traces',
  title: 'Traces',
  endpoint: '/api/v1/traces',
  items: 'traces',
  key: 'trace_id',
  view: 'trace',
  noun: 'traces',
  keep: ['over'],
  extra: (params) => ({ over: params.over }),
  tools: (params) => {
    const select = h('select', { id: 'over', name: 'over', 'aria-label': 'Search in' },
      Object.entries(OVER).map(([value, label]) => h('option', { value, text: 'KQL over: ' + label })));
    select.value = OVER[params.over] ? params.over : 'any';
    select.addEventListener('change', () => go('traces', { ...shared(params), over: select.value === 'any' ? '' : select.value }));
    return select;
  },
  empty: () => 'traces come from OpenTelemetry spans, the native steps API and calls that carry a trace_id (the gateway takes it from traceparent).',
  columns: [
    { key: 'start', label: 'Start', cell: (t, link) => linkCell(fmt.time(t.start), link) },
    {
      key: 'root', label: 'Root', cell: (t) => [
        h('span', { class: 'badge kind-' + t.root.kind, text: t.root.kind }), ' ', h('span', { class: 'root-name', text: t.root.name }),
        t.root.synthetic ? h('span', { class: 'muted', title: 'the trace has no single root span', text: ' (no single root)' }) : null,
      ],
    },
    { key: 'duration', label: 'Duration', num: true, cell: (t) => h('span', { dataset: { value: String(t.duration_ms) }, text: fmt.millis(t.duration_ms) }) },
    { key: 'calls', label: 'Calls', num: true, cell: (t) => fmt.count(t.calls) },
    { key: 'steps', label: 'Steps', num: true, cell: (t) => fmt.count(t.steps) },
    { key: 'errors', label: 'Errors', num: true, cell: (t) => (t.errors ? h('span', { class: 'badge level-error', text: fmt.count(t.errors) }) : '0') },
    { key: 'tokens', label: 'Tokens', num: true, opt: true, cell: (t) => fmt.count(t.total_tokens) },
    { key: 'cost', label: 'Cost', num: true, cell: (t) => fmt.usd(t.cost_usd) },
    { key: 'users', label: 'Users', opt: true, cell: (t) => few(t.users) },
    { key: 'id', label: 'Trace id', opt: true, cell: (t) => h('code', { class: 'id', text: t.trace_id }) },
  ],
};

export function render(main, route, signal) {
  return renderList(SPEC, main, route, signal);
}
