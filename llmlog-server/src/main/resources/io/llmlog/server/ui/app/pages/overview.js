// The overview: how the LLM calls are doing over a time range, from /api/v1/stats.
import { api } from '../api.js';
import { h, replace } from '../dom.js';
import * as fmt from '../format.js';
import { chart, destroyCharts } from '../charts.js';
import { go, href, shared, timeRange, kqlEquals } from '../route.js';
import { showQueryBar, clearKqlError } from '../querybar.js';
import { showFailure, showEmpty, kpi } from './common.js';

const TOP_USERS = 10;

export function render(main, route, signal) {
  const params = route.params;
  showQueryBar(params, (next) => go('overview', next));
  const range = timeRange(params);
  const root = h('div', { class: 'overview-body', dataset: { state: 'loading' } }, h('p', { class: 'loading', text: 'Loading…' }));
  replace(main, h('section', { class: 'page', dataset: { view: 'overview' }, 'aria-labelledby': 'page-title' },
    h('h1', { id: 'page-title', text: 'Overview' }), root));

  const load = async () => {
    try {
      const base = { q: params.q, from: range.from, to: range.to };
      const byModel = await api('/api/v1/stats', { params: { ...base, by: 'model', interval: 'auto', scores: '*' }, signal });
      // The second question uses the first answer's resolved window: both describe the same calls.
      const byUser = await api('/api/v1/stats', { params: { q: params.q, from: byModel.from, to: byModel.to, by: 'user_id', size: TOP_USERS }, signal });
      if (signal.aborted) return;
      clearKqlError();
      if (!byModel.totals.calls) {
        destroyCharts();
        await showEmpty(root, 'overview', params, range, signal);
        return;
      }
      destroyCharts();
      draw(root, params, range, byModel, byUser);
    } catch (error) {
      showFailure(root, error, params.q);
    }
  };
  load();
  return { refresh: load };
}

function draw(root, params, range, stats, users) {
  const t = stats.totals;
  root.dataset.from = stats.from;
  root.dataset.to = stats.to;
  root.dataset.interval = stats.interval || '';
  replace(root,
    h('p', { class: 'summary' },
      h('strong', { text: range.label }), ` · ${fmt.time(stats.from)} – ${fmt.time(stats.to)} · ${stats.interval} buckets`,
      params.q ? [' · ', h('code', { text: params.q })] : null,
      h('span', { class: 'updated', text: ` · updated ${fmt.time(new Date().toISOString())}` })),
    h('div', { class: 'kpis' },
      kpi('calls', 'Calls', t.calls, fmt.count, t.stored !== t.calls ? `${fmt.count(t.stored)} stored (sampled)` : null),
      kpi('error_rate', 'Error rate', t.error_rate, fmt.percent, `${fmt.count(t.errors)} errors`, t.error_rate > 0.05 ? 'bad' : null),
      kpi('latency_p50', 'Latency p50', t.latency_ms.p50, fmt.millis, `avg ${fmt.millis(t.latency_ms.avg)}`),
      kpi('latency_p95', 'Latency p95', t.latency_ms.p95, fmt.millis),
      kpi('latency_p99', 'Latency p99', t.latency_ms.p99, fmt.millis),
      kpi('ttft_p50', 'TTFT p50', t.ttft_ms.p50, fmt.millis, `p95 ${fmt.millis(t.ttft_ms.p95)}`),
      kpi('input_tokens', 'Input tokens', t.input_tokens, fmt.count),
      kpi('output_tokens', 'Output tokens', t.output_tokens, fmt.count, fmt.rate(t.tokens_per_second)),
      kpi('cost_usd', 'Cost', t.cost_usd, fmt.usd),
      negativeFeedback(t.quality)),
    charts(stats),
    qualityCharts(stats),
    h('div', { class: 'tables' },
      table('Top models', 'model', stats, params),
      table('Top users', 'user_id', users, params)));
  root.dataset.state = 'ready';
}

function charts(stats) {
  const buckets = stats.totals.buckets || [];
  const times = buckets.map((b) => Date.parse(b.start) / 1000);
  const starts = buckets.map((b) => b.start);
  const total = (path) => buckets.map((b) => pick(b, path));
  const perGroup = (path, zero) => stats.groups.map((g) => {
    const byStart = new Map((g.buckets || []).map((b) => [b.start, pick(b, path)]));
    return { label: g.key, values: starts.map((s) => byStart.get(s) ?? (zero ? 0 : null)) };
  });
  return h('div', { class: 'charts' },
    chart({ id: 'requests', title: 'Requests by model', times, series: perGroup('calls', true), format: fmt.shortCount }),
    chart({ id: 'error_rate', title: 'Error rate', times, series: [{ label: 'error rate', values: total('error_rate'), color: '#c92a2a' }], format: fmt.percent }),
    chart({ id: 'latency', title: 'Latency', times, format: fmt.millis, series: [
      { label: 'p50', values: total('latency_ms.p50'), color: '#2b8a3e' },
      { label: 'p95', values: total('latency_ms.p95'), color: '#f08c00' },
      { label: 'p99', values: total('latency_ms.p99'), color: '#c92a2a' }] }),
    chart({ id: 'ttft', title: 'Time to first token', times, format: fmt.millis, series: [
      { label: 'p50', values: total('ttft_ms.p50'), color: '#0c8599' },
      { label: 'p95', values: total('ttft_ms.p95'), color: '#ae3ec9' }] }),
    chart({ id: 'tokens', title: 'Tokens', times, format: fmt.shortCount, series: [
      { label: 'input', values: total('input_tokens'), color: '#1f5eff' },
      { label: 'output', values: total('output_tokens'), color: '#e8590c' }] }),
    chart({ id: 'cost', title: 'Cost by model (USD)', times, series: perGroup('cost_usd', true), format: fmt.usd }));
}

