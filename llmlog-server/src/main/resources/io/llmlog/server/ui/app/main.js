// The dashboard's entry point: the page registry, the navigation, routing on the URL's hash,
// auto-refresh and keyboard shortcuts.
import { h, replace } from './dom.js';
import { parse, href, shared, REFRESH } from './route.js';
import { focusSearch, hideQueryBar } from './querybar.js';
import { apiKey, forgetKey } from './api.js';
import { destroyCharts } from './charts.js';
import * as overview from './pages/overview.js';
import * as explorer from './pages/explorer.js';
import * as call from './pages/call.js';

/**
 * The pages. Each module exports render(main, route, signal), which fills <main> and may return
 * {refresh()} for auto-refresh. Pages with nav: true get a tab; more pages (alerts, lifecycle)
 * are one line here and one module under pages/.
 */
const PAGES = [
  { id: 'overview', title: 'Overview', module: overview, nav: true },
  { id: 'explorer', title: 'Explorer', module: explorer, nav: true },
  { id: 'call', title: 'Call', module: call, nav: false, tab: 'explorer' },
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
  if (!page.nav) hideQueryBar();
  document.title = page.title + ' · llmlog';
  main.dataset.page = page.id;
  const pageChanged = currentPage !== null && currentPage !== page.id;
  currentPage = page.id;
  current = page.module.render(main, route, abort.signal) || null;
  // A new page is announced by moving focus to it; a refined search keeps focus where it was.
  if (pageChanged) main.focus({ preventScroll: true });
  const every = REFRESH[route.params.refresh] || 0;
  if (every && current?.refresh) {
    timer = setInterval(() => {
      if (!document.hidden) current.refresh();
    }, every);
  }
}

function drawNav(page, route) {
  const keep = page.nav ? shared(route.params) : {};
  replace(nav, PAGES.filter((p) => p.nav).map((p) => {
    const active = p.id === (page.tab || page.id);
    return h('a', { href: href(p.id, keep), class: active ? 'active' : null, 'aria-current': active ? 'page' : null, text: p.title });
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
