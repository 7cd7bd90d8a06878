import { api, rootBase, session as current, sessionPage } from '../lib/api.js';
import { $, h, replace } from '../lib/dom.js';
import { copyText } from '../lib/copy.js';

/** Isolated sessions: create one (optionally with a scenario), open its own dashboard, end it. */
export function sessionsPanel(ctx) {
  const list = $('#session-list');
  const count = $('#sessions-count');
  const scenario = $('#session-scenario');
  let focusAfter;

  $('#session-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = {};
    const id = $('#session-id').value.trim();
    if (id) body.id = id;
    if (scenario.value) body.scenario = scenario.value;
    try {
      const created = await api('sessions', { method: 'POST', body, at: rootBase });
      $('#session-id').value = '';
      ctx.toast(`Session ${created.id} created: point your app at ${created.url}`);
      focusAfter = created.id;
      await refresh();
    } catch (e) {
      ctx.fail(e);
    }
  });

  function setLibrary(library) {
    replace(
      scenario,
      h('option', { value: '' }, 'none'),
      library.map((s) => h('option', { value: s.name }, s.name)),
    );
  }

  async function refresh() {
    const data = await api('sessions', { at: rootBase });
    count.textContent = `(${data.count})`;
    replace(
      list,
      data.sessions.length ? data.sessions.map(item) : h('li', { class: 'muted' }, 'No sessions. Each one is a world of its own: tokens, clock and scenario.'),
    );
    if (focusAfter) list.querySelector(`a[data-id="${CSS.escape(focusAfter)}"]`)?.focus();
    focusAfter = undefined;
  }

  function item(s) {
    const here = s.id === current;
    return h(
      'li',
      { class: here ? 'current' : '' },
      h('a', { href: sessionPage(s.id), dataset: { id: s.id }, 'aria-current': here ? 'page' : false, 'aria-label': `Open session ${s.id}` }, s.id),
      h('span', { class: 'small muted' }, ` ${s.tokens} tokens${s.scenarios.length ? ` · ${s.scenarios.join(', ')}` : ''}`),
      h(
        'span',
        { class: 'session-url' },
        h('code', {}, s.url),
        h('button', { type: 'button', class: 'small', 'aria-label': `Copy the base URL of session ${s.id}`, onclick: () => copy(s.url) }, 'Copy'),
      ),
      h('button', { type: 'button', class: 'small danger', 'aria-label': `End session ${s.id}`, onclick: () => end(s.id) }, 'End'),
    );
  }

  async function copy(text) {
    ctx.toast((await copyText(text)) ? `Copied ${text}` : 'Copying is blocked here; select the text instead.');
  }

  async function end(id) {
    try {
      await api(`sessions/${encodeURIComponent(id)}`, { method: 'DELETE', at: rootBase });
      ctx.toast(`Session ${id} ended.`);
      if (id === current) ctx.fail(new Error(`This page showed session ${id}, which has now ended.`));
      await refresh();
      $('#sessions-title').focus();
    } catch (e) {
      ctx.fail(e);
    }
  }

  return { setLibrary, refresh };
}
