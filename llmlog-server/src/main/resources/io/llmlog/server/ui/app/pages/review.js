// The Review page: a queue's next call, rated, labelled and commented on with the keyboard, then
// the next one. The server leases each call to this page's session, so two reviewers never get the
// same call; a reload gets the same call back, a skip moves on.
import { api } from '../api.js';
import { h, replace } from '../dom.js';
import * as fmt from '../format.js';
import { href } from '../route.js';
import { pageHead } from './common.js';
import { textBlock, qualityList } from './call.js';

/** The keys that toggle the labels, in order: the home row. */
const LABEL_KEYS = ['a', 's', 'd', 'f', 'g', 'h', 'j', 'k', 'l'];
/** One session per page load; two tabs are two sessions. */
const SESSION = 'rv-' + Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => b.toString(16).padStart(2, '0')).join('');
const skipped = new Set();

export function render(main, route, signal) {
  const root = h('div', { class: 'review-body', dataset: { state: 'loading' } }, h('p', { class: 'loading', text: 'Loading…' }));
  replace(main, h('section', { class: 'page', dataset: { view: 'review' }, 'aria-labelledby': 'page-title' },
    pageHead(route.params.queue ? 'Review' : 'Review queues'), root));
  const queue = route.params.queue;
  if (!queue) {
    queues(root, signal);
    return { refresh: () => queues(root, signal) };
  }
  const session = new Review(root, queue, signal);
  session.next();
  return null;
}

async function queues(root, signal) {
  try {
    const answer = await api('/api/v1/review/queues', { signal });
    if (signal.aborted) return;
    root.dataset.reviewer = answer.reviewer;
    replace(root, answer.queues.length
      ? h('div', { class: 'queue-list' }, answer.queues.map((q) => h('section', { class: 'card queue', dataset: { queue: q.name } },
        h('h2', {}, h('a', { href: href('review', { queue: q.name }), text: q.title })),
        q.filter ? h('p', {}, h('code', { text: q.filter })) : null,
        progress(q),
        h('p', { class: 'muted', text: `last ${q.window}` + (q.sample < 1 ? ` · ${fmt.percent(q.sample)} sample` : '') + (q.labels.length ? ` · labels: ${q.labels.join(', ')}` : '') }),
        h('a', { class: 'button primary', href: href('review', { queue: q.name }), text: 'Start reviewing' }))))
      : h('section', { class: 'card empty' }, h('h2', { text: 'No review queues' }),
        h('p', {}, 'Add queues under ', h('code', { text: 'quality.queues' }), ' in llmlog.yaml; see docs/quality.md.')));
    root.dataset.state = 'ready';
  } catch (error) {
    if (error.name === 'AbortError') return;
    root.dataset.state = 'error';
    replace(root, h('div', { class: 'error-box', role: 'alert', text: `Error ${error.status || ''}: ${error.message}` }));
  }
}

function progress(q) {
  const share = q.calls > 0 ? Math.min(1, q.reviewed / q.calls) : 0;
  const bar = h('span', { class: 'progress-bar', role: 'progressbar', 'aria-valuemin': '0', 'aria-valuemax': String(q.calls), 'aria-valuenow': String(q.reviewed) },
    h('span', { class: 'progress-done' }));
  bar.firstChild.style.width = (share * 100).toFixed(1) + '%';
  return h('p', { class: 'progress', dataset: { reviewed: String(q.reviewed), calls: String(q.calls), inReview: String(q.in_review) } },
    bar, ` ${fmt.count(q.reviewed)} of ${fmt.count(q.calls)} reviewed · ${fmt.count(q.remaining)} to go · ${fmt.count(q.in_review)} in review now`);
}

/** One reviewer working through one queue. */
class Review {
  constructor(root, queue, signal) {
    this.root = root;
    this.queue = queue;
    this.signal = signal;
    this.current = null;
    this.onKey = (event) => this.key(event);
    document.addEventListener('keydown', this.onKey);
    signal.addEventListener('abort', () => document.removeEventListener('keydown', this.onKey));
  }

  async next() {
    this.root.dataset.state = 'loading';
    try {
      const answer = await api(`/api/v1/review/queues/${encodeURIComponent(this.queue)}/next`, {
        method: 'POST', body: { session: SESSION, skip: [...skipped], reviewer: localStorage.getItem('llmlog.reviewer') || undefined }, signal: this.signal });
      if (this.signal.aborted) return;
      this.current = answer.call ? answer : null;
      this.draw(answer);
    } catch (error) {
      if (error.name === 'AbortError') return;
      this.root.dataset.state = 'error';
      replace(this.root, h('div', { class: 'error-box', role: 'alert', text: `Error ${error.status || ''}: ${error.message}` }));
    }
  }

