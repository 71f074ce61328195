// The alerts page: every rule with its state and its value against its threshold
// (GET /api/v1/alerts), the live numbers the rules read, and the history of state changes.
import { api } from '../api.js';
import { h, replace } from '../dom.js';
import * as fmt from '../format.js';
import { destroyCharts } from '../charts.js';
import { href } from '../route.js';
import { firingCount, showFiring } from '../status.js';
import { showFailure, refreshControl, pageHead } from './common.js';
import { loadLive, livePanel } from './live.js';
import { historyPanel, loadHistory, statePill, STATES } from './alert-history.js';

/** Rules are listed worst first: what needs attention is at the top. */
const RANK = Object.fromEntries(STATES.map((state, i) => [state, i]));

export function render(main, route, signal) {
  const params = route.params;
  const root = h('div', { class: 'alerts-body', dataset: { state: 'loading' } }, h('p', { class: 'loading', text: 'Loading the alerts…' }));
  replace(main, h('section', { class: 'page', dataset: { view: 'alerts' }, 'aria-labelledby': 'page-title' },
    pageHead('Alerts', refreshControl('alerts', params, '10s')), root));
  const load = async () => {
    try {
      const [alerts, live, history] = await Promise.all([api('/api/v1/alerts', { signal }), loadLive(signal), loadHistory(params, signal)]);
      if (signal.aborted) return;
      showFiring(firingCount(alerts));
      destroyCharts();
      draw(root, params, alerts, live, history);
    } catch (error) {
      showFailure(root, error);
    }
  };
  load();
  return { refresh: load };
}

function draw(root, params, alerts, live, history) {
  const rank = (rule) => (rule.alert === params.alert ? -1 : RANK[rule.state] ?? STATES.length);
  const rules = [...alerts.rules].sort((a, b) => rank(a) - rank(b));
  const states = Object.fromEntries(STATES.map((s) => [s, alerts.rules.filter((r) => r.state === s).length]));
  const firing = firingCount(alerts);
  root.dataset.firing = String(firing);
  replace(root,
    summary(alerts, states),
    alerts.evaluation.error
      ? h('div', { class: 'error-box', role: 'alert' }, h('strong', { text: 'The rules are not being evaluated: ' }), alerts.evaluation.error)
      : null,
    rules.length && firing === 0 ? allClear(alerts, states) : null,
    rules.length
      ? h('div', { class: 'rules' }, rules.map((rule) => ruleCard(rule, params)))
      : noRules(),
    livePanel(live),
    historyPanel(params, alerts.rules, history));
  root.dataset.state = 'ready';
}

/** How many rules are in which state, and who evaluates them how often. */
function summary(alerts, states) {
  const e = alerts.evaluation;
  const who = e.role === 'disabled' ? 'evaluation is off (alerts.enabled: false)'
    : e.role === 'starting' ? 'the first evaluation is yet to come'
      : `evaluated every ${e.interval} by ${e.leader || e.server}` + (e.role === 'standby' ? ' (another server; this one stands by)' : '');
  const parts = [['firing', 'firing'], ['pending', 'pending'], ['resolved', 'resolved'], ['inactive', 'OK']]
    .filter(([state]) => states[state] > 0).map(([state, word]) => `${states[state]} ${word}`);
  return h('p', { class: 'summary', dataset: { lastRun: e.last_run || '' } },
    h('strong', { text: `${alerts.rules.length} ${alerts.rules.length === 1 ? 'rule' : 'rules'}` }),
    parts.length ? ` · ${parts.join(' · ')}` : '',
    ` · ${who}`,
    e.last_run ? ` · last evaluation ${fmt.time(e.last_run)}` : '',
    ` · ${e.webhooks} ${e.webhooks === 1 ? 'webhook' : 'webhooks'}`);
}

function allClear(alerts, states) {
  return h('section', { class: 'card all-clear', dataset: { empty: 'all-clear' } },
    h('h2', { text: 'All clear: no alert is firing' }),
    h('p', { class: 'muted', text: states.pending
      ? `${states.pending} pending: its condition holds, but not yet for as long as the rule's “for”.`
      : `Every rule's condition was false (or had too few calls to say) at the last evaluation${alerts.evaluation.last_run ? ', ' + fmt.time(alerts.evaluation.last_run) : ''}.` }));
}

function noRules() {
  const yaml = `alerts:
  rules:
    - alert: HighErrorRate
      condition: count(errors) / count(all) > 0.05
      window: 5m
      severity: critical
      min_count: 20`;
  return h('section', { class: 'card empty', dataset: { empty: 'no-rules' } },
    h('h2', { text: 'No alert rules' }),
    h('p', {}, 'The built-in rules are off (', h('code', { text: 'alerts.default_rules: false' }), ') and none are configured. Add some to llmlog.yaml:'),
    h('pre', { class: 'code', text: yaml }));
}

