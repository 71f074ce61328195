// What every page shows besides its own content: how many alerts fire (a badge on the Alerts tab)
// and a banner while the disk guard pauses ingest. Both are asked for when a page loads and at each
// of its auto-refreshes, so they cost two small requests and no timer of their own.
import { api } from './api.js';
import { h, replace } from './dom.js';

const banner = document.getElementById('status-banner');

/** Firing alert instances as last seen; null until known (or when the alerts cannot be read). */
let firing = null;

/** Firing instances in a GET /api/v1/alerts answer: what the llmlog_alerts_firing gauge counts. */
export function firingCount(alerts) {
  let count = 0;
  for (const rule of alerts?.rules || []) {
    for (const instance of rule.instances || []) {
      if (instance.state === 'firing') count++;
    }
  }
  return count;
}

/** Shows a count on the Alerts tab; the Alerts page calls it with what it loaded itself. */
export function showFiring(count) {
  firing = count;
  const link = document.querySelector('#nav a[data-page=alerts]');
  if (link) decorateAlertsTab(link);
}

/** Puts the badge on the Alerts tab (the navigation is drawn anew on every view). */
export function decorateAlertsTab(link) {
  link.dataset.firing = firing === null ? '' : String(firing);
  link.querySelector('.nav-badge')?.remove();
  if (firing > 0) {
    link.append(h('span', { class: 'nav-badge' }, String(firing), h('span', { class: 'visually-hidden', text: ' firing' })));
  }
}

/** The banner while ingest is paused; disk is /health's disk object. */
export function showDisk(disk, reason) {
  const text = disk?.ingest_paused ? reason || disk.reason || 'The disk under the data directory is almost full.' : '';
  // Drawn only when it changes: an alert region announces every new content.
  if (banner.dataset.text === text) return;
  banner.dataset.text = text;
  if (!text) {
    banner.hidden = true;
    banner.replaceChildren();
    return;
  }
  replace(banner,
    h('strong', { text: 'Ingest is paused. ' }),
    text,
    ' ',
    h('a', { href: '#/lifecycle', text: 'Lifecycle and disk' }));
  banner.hidden = false;
}

/**
 * Asks the server for both. Failures stay quiet here: the page itself shows why the server cannot
 * be read, and a badge that cannot be known is left off rather than guessed.
 */
export async function refreshStatus(signal, { alerts = true } = {}) {
  const asks = [api('/health', { signal }).then((health) => showDisk(health.disk, health.reason))];
  if (alerts) asks.push(api('/api/v1/alerts', { signal }).then((answer) => showFiring(firingCount(answer))));
  await Promise.allSettled(asks);
}
