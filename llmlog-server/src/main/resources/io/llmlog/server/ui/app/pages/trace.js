// One trace: its totals, the waterfall of its calls and steps, and the detail of the selected node.
// The selected node and the collapsed ones are in the URL (#/trace/<id>?node=<id>&collapsed=<id>,<id>),
// updated in place as they change, so a reload or a shared link shows the same view.
import { api } from '../api.js';
import { h, replace } from '../dom.js';
import * as fmt from '../format.js';
import { href, parse, rememberList, lastViewHref } from '../route.js';
import { kpi } from './common.js';
import { waterfall } from '../waterfall.js';

export function render(main, route, signal) {
  const id = route.id ?? '';
  rememberList(location.hash);
  const root = h('div', { class: 'trace-body', dataset: { state: 'loading' } }, h('p', { class: 'loading', text: 'Loading the trace…' }));
  replace(main, h('section', { class: 'page', dataset: { view: 'trace' }, 'aria-labelledby': 'page-title' },
    h('p', { class: 'back' }, h('a', { href: lastViewHref('traces'), text: '← Traces' })),
    h('h1', { id: 'page-title', class: 'call-title' }, 'Trace ', h('code', { text: id })),
    root));
  const load = async () => {
    try {
      const trace = await api('/api/v1/traces/' + encodeURIComponent(id), { signal });
      if (signal.aborted) return;
      // The URL's node and collapsed ones as they are now: a refresh keeps what was chosen since the load.
      draw(root, id, trace, parse(location.hash).params, signal);
    } catch (error) {
      if (error.name === 'AbortError') return;
      root.dataset.state = 'error';
      replace(root, h('div', { class: 'error-box', role: 'alert' },
        error.status === 404 ? `No call or step of trace “${id}” is stored (yet).` : `Error ${error.status || ''}: ${error.message}`));
    }
  };
  load();
  return { refresh: load };
}

function draw(root, id, trace, params, signal) {
  const started = performance.now();
  const t = trace.totals;
  const state = { node: params.node || null, collapsed: new Set((params.collapsed || '').split(',').filter(Boolean)) };
  const detail = h('aside', { class: 'wf-detail card', 'aria-live': 'polite' });
  // Selecting and collapsing change the URL in place: no new history entry, no reload.
  const remember = () => {
    history.replaceState(null, '', href('trace', { ...params, node: state.node, collapsed: chart.collapsedIds().join(',') }, id));
  };
  const chart = waterfall(trace, {
    selected: state.node,
    collapsed: state.collapsed,
    onSelect: (nodeId) => {
      state.node = nodeId;
      remember();
      showDetail(detail, id, trace, nodeId, signal);
    },
    onChange: remember,
  });
  replace(root,
    h('div', { class: 'kpis' },
      kpi('duration', 'Duration', t.duration_ms, fmt.millis, 'from ' + fmt.time(t.start)),
      kpi('calls', 'Calls', t.calls, fmt.count),
      kpi('steps', 'Steps', t.steps, fmt.count),
      kpi('errors', 'Errors', t.errors, fmt.count, null, t.errors ? 'bad' : null),
      kpi('tokens', 'Tokens', t.total_tokens, fmt.count, `${fmt.count(t.input_tokens)} in · ${fmt.count(t.output_tokens)} out`),
      kpi('cost', 'Cost', t.cost_usd, fmt.usd),
      t.orphans ? kpi('orphans', 'Orphans', t.orphans, fmt.count, 'parent never arrived') : null),
    related(t),
    trace.truncated ? h('p', { class: 'notice', text: `This trace has more calls and steps than are shown: the first ${fmt.count(trace.nodes.length)} by time.` }) : null,
    h('p', { class: 'legend-line muted' }, h('span', { class: 'swatch critical-swatch' }), 'critical path: what the trace waited for · ',
      'tokens and cost of a node include what is below it'),
    h('div', { class: 'trace-grid' }, chart.element, detail));
  showDetail(detail, id, trace, state.node, signal);
  root.dataset.renderMs = (performance.now() - started).toFixed(1);
  root.dataset.state = 'ready';
}

