import { api } from '../lib/api.js';
import { $, formatDuration, h, replace } from '../lib/dom.js';

const LIVE = new Set(['active', 'grace']);
const SHOW = 500;

/** Every code and token of this world with its state, a countdown by the sandbox clock, and expire/revoke. */
export function tokensPanel(ctx, story) {
  const body = $('#tok-table tbody');
  const empty = $('#tok-empty');
  const more = $('#tok-more');
  const count = $('#tokens-count');
  const platformFilter = $('#tok-platform');
  const stateFilter = $('#tok-state');
  let tokens = [];
  /** Countdown cells and the record each belongs to, updated every second without rebuilding rows. */
  let clocks = [];

  // Filters go to the server: a load test can leave far more tokens than the page should fetch.
  const refilter = () => refresh().catch((e) => ctx.fail(e));
  platformFilter.addEventListener('change', refilter);
  stateFilter.addEventListener('change', refilter);

  function setPlatforms(platforms) {
    for (const p of platforms) platformFilter.append(h('option', { value: p.id }, p.id));
  }

  async function refresh() {
    const q = new URLSearchParams({ order: 'newest', limit: String(SHOW) });
    if (platformFilter.value) q.set('platform', platformFilter.value);
    if (stateFilter.value) q.set('state', stateFilter.value);
    tokens = (await api(`tokens?${q}`)).tokens;
    render();
  }

  function render() {
    const shown = tokens;
    const filtered = Boolean(platformFilter.value || stateFilter.value);
    const focused = body.contains(document.activeElement) ? document.activeElement.dataset.key : undefined;
    clocks = [];
    replace(body, shown.map(row));
    if (focused) refocus(body, focused);
    empty.hidden = shown.length > 0;
    empty.textContent = filtered ? 'No code or token matches the filters.' : 'No codes or tokens in this world yet.';
    const total = ctx.tokenTotal;
    if (shown.length >= SHOW) count.textContent = `(newest ${SHOW}${total ? ` of ${total}` : ''})`;
    else count.textContent = filtered && total !== undefined ? `(${shown.length} of ${total})` : `(${shown.length})`;
    more.hidden = shown.length < SHOW;
    more.textContent = `The newest ${SHOW} are shown; filter by platform or state to find others.`;
    tick();
  }

  function row(t) {
    const ends = h('td', { class: 'ends mono' });
    clocks.push({ cell: ends, token: t });
    const name = `${t.platform} ${t.kind} ${t.value.slice(0, 8)}`;
    const key = `${t.platform}/${t.kind}/${t.value}`;
    return h(
      'tr',
      { class: `state-${t.state}` },
      h('td', {}, t.platform),
      h('td', {}, t.kind),
      // The value opens the family's story (the button's name says so; its text stays the value, whole).
      h(
        'td',
        { class: 'value' },
        h(
          'button',
          {
            type: 'button',
            class: 'link value-link',
            'aria-label': `Story of ${name}`,
            dataset: { key: `${key}/story` },
            onclick: () => story.open(t).catch((e) => ctx.fail(e)),
          },
          h('code', {}, t.value),
        ),
      ),
      h('td', { class: 'subject' }, t.subject),
      h('td', {}, h('span', { class: `badge state-${t.state}` }, t.state)),
      ends,
      h(
        'td',
        { class: 'actions' },
        h(
          'button',
          {
            type: 'button',
            class: 'small',
            disabled: !LIVE.has(t.state),
            'aria-label': `Expire ${name}`,
            dataset: { key: `${key}/expire` },
            onclick: () => act(t, 'expire'),
          },
          'Expire',
        ),
        h(
          'button',
          {
            type: 'button',
            class: 'small danger',
            disabled: t.state === 'revoked' || t.state === 'rotated',
            'aria-label': `Revoke ${name}`,
            dataset: { key: `${key}/revoke` },
            onclick: () => act(t, 'revoke'),
          },
          'Revoke',
        ),
      ),
    );
  }

  async function act(t, action) {
    try {
      const q = new URLSearchParams({ platform: t.platform, kind: t.kind });
      await api(`tokens/${encodeURIComponent(t.value)}/${action}?${q}`, { method: 'POST' });
      ctx.toast(`${t.platform} ${t.kind} ${t.value.slice(0, 8)}… ${action === 'expire' ? 'expired' : 'revoked'}.`);
      await refresh();
    } catch (e) {
      ctx.fail(e);
    }
  }

  /** Redraw the countdowns; true when a live value has just run out, so the caller asks the server again. */
  function tick() {
    const now = ctx.clock.now();
    let ranOut = false;
    for (const { cell, token } of clocks) {
      const [text, crossed] = ends(token, now);
      if (cell.textContent !== text) cell.textContent = text;
      ranOut ||= crossed;
    }
    return ranOut;
  }

  return { setPlatforms, refresh, render, tick };
}

/** Back to the button that was used; if it is now disabled (a revoked token), to its row's other one, or the panel. */
function refocus(body, key) {
  const button = body.querySelector(`[data-key="${CSS.escape(key)}"]`);
  const target = button && !button.disabled ? button : button?.closest('tr').querySelector('td.actions button:not([disabled])');
  (target ?? document.getElementById('tokens-wrap'))?.focus();
}

/** What the "Ends" column says, and whether a value shown as live is in fact past its end. */
function ends(t, now) {
  const ago = (at) => `${formatDuration(now - at)} ago`;
  if (t.state === 'revoked') return [`revoked ${ago(t.revokedAt)}`, false];
  if (t.state === 'rotated') return [`rotated ${ago(t.usedAt ?? t.revokedAt)}`, false];
  if (t.state === 'used') return [`used ${ago(t.usedAt)}`, false];
  const end = Math.min(t.expiresAt ?? Infinity, t.graceUntil ?? Infinity);
  if (t.state === 'expired') return [Number.isFinite(end) ? `expired ${ago(end)}` : 'expired', false];
  if (!Number.isFinite(end)) return ['never expires', false];
  if (now >= end) return ['expired just now', true];
  return [`in ${formatDuration(end - now)}`, false];
}