function ruleCard(rule, params) {
  const format = fmt.conditionFormat(rule.condition);
  const { op } = fmt.conditionParts(rule.condition);
  const grouped = (rule.group_by || []).length > 0;
  const single = grouped ? null : (rule.instances || [])[0];
  const selected = rule.alert === params.alert;
  return h('article', { class: `card rule state-${rule.state}` + (selected ? ' selected' : ''), dataset: { rule: rule.alert, state: rule.state },
    'aria-current': selected ? 'true' : null },
  h('header', { class: 'rule-head' },
    statePill(rule.state),
    h('h3', {}, h('a', { href: href('alerts', { alert: rule.alert, refresh: params.refresh }), text: rule.alert })),
    h('span', { class: 'badge severity-' + rule.severity, text: rule.severity }),
    h('span', { class: 'spacer' }),
    rule.since ? h('span', { class: 'muted nowrap', text: `${rule.state === 'resolved' ? 'resolved' : 'since'} ${fmt.time(rule.since)}` }) : null),
  h('p', { class: 'condition' }, h('code', { text: rule.condition }), h('span', { class: 'muted', text: ` over ${rule.window}` })),
  grouped ? null : measure(rule.value, rule.threshold, op, format),
  facts(rule, single),
  single && rule.state !== 'inactive' && single.summary ? h('p', { class: 'rule-summary', text: single.summary }) : null,
  grouped ? instances(rule, format) : null);
}

/** The value beside the threshold, and a bar with the threshold at its middle. */
function measure(value, threshold, op, format) {
  const known = fmt.isNumber(value);
  const ratio = known && fmt.isNumber(threshold) && threshold > 0 && value >= 0 ? value / threshold : null;
  const fill = h('span', { class: 'meter-fill' });
  if (ratio !== null) fill.style.width = Math.min(100, ratio * 50) + '%';
  return h('div', { class: 'measure' },
    h('div', {},
      h('span', { class: 'measure-label', text: 'Value' }),
      h('span', { class: 'measure-number', dataset: { value: String(value) }, title: known ? null : 'fewer calls than min_count in the window, or nothing to compute',
        text: known ? format(value) : 'no value' })),
    h('span', { class: 'measure-op', text: op }),
    h('div', {},
      h('span', { class: 'measure-label', text: 'Threshold' }),
      h('span', { class: 'measure-number', dataset: { threshold: String(threshold) }, text: format(threshold) })),
    ratio !== null
      ? h('div', { class: 'meter', role: 'img', 'aria-label': `${format(value)} against a threshold of ${format(threshold)}` }, fill, h('span', { class: 'meter-mark' }))
      : null);
}

function facts(rule, single) {
  const labels = Object.entries(rule.labels || {}).map(([k, v]) => `${k}=${v}`).join(', ');
  const rows = [
    ['For', rule.for],
    ['Min. calls', fmt.count(rule.min_count)],
    single ? ['Calls in window', fmt.count(single.calls)] : null,
    rule.filter ? ['Filter', rule.filter] : null,
    (rule.group_by || []).length ? ['Group by', rule.group_by.join(', ')] : null,
    labels ? ['Labels', labels] : null,
  ].filter(Boolean);
  return h('dl', { class: 'rule-facts' }, rows.map(([k, v]) => h('div', { dataset: { fact: k } }, h('dt', { text: k }), h('dd', { text: v }))));
}

/** One row per group_by value seen in the window, worst first. */
function instances(rule, format) {
  const list = [...(rule.instances || [])].sort((a, b) => (RANK[a.state] ?? 9) - (RANK[b.state] ?? 9) || (b.value ?? -Infinity) - (a.value ?? -Infinity));
  if (!list.length) return h('p', { class: 'muted', text: `No ${rule.group_by.join(', ')} value had calls in the window.` });
  return h('div', { class: 'scroll' }, h('table', { class: 'grid instances' },
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col', text: rule.group_by.join(' / ') }),
      h('th', { scope: 'col', text: 'State' }),
      h('th', { scope: 'col', class: 'num', text: 'Value' }),
      h('th', { scope: 'col', class: 'num', text: 'Calls' }),
      h('th', { scope: 'col', class: 'opt', text: 'Since' }))),
    h('tbody', {}, list.map((i) => h('tr', { dataset: { instance: Object.values(i.labels).join('/'), state: i.state } },
      h('th', { scope: 'row', text: Object.values(i.labels).join(' / ') || '–' }),
      h('td', {}, statePill(i.state)),
      h('td', { class: 'num', dataset: { value: String(i.value) }, text: fmt.isNumber(i.value) ? format(i.value) : 'no value' }),
      h('td', { class: 'num', text: fmt.count(i.calls) }),
      h('td', { class: 'opt nowrap', title: i.since ? fmt.time(i.since) : null, text: i.since ? fmt.clock(i.since) : '–' }))))));
}
