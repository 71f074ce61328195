// The lifecycle page: every daily index and archive with its phase and next action, the policies,
// the disk guard and the last run (GET /api/v1/lifecycle), and a button to restore an archived day
// (POST /api/v1/lifecycle/restore, admin role), with the same command for a shell.
import { api } from '../api.js';
import { h, replace, copyButton } from '../dom.js';
import * as fmt from '../format.js';
import { go, href } from '../route.js';
import { showDisk } from '../status.js';
import { showFailure, refreshControl, pageHead } from './common.js';

const PHASES = ['hot', 'warm', 'cold', 'archived', 'restored', 'restoring', 'incomplete'];
// The families come from the server (its policies, in its order), so a new family shows up here by itself.
let FAMILIES = [];
const familyLabel = (family) => String(family).replace('_', ' ');
/** Each next action in a few words, and in full for its tooltip. */
const NEXT = {
  none: ['–', 'nothing is planned'],
  warm: ['Make warm', 'block writes and force-merge to one segment per shard'],
  archive: ['Archive', 'export to compressed NDJSON, verify against the index, then delete the index'],
  drop_restored: ['Drop copy', 'delete the restored copy if it still equals its archive (else archive it anew)'],
  delete: ['Delete', 'the retention (delete_archive_after) has passed: delete the archive and any index'],
  resume_restore: ['Finish restore', 'a restore was interrupted; the next run finishes it'],
};

export function render(main, route, signal) {
  const params = route.params;
  const notice = h('div', { class: 'restore-notice', role: 'status' });
  const root = h('div', { class: 'lifecycle-body', dataset: { state: 'loading' } }, h('p', { class: 'loading', text: 'Loading the lifecycle…' }));
  replace(main, h('section', { class: 'page', dataset: { view: 'lifecycle' }, 'aria-labelledby': 'page-title' },
    pageHead('Lifecycle', refreshControl('lifecycle', params, 'off')), notice, root));
  const load = async () => {
    try {
      const status = await api('/api/v1/lifecycle', { signal });
      if (signal.aborted) return;
      showDisk(status.disk, status.disk?.reason);
      draw(root, params, status, (day, button) => restore(day, button, notice, load, signal));
    } catch (error) {
      showFailure(root, error);
    }
  };
  load();
  return { refresh: load };
}

function draw(root, params, status, onRestore) {
  FAMILIES = Object.keys(status.policies);
  const family = FAMILIES.includes(params.family) ? params.family : '';
  const phase = PHASES.includes(params.phase) ? params.phase : '';
  const days = status.days
    .filter((d) => (!family || d.family === family) && (!phase || d.phase === phase))
    .sort((a, b) => b.day.localeCompare(a.day) || FAMILIES.indexOf(a.family) - FAMILIES.indexOf(b.family));
  replace(root,
    overview(status),
    status.enabled ? null : h('p', { class: 'notice', text: 'The lifecycle manager is off (lifecycle.enabled: false): indices are kept as they are. The disk guard still works.' }),
    status.mode === 'engine'
      ? h('p', { class: 'notice', text: 'lifecycle.mode is engine: the engine’s own ISM/ILM policies manage the indices; llmlog does not archive.' })
      : null,
    status.engine_mode_error ? h('div', { class: 'error-box', role: 'alert', text: 'Installing the engine’s policies failed: ' + status.engine_mode_error }) : null,
    h('div', { class: 'phase-totals' }, PHASES.map((p) => total(p, status.totals[p] ?? 0, params, phase)), disk(status.disk)),
    status.disk.ingest_paused && status.disk.reason ? h('p', { class: 'error-box', text: status.disk.reason }) : null,
    daysSection(params, status, days, family, phase, onRestore),
    h('div', { class: 'tables' }, policies(status), lastRun(status.last_run)));
  root.dataset.state = 'ready';
}

function overview(status) {
  return h('p', { class: 'summary', dataset: { now: status.now } },
    h('strong', { text: `${status.days.length} days` }),
    ` · the manager runs every ${status.interval}`,
    ` · archives in `, h('code', { text: status.archive_dir }), ` (${status.compression})`,
    ` · restored days are kept ${status.restore_keep}`,
    h('span', { class: 'updated', text: ` · as of ${fmt.time(status.now)}` }));
}

/** A phase's count; a click shows only that phase's days. */
function total(phase, count, params, selected) {
  const active = phase === selected;
  return h('a', { class: `kpi card phase-total phase-${phase}` + (active ? ' active' : '') + (count ? '' : ' zero'),
    href: href('lifecycle', { ...params, phase: active ? '' : phase }), 'aria-current': active ? 'true' : null,
    dataset: { phase, value: String(count) }, title: active ? 'Show every phase' : `Show only ${phase} days` },
  h('span', { class: 'kpi-label', text: phase }),
  h('span', { class: 'kpi-value', text: fmt.count(count) }));
}