/** Links to the views of the trace's users and sessions. */
function related(t) {
  const links = [
    ...t.sessions.map((session) => h('a', { class: 'button small', dataset: { open: 'session' }, href: href('session', {}, session) }, 'Session ', h('code', { text: session }))),
    ...t.users.map((user) => h('a', { class: 'button small', dataset: { open: 'user' }, href: href('user', {}, user) }, 'User ', h('code', { text: user }))),
  ];
  return links.length ? h('nav', { class: 'related', 'aria-label': 'Sessions and users of the trace' }, links) : null;
}

/** The selected node in full: its numbers, and for a step its texts, read from the API. */
async function showDetail(panel, traceId, trace, nodeId, signal) {
  const node = trace.nodes.find((n) => n.id === nodeId);
  if (!node) {
    replace(panel, h('p', { class: 'muted', text: 'Select a call or step to see its detail.' }));
    panel.dataset.node = '';
    return;
  }
  panel.dataset.node = node.id;
  const facts = [
    ['Type', node.type === 'trace' ? 'the trace (no single root span)' : node.type + ' · ' + node.kind],
    ['Start', fmt.preciseTime(node.start) + ` (+${fmt.millis(node.offset_ms)})`],
    ['Duration', fmt.millis(node.duration_ms)],
    ['Status', node.status],
    node.model ? ['Model', node.model + (node.provider ? ' · ' + node.provider : '')] : null,
    node.tool ? ['Tool', node.tool] : null,
    node.agent ? ['Agent', node.agent] : null,
    node.total_tokens != null ? ['Tokens', `${fmt.count(node.input_tokens)} in · ${fmt.count(node.output_tokens)} out`] : null,
    node.cost_usd != null ? ['Cost', fmt.usd(node.cost_usd)] : null,
    node.descendants ? ['Below it', `${fmt.count(node.subtree.calls)} calls · ${fmt.count(node.subtree.steps)} steps · ${fmt.count(node.subtree.total_tokens)} tokens · ${fmt.usd(node.subtree.cost_usd)}`] : null,
    ['On the critical path', node.critical ? 'yes' : 'no'],
    node.orphan ? ['Parent', `${node.parent_id} never arrived; shown under the root`] : null,
    ['Id', node.id],
  ].filter(Boolean);
  const texts = h('div', { class: 'step-texts' });
  replace(panel,
    h('div', { class: 'text-head' }, h('h2', { text: node.name }), h('span', { class: 'spacer' }),
      node.type === 'call' && node.request_id ? h('a', { class: 'button small primary', dataset: { open: 'call' }, href: href('call', {}, node.request_id), text: 'Open the call' }) : null),
    node.error ? h('div', { class: 'error-box', dataset: { field: 'error' } }, h('strong', { text: (node.error.type || 'error') + ': ' }), node.error.message || '') : null,
    h('dl', { class: 'facts-list' }, facts.map(([k, v]) => [h('dt', { text: k }), h('dd', { text: String(v) })])),
    texts);
  if (node.type !== 'step') return;
  try {
    const step = await api(`/api/v1/traces/${encodeURIComponent(traceId)}/steps/${encodeURIComponent(node.id)}`, { signal });
    if (signal.aborted || panel.dataset.node !== node.id) return;
    const blocks = [
      ['Arguments', step.tool?.arguments], ['Result', step.tool?.result], ['Query', step.retrieval?.query],
      ['Documents', Array.isArray(step.retrieval?.document_ids) ? step.retrieval.document_ids.join('\n') : null],
      ['Input', step.input], ['Output', step.output],
    ].filter(([, text]) => text !== undefined && text !== null && text !== '');
    replace(texts, blocks.map(([title, text]) => h('section', { class: 'step-text' }, h('h3', { text: title }),
      h('pre', { class: 'text', dataset: { field: title.toLowerCase() }, text: String(text) }))));
  } catch (error) {
    if (error.name !== 'AbortError') replace(texts, h('p', { class: 'muted', text: 'The step could not be read: ' + error.message }));
  }
}