/** The share of rated feedback that is negative (quality.negative_feedback), when anything was rated. */
function negativeFeedback(quality) {
  const feedback = quality?.feedback;
  if (!feedback || !feedback.rated) return null;
  return kpi('negative_feedback', 'Negative feedback', feedback.negative_share, fmt.percent, `${fmt.count(feedback.negative)} of ${fmt.count(feedback.rated)} rated`,
    feedback.negative_share > 0.2 ? 'bad' : null);
}

/** Score trends per model (the mean of each score per bucket) and the share of negative feedback over time. */
function qualityCharts(stats) {
  const quality = stats.quality;
  if (!quality) return null;
  const buckets = stats.totals.buckets || [];
  const times = buckets.map((b) => Date.parse(b.start) / 1000);
  const starts = buckets.map((b) => b.start);
  const figures = quality.scores.slice(0, 4).map((name) => chart({
    id: 'score-' + name, title: `Score ${name} by model (mean)`, times, format: fmt.number,
    series: stats.groups.map((g) => {
      const byStart = new Map((g.buckets || []).map((b) => [b.start, b.quality?.scores?.[name]?.avg ?? null]));
      return { label: g.key, values: starts.map((s) => byStart.get(s) ?? null) };
    }) }));
  if (stats.totals.quality?.feedback?.rated) {
    figures.push(chart({ id: 'negative_feedback', title: 'Negative feedback (share of rated)', times, format: fmt.percent,
      series: [{ label: 'negative', values: buckets.map((b) => b.quality?.feedback?.negative_share ?? null), color: '#c92a2a' }] }));
  }
  if (!figures.length) return null;
  return h('section', { class: 'quality-charts', 'aria-label': 'Quality' },
    h('h2', { text: 'Quality' }), quality.note ? h('p', { class: 'muted', text: quality.note }) : null, h('div', { class: 'charts' }, figures));
}

function pick(object, path) {
  let value = object;
  for (const part of path.split('.')) value = value == null ? null : value[part];
  return value ?? null;
}

/** The groups of a stats answer, each linking to the explorer filtered on it. */
function table(title, field, stats, params) {
  const calls = stats.totals.calls || 1;
  const rows = stats.groups.map((g) => {
    const q = params.q ? `(${params.q}) and ${kqlEquals(field, g.key)}` : kqlEquals(field, g.key);
    return h('tr', { dataset: { key: g.key } },
      h('th', { scope: 'row' }, h('a', { href: href('explorer', { ...shared(params), q }), text: g.key })),
      h('td', { class: 'num', dataset: { value: String(g.calls) }, text: fmt.count(g.calls) }),
      h('td', { class: 'num', text: fmt.percent(g.calls / calls) }),
      h('td', { class: 'num' + (g.error_rate > 0.05 ? ' bad' : ''), text: fmt.percent(g.error_rate) }),
      h('td', { class: 'num', text: fmt.millis(g.latency_ms.p95) }),
      h('td', { class: 'num opt', text: fmt.shortCount(g.input_tokens + g.output_tokens) }),
      h('td', { class: 'num', text: fmt.usd(g.cost_usd) }));
  });
  const other = stats.other_calls > 0
    ? h('tr', { class: 'other' }, h('th', { scope: 'row', text: field === 'user_id' ? 'other users / none' : 'other' }), h('td', { class: 'num', text: fmt.count(stats.other_calls) }), h('td', { colspan: '5' }))
    : null;
  return h('section', { class: 'card table-card', dataset: { table: field } },
    h('h2', { text: title }),
    h('div', { class: 'scroll' }, h('table', { class: 'grid' },
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col', text: field === 'model' ? 'Model' : 'User' }),
        h('th', { scope: 'col', class: 'num', text: 'Calls' }),
        h('th', { scope: 'col', class: 'num', text: 'Share' }),
        h('th', { scope: 'col', class: 'num', text: 'Errors' }),
        h('th', { scope: 'col', class: 'num', text: 'p95' }),
        h('th', { scope: 'col', class: 'num opt', text: 'Tokens' }),
        h('th', { scope: 'col', class: 'num', text: 'Cost' }))),
      h('tbody', {}, rows.length ? rows : h('tr', {}, h('td', { colspan: '7', class: 'muted', text: `No ${field} in these calls.` })), other))));
}