/** The disk guard: free space under the data directory, and whether ingest is paused. */
function disk(d) {
  const paused = Boolean(d.ingest_paused);
  const known = d.total_bytes > 0;
  return h('section', { class: 'kpi card disk' + (paused ? ' bad' : ''), dataset: { disk: paused ? 'paused' : 'ok' }, title: 'Data directory: ' + d.path },
    h('span', { class: 'kpi-label' }, 'Disk ', paused
      ? h('span', { class: 'state-pill state-firing', text: 'Ingest paused' })
      : h('span', { class: 'state-pill state-inactive', text: d.enabled ? 'Ingest running' : 'Guard off' })),
    h('span', { class: 'kpi-value', dataset: { freeRatio: String(d.free_ratio) }, text: known ? `${fmt.percent(d.free_ratio)} free` : '–' }),
    h('span', { class: 'kpi-note', text: (known ? `${fmt.bytes(d.free_bytes)} of ${fmt.bytes(d.total_bytes)} · ` : '')
      + (d.enabled ? `ingest pauses below ${d.min_free}` : 'no pause (lifecycle.disk.enabled: false)') }));
}

function policies(status) {
  const never = (v) => v ?? 'never';
  return h('section', { class: 'card table-card', dataset: { table: 'policies' } },
    h('h2', { text: 'Policies' }),
    h('div', { class: 'scroll' }, h('table', { class: 'grid' },
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col', text: 'Family' }),
        h('th', { scope: 'col', text: 'Warm after' }),
        h('th', { scope: 'col', text: 'Archive after' }),
        h('th', { scope: 'col', text: 'Delete archive after' }))),
      h('tbody', {}, Object.entries(status.policies).sort(([a], [b]) => FAMILIES.indexOf(a) - FAMILIES.indexOf(b)).map(([family, p]) => h('tr', { dataset: { family } },
        h('th', { scope: 'row', text: familyLabel(family) }),
        h('td', { text: never(p.warm_after) }),
        h('td', { text: never(p.cold_after) }),
        h('td', { text: never(p.delete_archive_after) })))))));
}

function lastRun(run) {
  if (!run) {
    return h('section', { class: 'card table-card', dataset: { table: 'last-run' } }, h('h2', { text: 'Last run' }), h('p', { class: 'muted', text: 'No run since this server started.' }));
  }
  const actions = run.actions || [];
  return h('section', { class: 'card table-card', dataset: { table: 'last-run', failures: String(run.failures) } },
    h('h2', { text: 'Last run' }),
    h('p', {}, fmt.time(run.finished_at), ' · ', `${actions.length} ${actions.length === 1 ? 'action' : 'actions'}`,
      run.failures ? h('strong', { class: 'bad-text', text: ` · ${run.failures} failed` }) : '', run.skipped ? ` · skipped: ${run.skipped}` : ''),
    actions.length
      ? h('details', {}, h('summary', { text: 'What it did' }),
        h('ul', { class: 'run-actions' }, actions.map((a) => h('li', { class: a.ok ? null : 'bad-text' },
          h('code', { text: a.index }), ` ${a.action}: ${a.message}`))))
      : h('p', { class: 'muted', text: 'Nothing was due.' }));
}

function daysSection(params, status, days, family, phase, onRestore) {
  const familySelect = h('select', { id: 'lifecycle-family', name: 'family' },
    h('option', { value: '', text: 'All families' }), FAMILIES.map((f) => h('option', { value: f, text: familyLabel(f) })));
  familySelect.value = family;
  const phaseSelect = h('select', { id: 'lifecycle-phase', name: 'phase' },
    h('option', { value: '', text: 'Every phase' }), PHASES.map((p) => h('option', { value: p, text: p })));
  phaseSelect.value = phase;
  const apply = () => go('lifecycle', { ...params, family: familySelect.value, phase: phaseSelect.value });
  familySelect.addEventListener('change', apply);
  phaseSelect.addEventListener('change', apply);
  return h('section', { class: 'days', 'aria-labelledby': 'days-title', dataset: { shown: String(days.length) } },
    h('div', { class: 'section-head' },
      h('h2', { id: 'days-title', text: 'Days' }),
      h('span', { class: 'muted', text: `${fmt.count(days.length)} shown` }),
      h('span', { class: 'spacer' }),
      h('form', { class: 'filters', 'aria-label': 'Filter the days', on: { submit: (e) => { e.preventDefault(); apply(); } } },
        h('label', {}, 'Family ', familySelect),
        h('label', {}, 'Phase ', phaseSelect))),
    days.length
      ? h('div', { class: 'card scroll' }, h('table', { class: 'grid days-table' },
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col', text: 'Family' }),
          h('th', { scope: 'col', text: 'Day' }),
          h('th', { scope: 'col', text: 'Phase' }),
          h('th', { scope: 'col', class: 'num', text: 'Age' }),
          h('th', { scope: 'col', class: 'num', text: 'Documents' }),
          h('th', { scope: 'col', class: 'num opt', text: 'Size' }),
          h('th', { scope: 'col', class: 'opt', text: 'Next action' }),
          h('th', { scope: 'col', class: 'opt', text: 'Due' }),
          h('th', { scope: 'col', text: 'Restore' }))),
        h('tbody', {}, days.map((d) => dayRow(d, status.now, onRestore)))))
      : h('p', { class: 'card empty', dataset: { empty: 'no-days' } },
        status.days.length ? 'No day matches this filter. ' : 'No daily indices or archives yet: they appear with the first stored call. ',
        status.days.length ? h('a', { href: href('lifecycle', { refresh: params.refresh }), text: 'Show all' }) : null));
}