  draw(answer) {
    const q = answer.queue;
    const head = h('div', { class: 'review-head' },
      h('a', { href: href('review'), text: '← Queues' }), h('strong', { text: q.title }), progress(q));
    if (!answer.call) {
      replace(this.root, head, h('section', { class: 'card empty', dataset: { empty: 'queue-done' } },
        h('h2', { text: 'Nothing left to review' }),
        h('p', { text: 'Every call of this queue is reviewed, held by another reviewer, or skipped on this page.' })));
      this.root.dataset.state = 'ready';
      this.root.dataset.requestId = '';
      return;
    }
    const d = answer.call;
    const redacted = Array.isArray(d.redacted) ? d.redacted : [];
    this.labels = new Set();
    this.rating = null;
    this.comment = h('textarea', { id: 'review-comment', name: 'comment', rows: '3', maxlength: '10000', placeholder: 'Comment (c to focus, Esc to leave)' });
    this.status = h('p', { class: 'form-status', role: 'status' });
    this.stars = [1, 2, 3, 4, 5].map((n) => h('button', { type: 'button', class: 'star', dataset: { rating: String(n) }, 'aria-pressed': 'false',
      on: { click: () => this.rate(n) } }, h('kbd', { text: String(n) }), ' ', '★'.repeat(n)));
    this.labelButtons = q.labels.map((label, i) => h('button', { type: 'button', class: 'label-toggle', dataset: { label }, 'aria-pressed': 'false',
      on: { click: () => this.toggle(label) } }, h('kbd', { text: LABEL_KEYS[i] }), ' ', label));
    replace(this.root, head,
      h('div', { class: 'call-head' },
        h('span', { class: 'badge level-' + (d.level || 'info'), text: d.level || 'info' }),
        h('span', { class: 'model', text: d.model ?? 'unknown model' }),
        h('span', { class: 'muted', text: fmt.preciseTime(d.timestamp) }),
        d.service ? h('span', { class: 'muted', text: d.service }) : null,
        h('a', { href: href('call', {}, d.request_id), text: d.request_id }),
        h('span', { class: 'spacer' }),
        h('span', { class: 'muted lease', text: 'yours until ' + fmt.clock(answer.lease_expires) })),
      h('div', { class: 'review-grid' },
        h('div', { class: 'call-texts' },
          textBlock('System prompt', 'system_prompt', d.system_prompt, redacted, []),
          textBlock('Prompt', 'prompt', d.prompt, redacted, []),
          textBlock('Response', 'response', d.response, redacted, [])),
        h('aside', { class: 'review-form card' },
          h('h2', { text: 'Your review' }),
          h('div', { class: 'stars-row', role: 'group', 'aria-label': 'Rating' }, this.stars),
          this.labelButtons.length ? h('div', { class: 'labels-row', role: 'group', 'aria-label': 'Labels' }, this.labelButtons) : null,
          this.comment,
          h('div', { class: 'buttons' },
            h('button', { type: 'button', class: 'primary', id: 'review-save', on: { click: () => this.save() } }, 'Save and next ', h('kbd', { text: 'Enter' })),
            h('button', { type: 'button', id: 'review-skip', on: { click: () => this.skip() } }, 'Skip ', h('kbd', { text: 'n' }))),
          this.status,
          h('p', { class: 'hint', text: 'Keys: 1–5 rate · ' + (q.labels.length ? LABEL_KEYS.slice(0, q.labels.length).join(' ') + ' toggle labels · ' : '')
            + 'c comment · Enter save and next (Ctrl+Enter in the comment) · n skip' }),
          answer.quality.length ? [h('h3', { text: 'Scores and feedback so far' }), qualityList(answer.quality)] : null)));
    this.root.dataset.requestId = d.request_id;
    this.root.dataset.state = 'ready';
  }

  rate(n) {
    this.rating = this.rating === n ? null : n;
    this.stars.forEach((star) => star.setAttribute('aria-pressed', String(Number(star.dataset.rating) === this.rating)));
  }

  toggle(label) {
    if (this.labels.has(label)) this.labels.delete(label);
    else this.labels.add(label);
    this.labelButtons.forEach((b) => b.setAttribute('aria-pressed', String(this.labels.has(b.dataset.label))));
  }

  async save() {
    if (!this.current || this.root.dataset.state !== 'ready') return;
    if (this.rating === null && !this.labels.size && !this.comment.value.trim()) {
      this.status.textContent = 'Rate (1–5), label or comment first; n skips this call.';
      return;
    }
    this.root.dataset.state = 'saving';
    this.status.textContent = 'Saving…';
    try {
      await api(`/api/v1/review/queues/${encodeURIComponent(this.queue)}/reviews`, {
        method: 'POST', signal: this.signal,
        body: { session: SESSION, request_id: this.current.call.request_id, rating: this.rating, labels: [...this.labels],
          comment: this.comment.value.trim() || undefined, reviewer: localStorage.getItem('llmlog.reviewer') || undefined } });
      await this.next();
    } catch (error) {
      if (error.name === 'AbortError') return;
      this.root.dataset.state = 'ready';
      this.status.textContent = 'Not saved: ' + error.message;
    }
  }

  async skip() {
    if (!this.current || this.root.dataset.state !== 'ready') return;
    const id = this.current.call.request_id;
    skipped.add(id);
    this.root.dataset.state = 'loading';
    try {
      await api(`/api/v1/review/queues/${encodeURIComponent(this.queue)}/release`, { method: 'POST', body: { session: SESSION, request_id: id }, signal: this.signal });
    } catch (error) {
      // The lease runs out by itself; moving on matters more.
    }
    await this.next();
  }

  key(event) {
    if (!this.current || event.altKey || event.metaKey) return;
    const typing = event.target.closest && event.target.closest('input, textarea, select, [contenteditable]');
    if (typing) {
      if (event.key === 'Escape') event.target.blur();
      if (event.key === 'Enter' && event.ctrlKey) {
        event.preventDefault();
        this.save();
      }
      return;
    }
    if (event.ctrlKey) return;
    const label = LABEL_KEYS.indexOf(event.key);
    if (/^[1-5]$/.test(event.key)) {
      this.rate(Number(event.key));
    } else if (label >= 0 && label < (this.labelButtons || []).length) {
      this.toggle(this.labelButtons[label].dataset.label);
    } else if (event.key === 'c') {
      this.comment.focus();
    } else if (event.key === 'Enter') {
      this.save();
    } else if (event.key === 'n') {
      this.skip();
    } else {
      return;
    }
    event.preventDefault();
  }
}
