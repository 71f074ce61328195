// The explorer, like Kibana's Discover: KQL search over the calls, a sortable table, paging with
// search_after tokens, and a click through to each call.
import { api } from '../api.js';
import { h, replace, highlighted } from '../dom.js';
import * as fmt from '../format.js';
import { go, href, shared, timeRange, rememberList } from '../route.js';
import { showQueryBar, clearKqlError } from '../querybar.js';
import { showFailure, showEmpty } from './common.js';

const PAGE_SIZE = 50;
const DEFAULT_SORT = 'timestamp:desc';
const FIELDS = ['timestamp', 'model', 'user_id', 'latency_ms', 'input_tokens', 'output_tokens', 'total_tokens', 'level', 'stop_reason', 'prompt', 'error.type'];

/** The columns; sort names the field a header sorts by, first the direction it starts with. */
const COLUMNS = [
  { key: 'time', label: 'Time', sort: 'timestamp', first: 'desc' },
  { key: 'model', label: 'Model', sort: 'model', first: 'asc' },
  { key: 'user', label: 'User', sort: 'user_id', first: 'asc', optional: true },
  { key: 'latency', label: 'Latency', sort: 'latency_ms', first: 'desc', numeric: true },
  { key: 'tokens', label: 'Tokens in → out', sort: 'total_tokens', first: 'desc', numeric: true, optional: true },
  { key: 'level', label: 'Level', sort: 'level', first: 'asc' },
  { key: 'stop', label: 'Stop reason', sort: 'stop_reason', first: 'asc', optional: true },
  { key: 'prompt', label: 'Prompt' },
];

export function render(main, route, signal) {
  const params = route.params;
  const sort = params.sort || DEFAULT_SORT;
  const pages = params.pages ? params.pages.split('.') : [];
  showQueryBar(params, (next) => go('explorer', { ...next, sort: params.sort }));
  rememberList(location.hash);
  const range = timeRange(params);
  const root = h('div', { class: 'explorer-body', dataset: { state: 'loading' } }, h('p', { class: 'loading', text: 'Searching…' }));
  replace(main, h('section', { class: 'page', dataset: { view: 'explorer' }, 'aria-labelledby': 'page-title' },
    h('h1', { id: 'page-title', text: 'Explorer' }), root));

  const load = async () => {
    try {
      const result = await api('/api/v1/search', {
        params: { q: params.q, from: range.from, to: range.to, sort, size: PAGE_SIZE, fields: FIELDS.join(','), search_after: pages[pages.length - 1] },
        signal,
      });
      if (signal.aborted) return;
      clearKqlError();
      if (result.hits.length === 0 && pages.length === 0) {
        await showEmpty(root, 'explorer', params, range, signal);
        return;
      }
      draw(root, params, sort, pages, result);
    } catch (error) {
      showFailure(root, error, params.q);
    }
  };
  load();
  return { refresh: load };
}

function draw(root, params, sort, pages, result) {
  const [sortField, sortDirection] = sort.split(':');
  const first = pages.length * PAGE_SIZE + 1;
  const last = pages.length * PAGE_SIZE + result.hits.length;
  const total = result.total_relation === 'eq' ? fmt.count(result.total) : fmt.count(result.total) + '+';
  const view = (changes) => href('explorer', { ...shared(params), sort: params.sort, pages: pages.join('.'), ...changes });

  const header = h('tr', {}, COLUMNS.map((c) => {
    if (!c.sort) return h('th', { scope: 'col', class: 'col-' + c.key, text: c.label });
    const active = sortField === c.sort;
    const direction = active ? (sortDirection === 'desc' ? 'asc' : 'desc') : c.first;
    return h('th', { scope: 'col', class: 'col-' + c.key + (c.numeric ? ' num' : '') + (c.optional ? ' opt' : ''),
      'aria-sort': active ? (sortDirection === 'asc' ? 'ascending' : 'descending') : null },
    h('a', { class: 'sort' + (active ? ' active' : ''), href: view({ sort: `${c.sort}:${direction}`, pages: '' }),
      title: `Sort by ${c.label.toLowerCase()}`, dataset: { sort: c.sort } },
    c.label, active ? h('span', { class: 'arrow', 'aria-hidden': 'true', text: sortDirection === 'asc' ? ' ▲' : ' ▼' }) : null));
  }));

  const rows = result.hits.map((hit) => row(hit));
  replace(root,
    h('p', { class: 'summary', dataset: { total: String(result.total) } },
      h('strong', { text: `${total} calls` }), ` · showing ${fmt.count(first)}–${fmt.count(last)} · ${timeRange(params).label}`,
      params.q ? [' · ', h('code', { text: params.q })] : null,
      h('span', { class: 'updated', text: ` · ${result.took_ms} ms` })),
    h('div', { class: 'card scroll' }, h('table', { class: 'grid results' }, h('thead', {}, header), h('tbody', {}, rows))),
    h('nav', { class: 'pager', 'aria-label': 'Result pages' },
      pages.length
        ? h('a', { class: 'button', rel: 'prev', href: view({ pages: pages.slice(0, -1).join('.') }), dataset: { pager: 'previous' }, text: '← Previous' })
        : h('span', { class: 'button disabled', 'aria-disabled': 'true', text: '← Previous' }),
      h('span', { class: 'page-number', text: `Page ${pages.length + 1}` }),
      result.next
        ? h('a', { class: 'button', rel: 'next', href: view({ pages: [...pages, result.next].join('.') }), dataset: { pager: 'next' }, text: 'Next →' })
        : h('span', { class: 'button disabled', 'aria-disabled': 'true', text: 'Next →' })));
  root.dataset.state = 'ready';
}

function row(hit) {
  const d = hit.document;
  const link = href('call', {}, hit.request_id);
  const level = d.level || 'info';
  const tr = h('tr', { class: 'clickable level-' + level, dataset: { requestId: hit.request_id } },
    h('td', { class: 'col-time nowrap' }, h('a', { href: link, text: fmt.time(d.timestamp) })),
    h('td', { class: 'col-model', text: d.model ?? '–' }),
    h('td', { class: 'col-user opt', text: d.user_id ?? '–' }),
    h('td', { class: 'col-latency num', dataset: { value: String(d.latency_ms ?? '') }, text: fmt.millis(d.latency_ms) }),
    h('td', { class: 'col-tokens num opt nowrap', text: `${fmt.count(d.input_tokens)} → ${fmt.count(d.output_tokens)}` }),
    h('td', { class: 'col-level' }, h('span', { class: 'badge level-' + level, text: level })),
    h('td', { class: 'col-stop opt', text: d.stop_reason ?? (d.error?.type ? 'error: ' + d.error.type : '–') }),
    h('td', { class: 'col-prompt' }, promptCell(hit)));
  // The whole row opens the call; the time is the link for keyboards and new tabs.
  tr.addEventListener('click', (event) => {
    if (event.target.closest('a') || window.getSelection().toString()) return;
    location.hash = link;
  });
  return tr;
}

/** The matched fragment when the query matched a text, else the prompt's beginning. */
function promptCell(hit) {
  for (const field of ['prompt', 'response', 'system_prompt']) {
    const fragments = hit.highlight?.[field];
    if (fragments && fragments.length) {
      return h('span', { class: 'snippet-text', dataset: { highlight: field } },
        field === 'prompt' ? null : h('span', { class: 'field-tag', text: field.replace('_', ' ') + ': ' }),
        highlighted(fragments[0]));
    }
  }
  return h('span', { class: 'snippet-text', text: fmt.snippet(hit.document.prompt, 140) || '–' });
}
