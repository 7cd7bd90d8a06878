import { api } from '../lib/api.js';
import { $, formatTime, h, replace, statusClass } from '../lib/dom.js';

/** The page keeps this many exchanges; the journal on the server keeps its own number. */
const KEEP = 500;

/** Requests newest first, live; filters by platform and status; opening one shows it in the detail panel. */
export function requestsPanel(ctx, detail) {
  const body = $('#req-table tbody');
  const empty = $('#req-empty');
  const count = $('#requests-count');
  const platformFilter = $('#req-platform');
  const statusFilter = $('#req-status');
  const unmatchedFilter = $('#req-unmatched');
  const unmatchedCount = $('#req-unmatched-count');
  let entries = [];
  const ids = new Set();
  const codes = new Set();
  let selected;
  let pending = false;

  platformFilter.addEventListener('change', render);
  statusFilter.addEventListener('change', render);
  unmatchedFilter.addEventListener('click', () => {
    unmatchedFilter.setAttribute('aria-pressed', String(!onlyUnmatched()));
    render();
  });
  $('#req-clear').addEventListener('click', async () => {
    try {
      await api('requests', { method: 'DELETE' });
      entries = [];
      ids.clear();
      render();
      ctx.toast('Journal cleared.');
    } catch (e) {
      ctx.fail(e);
    }
  });

  function setPlatforms(platforms) {
    for (const p of platforms) platformFilter.append(h('option', { value: p.id }, p.id));
  }

  /** Entries arrive over the event stream and from the first listing; either may repeat the other. */
  function add(list) {
    for (const entry of list) {
      if (ids.has(entry.id)) continue;
      ids.add(entry.id);
      entries.push(entry);
      noteStatus(entry.status);
    }
    entries.sort((a, b) => b.id - a.id);
    if (entries.length > KEEP) for (const old of entries.splice(KEEP)) ids.delete(old.id);
    schedule();
  }

  function noteStatus(status) {
    if (codes.has(status)) return;
    codes.add(status);
    const options = [...statusFilter.options].slice(5);
    const before = options.find((o) => Number(o.value) > status);
    statusFilter.insertBefore(h('option', { value: String(status) }, String(status)), before ?? null);
  }

  function schedule() {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      render();
    });
  }

  const onlyUnmatched = () => unmatchedFilter.getAttribute('aria-pressed') === 'true';

  function visible(entry) {
    if (onlyUnmatched() && !isUnmatched(entry)) return false;
    const platform = platformFilter.value;
    const status = statusFilter.value;
    if (platform && entry.platform !== platform) return false;
    if (status.endsWith('xx')) return String(entry.status).charAt(0) === status.charAt(0);
    return !status || entry.status === Number(status);
  }

  function render() {
    const shown = entries.filter(visible);
    // Rows are rebuilt when a request arrives; a keyboard user tabbing through them keeps their place.
    const focusedId = body.contains(document.activeElement) ? document.activeElement.closest('tr')?.dataset.id : undefined;
    replace(body, shown.map(row));
    if (focusedId) body.querySelector(`tr[data-id="${CSS.escape(focusedId)}"] button`)?.focus();
    empty.hidden = shown.length > 0;
    if (entries.length === 0) empty.textContent = 'No requests yet. Point a client at one of the base URLs below; each call shows up here as it arrives.';
    else empty.textContent = 'No request matches the filters.';
    count.textContent = shown.length === entries.length ? `(${entries.length})` : `(${shown.length} of ${entries.length})`;
    // The filter stands out as soon as one request missed every endpoint: that is what a wrong base path looks like.
    const missed = entries.filter(isUnmatched).length;
    unmatchedCount.textContent = String(missed);
    unmatchedFilter.classList.toggle('alert', missed > 0);
  }

  function row(entry) {
    const open = () => select(entry);
    const isSelected = selected === entry.id;
    const unmatched = isUnmatched(entry);
    return h(
      'tr',
      {
        class: [isSelected ? 'selected' : '', unmatched ? 'unmatched' : ''].join(' ').trim(),
        dataset: { id: String(entry.id) },
        onclick: (event) => event.target.closest('button') || open(),
      },
      h('td', { class: 'mono time' }, formatTime(entry.time, false)),
      h('td', { class: 'platform' }, entry.platform || (unmatched ? 'none' : '')),
      h(
        'td',
        { class: 'endpoint' },
        // A gateway or router.as call is told apart by its business method (open.auth.token.app, GET_BOXES);
        // a request that matched no endpoint by the path it was sent to, which is what is wrong with it.
        h(
          'button',
          { type: 'button', class: 'link', 'aria-pressed': String(isSelected), onclick: open, title: `${entry.method} ${entry.path}` },
          unmatched ? `${entry.method} ${entry.path}` : `${entry.method} ${entry.endpoint}`,
          entry.apiMethod ? [' · ', h('strong', { class: 'api-method' }, entry.apiMethod)] : null,
        ),
        unmatched ? h('span', { class: 'unmatched-flag' }, ' unmatched') : null,
        entry.note ? h('span', { class: 'note-flag', title: entry.note }, ' note') : null,
        unmatched && entry.hint ? h('span', { class: 'hint' }, entry.hint) : null,
      ),
      h('td', { class: 'status-cell' }, h('span', { class: statusClass(entry.status) }, String(entry.status))),
      h('td', { class: 'num latency' }, `${formatLatency(entry.durationMs)}`),
      h('td', { class: 'rule' }, entry.rule ?? ''),
    );
  }

  function select(entry) {
    selected = entry.id;
    detail.show(entry);
    render();
  }

  /** Open the journal entry `id` if the page holds it (a step of a token's story links to it); false when it does not. */
  function open(id) {
    const entry = entries.find((e) => e.id === id);
    if (!entry) return false;
    select(entry);
    return true;
  }

  return {
    setPlatforms,
    add,
    render,
    open,
    get lastId() {
      return entries.length ? entries[0].id : 0;
    },
  };
}

/** Entries from a server that journals only matched requests carry no `matched` field: they matched. */
export const isUnmatched = (entry) => entry.matched === false;

function formatLatency(ms) {
  if (typeof ms !== 'number') return '';
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(ms < 10 ? 1 : 0)} ms`;
}
