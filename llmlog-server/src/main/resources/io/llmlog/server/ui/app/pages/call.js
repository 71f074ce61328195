// One call in full: texts, parameters, the latency breakdown, tokens and cost, privacy marks,
// quality records and a form to add one.
import { api } from '../api.js';
import { h, replace, redactionMarked, copyButton } from '../dom.js';
import * as fmt from '../format.js';
import { href, kqlEquals, lastListHref } from '../route.js';

/** Texts longer than this many lines or characters start folded. */
const FOLD_LINES = 18;
const FOLD_CHARS = 2400;

export function render(main, route, signal) {
  const id = route.id;
  const root = h('div', { class: 'call-body', dataset: { state: 'loading' } }, h('p', { class: 'loading', text: 'Loading the call…' }));
  replace(main, h('section', { class: 'page', dataset: { view: 'call' }, 'aria-labelledby': 'page-title' },
    h('p', { class: 'back' }, h('a', { href: lastListHref(), text: '← Back to results' })),
    h('h1', { id: 'page-title', class: 'call-title' }, 'Call ', h('code', { text: id ?? '' })),
    root));
  const load = async () => {
    try {
      const call = await api('/api/v1/logs/' + encodeURIComponent(id), { signal });
      if (signal.aborted) return;
      draw(root, call, load);
    } catch (error) {
      if (error.name === 'AbortError') return;
      root.dataset.state = 'error';
      replace(root, h('div', { class: 'error-box', role: 'alert' },
        error.status === 404 ? `No call with request_id “${id}” is stored (yet).` : `Error ${error.status || ''}: ${error.message}`));
    }
  };
  load();
  return { refresh: load };
}

function draw(root, call, reload) {
  const d = call.document;
  const redacted = Array.isArray(d.redacted) ? d.redacted : d.redacted ? [d.redacted] : [];
  const truncated = Array.isArray(d.truncated) ? d.truncated : d.truncated ? [d.truncated] : [];
  const level = d.level || 'info';
  replace(root,
    h('div', { class: 'call-head' },
      h('span', { class: 'badge level-' + level, text: level }),
      d.stop_reason ? h('span', { class: 'badge', text: 'stop: ' + d.stop_reason }) : null,
      h('span', { class: 'model', text: d.model ?? 'unknown model' }),
      h('span', { class: 'muted', text: fmt.preciseTime(d.timestamp) }),
      d.service ? h('span', { class: 'muted', text: d.service + (d.environment ? ' / ' + d.environment : '') }) : null,
      h('span', { class: 'spacer' }),
      copyButton('Copy as JSON', () => JSON.stringify(call, null, 2))),
    related(d),
    d.error && (d.error.type || d.error.message)
      ? h('div', { class: 'error-box', dataset: { field: 'error' } }, h('strong', { text: (d.error.type || 'error') + ': ' }), d.error.message || '')
      : null,
    h('div', { class: 'call-grid' },
      h('div', { class: 'call-texts' },
        textBlock('System prompt', 'system_prompt', d.system_prompt, redacted, truncated),
        textBlock('Prompt', 'prompt', d.prompt, redacted, truncated),
        textBlock('Response', 'response', d.response, redacted, truncated)),
      h('aside', { class: 'call-facts' },
        latency(d),
        tokens(d),
        privacy(redacted, truncated),
        parameters(d))),
    quality(call, reload));
  root.dataset.state = 'ready';
}

/**
 * Links to the call's trace, session and user views (the trace opened at this call), and to the
 * other calls of each as explorer searches.
 */
function related(d) {
  const views = [
    ['trace', 'trace_id', 'Trace', { node: d.span_id || d.request_id }],
    ['session', 'session_id', 'Session', {}],
    ['user', 'user_id', 'User', {}],
  ].filter(([, field]) => d[field]).map(([page, field, label, params]) =>
    h('a', { class: 'button small primary', dataset: { open: page }, href: href(page, params, String(d[field])) }, label, ' ', h('code', { text: String(d[field]) })));
  const searches = [
    ['session_id', 'Calls in this session'],
    ['trace_id', 'Calls in this trace'],
    ['user_id', 'Calls of this user'],
  ].filter(([field]) => d[field]).map(([field, label]) =>
    h('a', { class: 'button small', dataset: { related: field }, href: href('explorer', { q: kqlEquals(field, d[field]), range: '7d', sort: 'timestamp:asc' }) },
      label));
  const links = [...views, ...searches];
  return links.length ? h('nav', { class: 'related', 'aria-label': 'Related views and calls' }, links) : null;
}

