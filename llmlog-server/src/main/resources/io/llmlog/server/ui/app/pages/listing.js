// What the traces, sessions and users lists share: a page of groups from the API, as a table whose
// rows open the group's view, with paging by the API's search_after tokens kept in the URL.
import { api } from '../api.js';
import { h, replace } from '../dom.js';
import * as fmt from '../format.js';
import { go, href, shared, timeRange, rememberList, rememberView } from '../route.js';
import { showQueryBar, clearKqlError } from '../querybar.js';
import { showFailure } from './common.js';

export const PAGE_SIZE = 50;

/**
 * Renders a list page. spec: {id, title, endpoint, items (the answer's array), key (the item's id
 * field), view (the page that opens one), noun, columns: [{key, label, num, opt, cell(item)}],
 * extra(params) (more API parameters), tools(params) (elements beside the title), empty(params)}.
 */
export function renderList(spec, main, route, signal) {
  const params = route.params;
  const pages = params.pages ? params.pages.split('.') : [];
  showQueryBar(params, (next) => go(spec.id, { ...next, ...keep(spec, params) }));
  rememberList(location.hash);
  rememberView(spec.id, location.hash);
  const range = timeRange(params);
  const root = h('div', { class: 'list-body', dataset: { state: 'loading' } }, h('p', { class: 'loading', text: 'Loading…' }));
  replace(main, h('section', { class: 'page', dataset: { view: spec.id }, 'aria-labelledby': 'page-title' },
    h('div', { class: 'page-head' }, h('h1', { id: 'page-title', text: spec.title }), h('span', { class: 'spacer' }), spec.tools?.(params)),
    root));
  const load = async () => {
    try {
      const answer = await api(spec.endpoint, {
        params: { q: params.q, from: range.from, to: range.to, size: PAGE_SIZE, search_after: pages[pages.length - 1], ...spec.extra?.(params) },
        signal,
      });
      if (signal.aborted) return;
      clearKqlError();
      draw(spec, root, params, pages, range, answer);
    } catch (error) {
      showFailure(root, error, params.q);
    }
  };
  load();
  return { refresh: load };
}

/** The list's own parameters, which a new search keeps. */
function keep(spec, params) {
  return Object.fromEntries((spec.keep || []).map((name) => [name, params[name]]));
}

function draw(spec, root, params, pages, range, answer) {
  const items = answer[spec.items] || [];
  const view = (changes) => href(spec.id, { ...shared(params), ...keep(spec, params), pages: pages.join('.'), ...changes });
  if (!items.length && !pages.length) {
    root.dataset.state = 'empty';
    replace(root, h('section', { class: 'card empty', dataset: { empty: spec.id } },
      h('h2', { text: `No ${spec.noun} in this time range` + (params.q ? ' match this query' : '') }),
      h('p', {}, `${range.label}: `, spec.empty(params)),
      h('p', { class: 'actions' }, h('a', { class: 'button', href: href(spec.id, { ...shared(params), ...keep(spec, params), range: '7d', from: '', to: '' }), text: 'Last 7 days' }),
        params.q ? h('a', { class: 'button', href: href(spec.id, { ...shared(params), ...keep(spec, params), q: '' }), text: 'Clear the query' }) : null)));
    return;
  }
  const first = pages.length * PAGE_SIZE + 1;
  const header = h('tr', {}, spec.columns.map((c) => h('th', { scope: 'col', class: 'col-' + c.key + (c.num ? ' num' : '') + (c.opt ? ' opt' : ''), text: c.label })));
  const rows = items.map((item) => {
    const link = href(spec.view, {}, item[spec.key]);
    const tr = h('tr', { class: 'clickable', dataset: { key: item[spec.key] } },
      spec.columns.map((c) => h('td', { class: 'col-' + c.key + (c.num ? ' num' : '') + (c.opt ? ' opt' : '') }, c.cell(item, link))));
    return tr;
  });
  const tbody = h('tbody', {}, rows);
  // One listener for the whole table: a row opens its group, unless a link in it was clicked or text selected.
  tbody.addEventListener('click', (event) => {
    const row = event.target.closest('tr[data-key]');
    if (!row || event.target.closest('a') || window.getSelection().toString()) return;
    location.hash = href(spec.view, {}, row.dataset.key);
  });
  replace(root,
    h('p', { class: 'summary', dataset: { count: String(items.length) } },
      h('strong', { text: `${spec.title} ${fmt.count(first)}–${fmt.count(first + items.length - 1)}` }), ` · ${range.label}`,
      params.q ? [' · ', h('code', { text: params.q })] : null),
    h('div', { class: 'card scroll' }, h('table', { class: 'grid results list-' + spec.id }, h('thead', {}, header), tbody)),
    h('nav', { class: 'pager', 'aria-label': 'Result pages' },
      pages.length
        ? h('a', { class: 'button', rel: 'prev', href: view({ pages: pages.slice(0, -1).join('.') }), dataset: { pager: 'previous' }, text: '← Previous' })
        : h('span', { class: 'button disabled', 'aria-disabled': 'true', text: '← Previous' }),
      h('span', { class: 'page-number', text: `Page ${pages.length + 1}` }),
      answer.next
        ? h('a', { class: 'button', rel: 'next', href: view({ pages: [...pages, answer.next].join('.') }), dataset: { pager: 'next' }, text: 'Next →' })
        : h('span', { class: 'button disabled', 'aria-disabled': 'true', text: 'Next →' })));
  root.dataset.state = 'ready';
}

/** A link cell: the text links to the group's view. */
export function linkCell(text, link) {
  return h('a', { href: link, text });
}

/** Up to three values of a list, the rest counted. */
export function few(values) {
  const list = (values || []).filter((v) => v !== null && v !== undefined);
  return list.length > 3 ? list.slice(0, 3).join(', ') + ` +${list.length - 3}` : list.join(', ') || '–';
}
