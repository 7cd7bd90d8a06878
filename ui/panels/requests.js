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
  let entries = [];
  const ids = new Set();
  const codes = new Set();
  let selected;
  let pending = false;

  platformFilter.addEventListener('change', render);
  statusFilter.addEventListener('change', render);
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

  function visible(entry) {
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
  }

  function row(entry) {
    const open = () => select(entry);
    const isSelected = selected === entry.id;
    return h(
      'tr',
      { class: isSelected ? 'selected' : '', dataset: { id: String(entry.id) }, onclick: (event) => event.target.closest('button') || open() },
      h('td', { class: 'mono' }, formatTime(entry.time, false)),
      h('td', {}, entry.platform),
      h(
        'td',
        {},
        // A gateway or router.as call is told apart by its business method (open.auth.token.app, GET_BOXES).
        h(
          'button',
          { type: 'button', class: 'link', 'aria-pressed': String(isSelected), onclick: open, title: `${entry.method} ${entry.path}` },
          `${entry.method} ${entry.endpoint}`,
          entry.apiMethod ? [' · ', h('strong', { class: 'api-method' }, entry.apiMethod)] : null,
        ),
        entry.note ? h('span', { class: 'note-flag', title: entry.note }, ' note') : null,
      ),
      h('td', {}, h('span', { class: statusClass(entry.status) }, String(entry.status))),
      h('td', { class: 'num' }, `${formatLatency(entry.durationMs)}`),
      h('td', { class: 'rule' }, entry.rule ?? ''),
    );
  }

  function select(entry) {
    selected = entry.id;
    detail.show(entry);
    render();
  }

  return {
    setPlatforms,
    add,
    render,
    get lastId() {
      return entries.length ? entries[0].id : 0;
    },
  };
}

function formatLatency(ms) {
  if (typeof ms !== 'number') return '';
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(ms < 10 ? 1 : 0)} ms`;
}
