// The live aggregates (GET /api/v1/live): calls, error rate and latency per minute, folded in
// memory as calls are stored rather than searched, so the current minute moves within seconds of
// a call. The alert rules read the same numbers.
import { api } from '../api.js';
import { h } from '../dom.js';
import * as fmt from '../format.js';
import { chart } from '../charts.js';
import { kpi } from './common.js';

const MINUTES = 60;

export function loadLive(signal) {
  return api('/api/v1/live', { params: { minutes: MINUTES }, signal });
}

export function livePanel(live) {
  const totals = live.totals.window;
  const points = live.totals.points || [];
  const current = points[points.length - 1] || {};
  const times = points.map((p) => Date.parse(p.minute) / 1000);
  const perMinute = (pick) => points.map((p) => pick(p) ?? null);
  const bySeries = (live.series || []).map((s) => {
    const calls = new Map((s.points || []).map((p) => [p.minute, p.count]));
    return { label: s.overflow ? 'other' : Object.values(s.labels || {}).join(' / ') || 'all', values: points.map((p) => calls.get(p.minute) ?? 0) };
  });
  return h('section', { class: 'live', 'aria-labelledby': 'live-title', dataset: { now: live.now, calls: String(totals.count) } },
    h('div', { class: 'section-head' },
      h('h2', { id: 'live-title', text: `Live · last ${live.minutes} minutes` }),
      h('span', { class: 'muted', text: `as of ${fmt.time(live.now)}` }),
      live.partial ? h('span', { class: 'badge warn', title: live.partial_reason || '', text: 'this server only' }) : null),
    h('div', { class: 'kpis' },
      kpi('live_calls', 'Calls', totals.count, fmt.count, `${fmt.count(current.count)} this minute`),
      kpi('live_error_rate', 'Error rate', totals.error_rate, fmt.percent, `${fmt.count(totals.errors)} errors`, totals.error_rate > 0.05 ? 'bad' : null),
      kpi('live_latency_p50', 'Latency p50', totals.latency_ms?.p50, fmt.millis),
      kpi('live_latency_p95', 'Latency p95', totals.latency_ms?.p95, fmt.millis, `max ${fmt.millis(totals.latency_ms?.max)}`)),
    h('div', { class: 'charts' },
      chart({ id: 'live_calls', title: 'Calls per minute', times, format: fmt.shortCount,
        series: bySeries.length ? bySeries : [{ label: 'calls', values: perMinute((p) => p.count) }] }),
      chart({ id: 'live_error_rate', title: 'Error rate per minute', times, format: fmt.percent,
        series: [{ label: 'error rate', values: perMinute((p) => p.error_rate), color: '#c92a2a' }] }),
      chart({ id: 'live_latency', title: 'Latency per minute', times, format: fmt.millis, series: [
        { label: 'p50', values: perMinute((p) => p.latency_ms?.p50), color: '#2b8a3e' },
        { label: 'p95', values: perMinute((p) => p.latency_ms?.p95), color: '#f08c00' }] })));
}
