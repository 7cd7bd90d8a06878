import { api } from '../lib/api.js';
import { $, formatDuration, formatTime, h, replace, statusClass } from '../lib/dom.js';

/**
 * A token's story: its whole family (the code, every access and refresh token descending from one login) as
 * one timeline on the sandbox clock. Each step names the request that caused it and the scenario rule that
 * shaped that request's answer, so a rotation bug (a refresh whose answer was lost, then a retry that revoked
 * the family) reads top to bottom. The server finds the links (GET tokens/<value>/story).
 */
export function storyPanel(ctx, requests) {
  const section = $('#story');
  const empty = $('#story-empty');
  const body = $('#story-body');
  /** The member opened, as the tokens table names it. */
  let current;

  async function open(token) {
    current = { platform: token.platform, kind: token.kind, value: token.value };
    await refresh();
    section.scrollIntoView({ block: 'nearest' });
    $('#story-title').focus();
  }

  /** Read the story again (the family moved on: a refresh, an expiry by the clock). */
  async function refresh() {
    if (!current) return;
    const q = new URLSearchParams({ platform: current.platform, kind: current.kind });
    try {
      render(await api(`tokens/${encodeURIComponent(current.value)}/story?${q}`));
    } catch (e) {
      // The world was reset or the session ended: the token is gone, and so is its story.
      if (e.code === 'unknown_token') close(`The ${current.kind} ${current.value.slice(0, 8)}… is no longer in this world.`);
      else throw e;
    }
  }

  function close(message) {
    current = undefined;
    body.hidden = true;
    empty.hidden = false;
    empty.textContent = message;
  }

  function render(story) {
    empty.hidden = true;
    body.hidden = false;
    const first = story.steps[0]?.at ?? story.now;
    const asked = story.token.value;
    replace(
      body,
      h(
        'p',
        { class: 'story-head' },
        h('strong', {}, `${story.token.platform} family ${story.family}`),
        ` · ${story.members.length} ${story.members.length === 1 ? 'member' : 'members'} · ${story.steps.length} steps`,
      ),
      h(
        'ul',
        { class: 'story-members', 'aria-label': 'Members of the family' },
        story.members.map((m) =>
          h(
            'li',
            { class: m.value === asked ? 'asked' : '' },
            h('span', { class: 'kind' }, m.kind),
            ' ',
            h('code', { title: m.value }, short(m.value)),
            ' ',
            h('span', { class: `badge state-${m.state}` }, m.state),
          ),
        ),
      ),
      h(
        'ol',
        { class: 'timeline', 'aria-label': 'Steps, oldest first' },
        story.steps.map((s) => step(s, first, asked)),
      ),
      story.journalFrom === undefined
        ? h('p', { class: 'muted small' }, 'The journal holds no request of this world: steps are shown without their requests.')
        : null,
    );
  }

  function step(s, first, asked) {
    const req = s.request;
    return h(
      'li',
      { class: `step event-${s.event}${s.value === asked ? ' asked' : ''}`, dataset: { event: s.event } },
      h(
        'div',
        { class: 'step-when' },
        h('time', { datetime: new Date(s.at).toISOString() }, formatTime(s.at)),
        h('span', { class: 'muted' }, s.at > first ? ` +${formatDuration(s.at - first)}` : ''),
      ),
      h(
        'div',
        { class: 'step-what' },
        h('span', { class: 'event' }, s.event),
        ' ',
        h('span', { class: 'kind' }, s.kind),
        ' ',
        h('code', { title: s.value }, short(s.value)),
        ' ',
        h('span', { class: 'step-text' }, s.text),
      ),
      h(
        'div',
        { class: 'step-why' },
        req
          ? h(
              'button',
              { type: 'button', class: 'link', onclick: () => openRequest(req.id), 'aria-label': `Open request #${req.id}, ${req.method} ${req.path}` },
              `#${req.id} ${req.method} ${req.path}${req.apiMethod ? ` · ${req.apiMethod}` : ''} `,
              h('span', { class: statusClass(req.status) }, String(req.status)),
            )
          : h(
              'span',
              { class: 'muted small' },
              s.event === 'expired' || s.event === 'grace' ? 'by the clock' : 'no request (the control plane, or no longer in the journal)',
            ),
        s.rule ? h('span', { class: 'rule-tag' }, `rule ${s.rule}`) : null,
      ),
    );
  }

  function openRequest(id) {
    if (requests.open(id)) {
      $('#detail').scrollIntoView({ block: 'start' });
      $('#detail-title').focus();
    } else ctx.toast(`Request #${id} is no longer on the page (it keeps the newest 500); GET requests lists the journal.`);
  }

  return { open, refresh };
}

const short = (value) => (value.length > 12 ? `${value.slice(0, 8)}…` : value);
