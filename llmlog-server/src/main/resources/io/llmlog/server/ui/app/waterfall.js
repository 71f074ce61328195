// A trace as a waterfall: one row per call or step under a collapsible tree, its timing bar on the
// trace's timeline, duration, tokens and cost (rolled up over what is below). Built in one pass
// into a fragment and attached once; bars are placed in percent, so nothing is measured while
// building; one listener serves every row. Collapsing hides the rows of a subtree (they follow
// their node in depth-first order), skipping the subtrees that stay collapsed.
import { h } from './dom.js';
import * as fmt from './format.js';
import { href } from './route.js';

/**
 * trace: the API's answer. options: {selected, collapsed (Set of ids), onSelect(id), onChange()}.
 * Returns {element, select(id), collapsedIds()}.
 */
export function waterfall(trace, options) {
  const nodes = trace.nodes;
  const total = trace.totals.duration_ms || 1;
  const collapsed = new Set([...options.collapsed].filter((id) => nodes.some((n) => n.id === id && n.descendants > 0)));
  const rows = new Array(nodes.length);
  const index = new Map();
  const body = h('div', { class: 'wf-rows', role: 'rowgroup' });
  const fragment = document.createDocumentFragment();
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i];
    index.set(node.id, i);
    rows[i] = row(node, i, total, collapsed.has(node.id));
    fragment.append(rows[i]);
  }
  body.append(fragment);
  // Rows under a collapsed node start hidden: one forward pass.
  for (let i = 0; i < nodes.length; i++) {
    if (collapsed.has(nodes[i].id)) {
      for (let j = i + 1; j <= i + nodes[i].descendants; j++) rows[j].hidden = true;
      i += nodes[i].descendants;
    }
  }
  let selected = null;
  const select = (id) => {
    if (selected !== null) rows[selected].classList.remove('selected');
    selected = index.has(id) ? index.get(id) : null;
    if (selected !== null) {
      rows[selected].classList.add('selected');
      rows[selected].setAttribute('aria-selected', 'true');
    }
  };
  const toggle = (i) => {
    const node = nodes[i];
    const open = collapsed.has(node.id);
    if (open) collapsed.delete(node.id);
    else collapsed.add(node.id);
    rows[i].setAttribute('aria-expanded', String(open));
    const button = rows[i].querySelector('.wf-toggle');
    button.textContent = open ? '▾' : '▸';
    button.setAttribute('aria-label', (open ? 'Collapse ' : 'Expand ') + node.name);
    for (let j = i + 1; j <= i + node.descendants; j++) {
      rows[j].hidden = !open;
      if (open && collapsed.has(nodes[j].id)) {
        // A subtree collapsed on its own stays so; its node is shown, what is below it is not.
        j += nodes[j].descendants;
      }
    }
  };
  body.addEventListener('click', (event) => {
    const rowElement = event.target.closest('.wf-row');
    if (!rowElement) return;
    const i = Number(rowElement.dataset.index);
    if (event.target.closest('.wf-toggle')) {
      toggle(i);
      options.onChange();
      return;
    }
    if (event.target.closest('a')) return;
    select(nodes[i].id);
    options.onSelect(nodes[i].id);
  });
  if (options.selected) select(options.selected);
  const element = h('div', { class: 'waterfall card', role: 'treegrid', 'aria-label': 'Calls and steps of the trace', dataset: { nodes: String(nodes.length) } },
    header(total), body);
  return { element, select, collapsedIds: () => [...collapsed] };
}

function header(total) {
  const scale = h('div', { class: 'wf-scale', 'aria-hidden': 'true' });
  for (const share of [0, 0.25, 0.5, 0.75, 1]) {
    const tick = h('span', { class: 'wf-tick', text: fmt.millis(total * share) });
    tick.style.left = share * 100 + '%';
    scale.append(tick);
  }
  return h('div', { class: 'wf-row wf-head', role: 'row' },
    h('div', { class: 'wf-name', role: 'columnheader', text: 'Call or step' }),
    h('div', { class: 'wf-track', role: 'columnheader' }, scale),
    h('div', { class: 'num', role: 'columnheader', text: 'Duration' }),
    h('div', { class: 'num wf-opt', role: 'columnheader', text: 'Tokens' }),
    h('div', { class: 'num wf-opt', role: 'columnheader', text: 'Cost' }));
}

function row(node, i, total, collapsed) {
  const failed = node.status === 'error';
  const classes = ['wf-row', 'type-' + node.type];
  if (failed) classes.push('level-error');
  if (node.critical) classes.push('critical');
  if (node.orphan) classes.push('orphan');
  const name = h('div', { class: 'wf-name', role: 'gridcell' });
  name.style.paddingLeft = 0.25 + node.depth * 1.1 + 'rem';
  name.append(node.descendants
    ? h('button', { type: 'button', class: 'wf-toggle', 'aria-label': (collapsed ? 'Expand ' : 'Collapse ') + node.name, text: collapsed ? '▸' : '▾' })
    : h('span', { class: 'wf-leaf', 'aria-hidden': 'true' }));
  name.append(h('span', { class: 'badge kind-' + node.kind, text: node.kind }), ' ');
  name.append(node.type === 'call' && node.request_id
    ? h('a', { class: 'wf-label', href: href('call', {}, node.request_id), dataset: { open: 'call' }, title: 'Open the call', text: node.name })
    : h('span', { class: 'wf-label', text: node.name }));
  if (failed) name.append(' ', h('span', { class: 'badge level-error', text: node.error?.type || 'error' }));
  if (node.orphan) name.append(' ', h('span', { class: 'badge warn', title: 'its parent ' + (node.parent_id || '') + ' never arrived', text: 'orphan' }));
  const bar = h('span', { class: 'wf-bar kind-' + node.kind + (node.critical ? ' critical' : '') + (failed ? ' error' : '') });
  bar.style.left = (node.offset_ms / total) * 100 + '%';
  bar.style.width = Math.max(0.3, (node.duration_ms / total) * 100) + '%';
  bar.title = `${node.name}: +${fmt.millis(node.offset_ms)}, ${fmt.millis(node.duration_ms)}`;
  const rolled = node.descendants > 0;
  const tokens = node.subtree.total_tokens;
  const cost = node.subtree.cost_usd;
  const element = h('div', {
    class: classes.join(' '), role: 'row', 'aria-level': String(node.depth + 1), 'aria-expanded': node.descendants ? String(!collapsed) : null,
    dataset: { index: String(i), id: node.id, type: node.type, kind: node.kind },
  },
  name,
  h('div', { class: 'wf-track', role: 'gridcell' }, bar),
  h('div', { class: 'num', role: 'gridcell', dataset: { value: String(node.duration_ms) }, text: fmt.millis(node.duration_ms) }),
  h('div', { class: 'num wf-opt' + (rolled ? ' rollup' : ''), role: 'gridcell', dataset: { value: String(tokens) }, text: tokens ? fmt.count(tokens) : '' }),
  h('div', { class: 'num wf-opt' + (rolled ? ' rollup' : ''), role: 'gridcell', dataset: { value: String(cost) }, text: cost ? fmt.usd(cost) : '' }));
  return element;
}