/** A text of the call in a card: folded when long, redaction marks highlighted, with a copy button. */
export function textBlock(title, field, text, redacted, truncated) {
  if (text === undefined || text === null) return null;
  const value = String(text);
  const lines = value.split('\n').length;
  const long = lines > FOLD_LINES || value.length > FOLD_CHARS;
  const body = h('pre', { class: 'text' + (long ? ' folded' : ''), dataset: { field }, tabindex: long ? '0' : null }, redactionMarked(value, redacted));
  const toggle = long
    ? h('button', { type: 'button', class: 'small', 'aria-expanded': 'false', text: `Show all ${fmt.count(lines)} lines` })
    : null;
  toggle?.addEventListener('click', () => {
    const folded = body.classList.toggle('folded');
    toggle.setAttribute('aria-expanded', String(!folded));
    toggle.textContent = folded ? `Show all ${fmt.count(lines)} lines` : 'Fold';
  });
  return h('section', { class: 'card text-card', 'aria-label': title },
    h('div', { class: 'text-head' },
      h('h2', { text: title }),
      h('span', { class: 'muted', text: `${fmt.count(value.length)} characters` }),
      truncated.includes(field) ? h('span', { class: 'badge warn', text: 'truncated' }) : null,
      h('span', { class: 'spacer' }),
      copyButton('Copy', () => value)),
    body, toggle);
}

/**
 * Where the time went. Queue wait, time to first token and latency all count from the call's
 * start, so the phases are: queued, then waiting for the first token, then generating.
 */
function latency(d) {
  const total = d.latency_ms;
  const queue = d.queue_wait_ms ?? 0;
  const first = d.ttft_ms;
  const phases = [];
  if (queue > 0) phases.push(['queue', 'Queue wait', queue]);
  if (fmt.isNumber(first)) phases.push(['first', 'To first token', Math.max(0, first - queue)]);
  const generation = d.generation_ms ?? (fmt.isNumber(total) ? Math.max(0, total - (first ?? queue)) : null);
  if (fmt.isNumber(generation)) phases.push(['generation', 'Generation', generation]);
  const sum = phases.reduce((s, p) => s + p[2], 0);
  const bar = h('div', { class: 'latency-bar', role: 'img', 'aria-label': phases.map((p) => `${p[1]} ${fmt.millis(p[2])}`).join(', ') });
  for (const [key, , ms] of phases) {
    const part = h('span', { class: 'phase phase-' + key, dataset: { phase: key, ms: String(ms) } });
    part.style.flexGrow = String(sum > 0 ? ms / sum : 1);
    bar.append(part);
  }
  return h('section', { class: 'card facts', dataset: { facts: 'latency' } },
    h('h2', {}, 'Latency ', h('span', { class: 'big', text: fmt.millis(total) })),
    phases.length ? bar : h('p', { class: 'muted', text: 'No timing recorded.' }),
    h('dl', { class: 'legend' }, phases.map(([key, label, ms]) => [
      h('dt', {}, h('span', { class: 'swatch phase-' + key }), label),
      h('dd', { text: fmt.millis(ms) })]),
    fmt.isNumber(d.tokens_per_second) ? [h('dt', { text: 'Speed' }), h('dd', { text: fmt.rate(d.tokens_per_second) })] : null));
}

function tokens(d) {
  return facts('tokens', 'Tokens and cost', [
    ['Input', fmt.count(d.input_tokens)],
    d.cached_input_tokens != null ? ['Cached input', fmt.count(d.cached_input_tokens)] : null,
    ['Output', fmt.count(d.output_tokens)],
    d.reasoning_tokens != null ? ['Reasoning', fmt.count(d.reasoning_tokens)] : null,
    ['Total', fmt.count(d.total_tokens ?? ((d.input_tokens ?? 0) + (d.output_tokens ?? 0)))],
    ['Cost', fmt.usd(d.cost_usd)],
  ]);
}

function parameters(d) {
  const rows = [
    ['Request id', d.request_id],
    ['Provider', d.provider],
    ['Temperature', d.temperature],
    ['Top p', d.top_p],
    ['Max tokens', d.max_tokens],
    ['User', d.user_id],
    ['Session', d.session_id],
    ['Trace', d.trace_id],
    ['Parent', d.parent_id],
    ['Tags', Array.isArray(d.tags) ? d.tags.join(', ') : d.tags],
    ['Sample weight', d.sample_weight],
  ];
  for (const [key, value] of Object.entries(d.metadata || {})) rows.push(['metadata.' + key, typeof value === 'object' ? JSON.stringify(value) : value]);
  return facts('parameters', 'Parameters', rows.filter(([, v]) => v !== undefined && v !== null && v !== '').map(([k, v]) => [k, String(v)]));
}

function privacy(redacted, truncated) {
  if (!redacted.length && !truncated.length) return null;
  return h('section', { class: 'card facts', dataset: { facts: 'privacy' } },
    h('h2', { text: 'Privacy and limits' }),
    redacted.length ? h('p', {}, 'Redacted: ', redacted.map((kind) => h('span', { class: 'badge redaction', dataset: { redacted: kind }, text: kind }))) : null,
    truncated.length ? h('p', {}, 'Truncated: ', truncated.map((field) => h('span', { class: 'badge warn', dataset: { truncated: field }, text: field }))) : null);
}