function dayRow(d, now, onRestore) {
  return h('tr', { dataset: { family: d.family, day: d.day, phase: d.phase } },
    h('td', { text: familyLabel(d.family) }),
    h('td', { class: 'nowrap' }, h('span', { title: d.index, text: d.day })),
    h('td', {}, h('span', { class: 'phase-pill phase-' + d.phase, text: d.phase }),
      d.archive && !d.archive.verified && d.archive.sets ? h('span', { class: 'badge warn', text: 'unverified' }) : null),
    h('td', { class: 'num nowrap col-age', dataset: { value: String(d.age_days) }, text: fmt.age(d.age_days) }),
    h('td', { class: 'num col-documents', dataset: { value: String(d.documents) }, text: fmt.count(d.documents) }),
    h('td', { class: 'num opt nowrap col-size', dataset: { value: String(d.size_bytes) }, text: fmt.bytes(d.size_bytes) }),
    h('td', { class: 'opt nowrap', dataset: { next: d.next_action }, title: (NEXT[d.next_action] || [])[1] || null, text: (NEXT[d.next_action] || [d.next_action])[0] }),
    h('td', { class: 'opt nowrap', dataset: { due: d.due ?? '' }, title: d.due ? fmt.time(d.due) : null },
      d.due ? [dueText(d.due, now), h('span', { class: 'muted', text: ' · ' + fmt.date(d.due) })] : '–'),
    h('td', { class: 'restore-cell' }, d.phase === 'archived' ? restoreTools(d, onRestore) : null));
}

function dueText(due, now) {
  return Date.parse(due) <= Date.parse(now) ? 'due now' : fmt.relative(due, now);
}

/** The button, and the same restore for a shell (also what to do without an admin key). */
function restoreTools(d, onRestore) {
  const command = cliRestore(d);
  const button = h('button', { type: 'button', class: 'small', dataset: { restore: `${d.family}/${d.day}` }, text: 'Restore' });
  button.addEventListener('click', () => onRestore(d, button));
  return h('div', { class: 'restore-tools' }, button,
    h('span', { class: 'cli' }, h('code', { dataset: { cli: d.day }, text: command }), copyButton('Copy', () => command)));
}

function cliRestore(d) {
  return `./llmlog archive restore ${d.day}` + (d.family === 'logs' ? '' : ` --family ${d.family}`);
}

async function restore(d, button, notice, reload, signal) {
  button.disabled = true;
  notice.dataset.result = 'running';
  replace(notice, h('p', { class: 'notice', text: `Restoring ${familyLabel(d.family)} ${d.day}…` }));
  try {
    // No abort signal: a restore goes on in the server whatever the page does, so the page waits for it.
    const result = await api('/api/v1/lifecycle/restore', { method: 'POST', body: { day: d.day, family: d.family } });
    if (signal.aborted) return;
    notice.dataset.result = 'restored';
    replace(notice, h('p', { class: 'ok-box' },
      h('strong', { text: `${familyLabel(d.family)} ${d.day} ${result.result === 'already_restored' ? 'was already restored' : 'is restored'}: ` }),
      `${fmt.count(result.documents)} documents in `, h('code', { text: result.index }), `, searchable and read-only until ${fmt.time(result.kept_until)}.`));
    await reload();
  } catch (error) {
    if (signal.aborted) return;
    button.disabled = false;
    notice.dataset.result = 'error';
    notice.dataset.status = String(error.status ?? '');
    const refused = error.status === 401 || error.status === 403;
    replace(notice, h('div', { class: 'error-box', role: 'alert' },
      h('strong', { text: refused ? `Restore refused (${error.status}): ` : `Restore failed${error.status ? ' (' + error.status + ')' : ''}: ` }),
      error.message,
      refused
        ? [h('br'), error.status === 403
          ? 'Restoring needs an API key with the admin role; this one has another. Forget it (top right) and enter an admin key, or run: '
          : 'Restoring needs an API key with the admin role. Click Restore again to enter one, or run: ',
        h('code', { text: cliRestore(d) + ' --api-key <admin key>' })]
        : null));
  }
}
