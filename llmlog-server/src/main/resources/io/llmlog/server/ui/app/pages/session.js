// One session as a chat thread: each turn's new messages and the model's answer, in order, each
// turn linked to its call and trace. Older turns come first; more come page by page.
import { api } from '../api.js';
import { h, replace } from '../dom.js';
import * as fmt from '../format.js';
import { href, kqlEquals, rememberList, lastViewHref } from '../route.js';
import { kpi } from './common.js';

const TURNS = 50;

export function render(main, route, signal) {
  const id = route.id ?? '';
  const params = route.params;
  const pages = params.pages ? params.pages.split('.') : [];
  rememberList(location.hash);
  const root = h('div', { class: 'session-body', dataset: { state: 'loading' } }, h('p', { class: 'loading', text: 'Loading the session…' }));
  replace(main, h('section', { class: 'page', dataset: { view: 'session' }, 'aria-labelledby': 'page-title' },
    h('p', { class: 'back' }, h('a', { href: lastViewHref('sessions'), text: '← Sessions' })),
    h('h1', { id: 'page-title', class: 'call-title' }, 'Session ', h('code', { text: id })),
    root));
  const load = async () => {
    try {
      const session = await api('/api/v1/sessions/' + encodeURIComponent(id), { params: { size: TURNS, search_after: pages[pages.length - 1] }, signal });
      if (signal.aborted) return;
      draw(root, id, session, pages);
    } catch (error) {
      if (error.name === 'AbortError') return;
      root.dataset.state = 'error';
      replace(root, h('div', { class: 'error-box', role: 'alert' },
        error.status === 404 ? `No call of session “${id}” is stored (yet).` : `Error ${error.status || ''}: ${error.message}`));
    }
  };
  load();
  return { refresh: load };
}

function draw(root, id, s, pages) {
  let system = null;
  const turns = s.turns.map((turn, i) => {
    // The system instructions are shown where they first appear and where they change.
    const showSystem = turn.system && turn.system !== system;
    if (turn.system) system = turn.system;
    return h('article', { class: 'turn' + (turn.level === 'error' ? ' level-error' : ''), dataset: { requestId: turn.request_id || '' } },
      h('header', { class: 'turn-head' },
        h('span', { class: 'turn-number', text: `#${pages.length * TURNS + i + 1}` }),
        h('span', { class: 'muted', text: fmt.time(turn.timestamp) }),
        turn.model ? h('span', { class: 'model', text: turn.model }) : null,
        h('span', { class: 'muted', text: [fmt.millis(turn.latency_ms), `${fmt.count(turn.input_tokens)} → ${fmt.count(turn.output_tokens)} tokens`, fmt.usd(turn.cost_usd)].join(' · ') }),
        turn.level === 'error' ? h('span', { class: 'badge level-error', text: turn.error?.type || 'error' }) : null,
        h('span', { class: 'spacer' }),
        turn.trace_id ? h('a', { class: 'button small', dataset: { open: 'trace' }, href: href('trace', {}, turn.trace_id), text: 'Trace' }) : null,
        turn.request_id ? h('a', { class: 'button small', dataset: { open: 'call' }, href: href('call', {}, turn.request_id), text: 'Call' }) : null),
      showSystem ? message({ role: 'system', parts: [{ type: 'text', text: turn.system }] }) : null,
      turn.input.map(message),
      turn.output.map(message),
      turn.error?.message ? h('div', { class: 'error-box', text: turn.error.message }) : null);
  });
  replace(root,
    h('div', { class: 'kpis' },
      kpi('calls', 'Turns', s.calls, fmt.count),
      kpi('errors', 'Errors', s.errors, fmt.count, null, s.errors ? 'bad' : null),
      kpi('tokens', 'Tokens', s.total_tokens, fmt.count, `${fmt.count(s.input_tokens)} in · ${fmt.count(s.output_tokens)} out`),
      kpi('cost', 'Cost', s.cost_usd, fmt.usd),
      kpi('first', 'Started', s.first, fmt.clock, fmt.date(s.first)),
      kpi('last', 'Last turn', s.last, fmt.clock, fmt.date(s.last))),
    h('nav', { class: 'related', 'aria-label': 'Users and traces of the session' },
      s.users.map((u) => h('a', { class: 'button small', dataset: { open: 'user' }, href: href('user', {}, u.user_id) }, 'User ', h('code', { text: u.user_id }))),
      h('a', { class: 'button small', dataset: { related: 'session_id' }, href: href('traces', { q: kqlEquals('session_id', s.session_id), range: '7d' }), text: 'Traces of this session' })),
    h('div', { class: 'thread' }, turns),
    h('nav', { class: 'pager', 'aria-label': 'Turn pages' },
      pages.length ? h('a', { class: 'button', rel: 'prev', href: href('session', { pages: pages.slice(0, -1).join('.') }, id), dataset: { pager: 'previous' }, text: '← Earlier turns' }) : null,
      s.next ? h('a', { class: 'button', rel: 'next', href: href('session', { pages: [...pages, s.next].join('.') }, id), dataset: { pager: 'next' }, text: 'Later turns →' }) : null));
  root.dataset.state = 'ready';
}

/** A message as a bubble; each part as text: tool calls with their arguments, tool results, reasoning. */
function message(m) {
  return h('div', { class: 'msg msg-' + m.role, dataset: { role: m.role } },
    h('span', { class: 'msg-role', text: m.role }),
    m.parts.map((part) => {
      switch (part.type) {
        case 'text':
          return h('pre', { class: 'msg-text', text: part.text ?? '' });
        case 'reasoning':
          return h('details', { class: 'msg-reasoning' }, h('summary', { text: 'Reasoning' }), h('pre', { class: 'msg-text', text: part.text ?? '' }));
        case 'tool_call':
          return h('div', { class: 'msg-part-tool' }, h('span', { class: 'badge kind-tool', text: 'tool call' }), ' ', h('code', { text: part.name || '?' }),
            h('pre', { class: 'msg-text', text: part.text ?? '' }));
        case 'tool_call_response':
          return h('div', { class: 'msg-part-tool' }, h('span', { class: 'badge', text: 'tool result' }), part.name ? [' ', h('code', { text: part.name })] : null,
            h('pre', { class: 'msg-text', text: part.text ?? '' }));
        default:
          return h('span', { class: 'badge', text: `[${part.type}]` });
      }
    }));
}