function facts(id, title, rows) {
  return h('section', { class: 'card facts', dataset: { facts: id } },
    h('h2', { text: title }),
    h('dl', {}, rows.filter(Boolean).map(([k, v]) => [h('dt', { text: k }), h('dd', { text: v })])));
}

function quality(call, reload) {
  const records = call.quality || [];
  const list = records.length ? qualityList(records) : h('p', { class: 'muted', text: 'No ratings or scores yet.' });
  return h('section', { class: 'quality', 'aria-labelledby': 'quality-title', dataset: { quality: String(records.length) } },
    h('h2', { id: 'quality-title', text: `Quality (${records.length})` }),
    list,
    ratingForm(call.document.request_id, reload));
}

/**
 * The quality records of a call: ratings and reviews with their reviewer, and every evaluator's
 * score with its label and explanation.
 */
export function qualityList(records) {
  return h('ol', { class: 'quality-list' }, records.map((r) => h('li', {
    class: 'card', dataset: { rating: String(r.rating ?? ''), evaluator: r.evaluator || '', queue: r.queue || '' } },
  h('div', { class: 'quality-head' },
    r.evaluator ? h('span', { class: 'badge evaluator', text: r.evaluator }) : null,
    r.queue ? h('span', { class: 'badge', text: 'queue ' + r.queue }) : null,
    r.rating != null ? h('span', { class: 'stars', 'aria-label': `rated ${r.rating} of 5`, text: '★'.repeat(Math.max(0, Math.min(5, r.rating))) + '☆'.repeat(Math.max(0, 5 - r.rating)) }) : null,
    r.reviewer_id ? h('span', { class: 'muted', text: 'by ' + r.reviewer_id }) : null,
    h('span', { class: 'muted', text: fmt.time(r.evaluated_at || r.timestamp) })),
  r.scores && Object.keys(r.scores).length
    ? h('p', { class: 'scores' }, Object.entries(r.scores).map(([k, v]) => h('span', { class: 'score', dataset: { score: k, value: String(v) } },
      h('strong', { text: k }), ' ', fmt.number(v))), r.label ? h('span', { class: 'badge', dataset: { label: r.label }, text: r.label }) : null)
    : null,
  r.explanation ? h('p', { class: 'explanation', text: r.explanation }) : null,
  r.feedback ? h('p', { class: 'feedback', text: r.feedback }) : null,
  Array.isArray(r.annotations) && r.annotations.length ? h('p', {}, r.annotations.map((a) => h('span', { class: 'badge', text: a }))) : null)));
}

function ratingForm(requestId, reload) {
  const status = h('p', { class: 'form-status', role: 'status' });
  const reviewer = h('input', { name: 'reviewer_id', autocomplete: 'off', maxlength: '200' });
  reviewer.value = localStorage.getItem('llmlog.reviewer') || '';
  const form = h('form', { class: 'card rating-form', id: 'rating-form' },
    h('h3', { text: 'Rate this call' }),
    h('fieldset', { class: 'rating' }, h('legend', { text: 'Rating' }),
      [1, 2, 3, 4, 5].map((n) => h('label', {}, h('input', { type: 'radio', name: 'rating', value: String(n), required: n === 1 }), ` ${n}`))),
    h('label', {}, 'Feedback', h('textarea', { name: 'feedback', rows: '3', maxlength: '10000' })),
    h('label', {}, 'Annotations (comma-separated)', h('input', { name: 'annotations', autocomplete: 'off', placeholder: 'helpful, hallucination, off-topic' })),
    h('label', {}, 'Reviewer', reviewer),
    h('div', { class: 'buttons' }, h('button', { type: 'submit', class: 'primary', text: 'Save rating' }), status));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const record = {
      request_id: requestId,
      rating: Number(data.get('rating')),
      feedback: String(data.get('feedback') || '').trim() || undefined,
      annotations: String(data.get('annotations') || '').split(',').map((a) => a.trim()).filter(Boolean),
      reviewer_id: String(data.get('reviewer_id') || '').trim() || undefined,
    };
    if (record.reviewer_id) localStorage.setItem('llmlog.reviewer', record.reviewer_id);
    form.querySelector('button[type=submit]').disabled = true;
    status.textContent = 'Saving…';
    try {
      const answer = await api('/api/v1/quality', { method: 'POST', params: { refresh: 'wait_for' }, body: record });
      if (answer.rejected) throw new Error(answer.errors?.[0]?.reason || 'the record was rejected');
      await reload();
    } catch (error) {
      status.textContent = 'Not saved: ' + error.message;
      form.querySelector('button[type=submit]').disabled = false;
    }
  });
  return form;
}
