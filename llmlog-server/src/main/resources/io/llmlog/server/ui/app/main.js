// The dashboard's entry point: the page registry, the navigation, routing on the URL's hash,
// auto-refresh and keyboard shortcuts.
import { h, replace } from './dom.js';
import { parse, href, shared, REFRESH } from './route.js';
import { focusSearch, hideQueryBar } from './querybar.js';
import { apiKey, forgetKey } from './api.js';
import { destroyCharts } from './charts.js';
import { refreshStatus, decorateAlertsTab } from './status.js';
import * as overview from './pages/overview.js';
import * as explorer from './pages/explorer.js';
import * as call from './pages/call.js';
import * as traces from './pages/traces.js';
import * as trace from './pages/trace.js';
import * as sessions from './pages/sessions.js';
import * as session from './pages/session.js';
import * as users from './pages/users.js';
import * as user from './pages/user.js';
import * as alerts from './pages/alerts.js';
import * as lifecycle from './pages/lifecycle.js';
import * as review from './pages/review.js';

/**
 * The pages. Each module exports render(main, route, signal), which fills <main> and may return
 * {refresh()} for auto-refresh. Pages with nav: true get a tab; a new page is one line here and
 * one module under pages/. search: the page uses the search bar. refresh: the page's auto-refresh
 * when the URL names none. ownsAlerts: the page loads the alerts itself and sets the tab's badge.
 */
const PAGES = [
  { id: 'overview', title: 'Overview', module: overview, nav: true, search: true },
  { id: 'explorer', title: 'Explorer', module: explorer, nav: true, search: true },
  { id: 'traces', title: 'Traces', module: traces, nav: true, search: true },
  { id: 'sessions', title: 'Sessions', module: sessions, nav: true, search: true },
  { id: 'users', title: 'Users', module: users, nav: true, search: true },
  { id: 'alerts', title: 'Alerts', module: alerts, nav: true, refresh: '10s', ownsAlerts: true },
  { id: 'review', title: 'Review', module: review, nav: true },
  { id: 'lifecycle', title: 'Lifecycle', module: lifecycle, nav: true },
  { id: 'call', title: 'Call', module: call, nav: false, tab: 'explorer' },
  { id: 'trace', title: 'Trace', module: trace, nav: false, tab: 'traces' },
  { id: 'session', title: 'Session', module: session, nav: false, tab: 'sessions' },
  { id: 'user', title: 'User', module: user, nav: false, tab: 'users' },
];

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const forgetButton = document.getElementById('forget-key');

let current = null;
let currentPage = null;
let abort = null;
let timer = null;

function show() {
  const route = parse(location.hash);
  const page = PAGES.find((p) => p.id === route.page) || PAGES[0];
  abort?.abort();
  abort = new AbortController();
  destroyCharts();
  clearInterval(timer);
  drawNav(page, route);
  if (!page.search) hideQueryBar();
  document.title = page.title + ' · llmlog';
  main.dataset.page = page.id;
  const pageChanged = currentPage !== null && currentPage !== page.id;
  currentPage = page.id;
  current = page.module.render(main, route, abort.signal) || null;
  // A new page is announced by moving focus to it; a refined search keeps focus where it was.
  if (pageChanged) main.focus({ preventScroll: true });
  const signal = abort.signal;
  const status = () => refreshStatus(signal, { alerts: !page.ownsAlerts });
  status();
  const refresh = route.params.refresh ?? page.refresh ?? 'off';
  const every = Object.hasOwn(REFRESH, refresh) ? REFRESH[refresh] : 0;
  if (every && current?.refresh) {
    timer = setInterval(() => {
      if (document.hidden) return;
      current.refresh();
      status();
    }, every);
  }
}

function drawNav(page, route) {
  const keep = page.nav ? shared(route.params) : {};
  replace(nav, PAGES.filter((p) => p.nav).map((p) => {
    const active = p.id === (page.tab || page.id);
    const link = h('a', { href: href(p.id, keep), class: active ? 'active' : null, 'aria-current': active ? 'page' : null, dataset: { page: p.id }, text: p.title });
    if (p.id === 'alerts') decorateAlertsTab(link);
    return link;
  }));
  forgetButton.hidden = !apiKey();
}

forgetButton.addEventListener('click', () => {
  forgetKey();
  location.reload();
});

document.addEventListener('llmlog:key', () => { forgetButton.hidden = false; });

// "/" focuses the search bar, as in Kibana and GitHub, unless one is typing somewhere.
document.addEventListener('keydown', (event) => {
  if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey) return;
  const target = event.target;
  if (target.closest && target.closest('input, textarea, select, [contenteditable]')) return;
  if (focusSearch()) event.preventDefault();
});

window.addEventListener('hashchange', show);
show();
