import { api } from '../lib/api.js';
import { $, h, replace } from '../lib/dom.js';

/** What is active, switching to a library scenario, uploading a file, and exporting the world. */
export function scenarioPanel(ctx) {
  const active = $('#scenario-active');
  const select = $('#scenario-select');
  const description = $('#scenario-description');
  const file = $('#scenario-file');
  let library = [];
  /** Names of the active scenarios: their descriptions are in the active list, never repeated under the select. */
  let activeNames = new Set();

  select.addEventListener('change', describe);
  $('#scenario-form').addEventListener('submit', (event) => {
    event.preventDefault();
    use({ name: select.value }, `Scenario switched to ${select.value}.`);
  });
  $('#scenario-add').addEventListener('click', () => use({ name: select.value, add: true }, `${select.value} added on top.`));
  $('#scenario-clear').addEventListener('click', () => change('DELETE', undefined, 'Back to the fixtures only.'));
  file.addEventListener('change', async () => {
    const chosen = file.files?.[0];
    if (!chosen) return;
    let parsed;
    try {
      parsed = JSON.parse(await chosen.text());
    } catch (e) {
      file.value = '';
      return ctx.fail(new Error(`${chosen.name} is not JSON: ${e.message}`));
    }
    const add = $('#scenario-file-add').checked;
    await change('PUT', { scenarios: [parsed], add }, `${chosen.name} ${add ? 'laid over the active scenarios' : 'loaded'}.`, chosen.name);
    file.value = '';
  });

  async function use(body, done) {
    if (body.name === '') return ctx.fail(new Error('Pick a scenario first.'));
    // Once it is active the list above describes it; the select goes back to "choose…".
    if (await change('PUT', body, done)) {
      select.value = '';
      describe();
    }
  }

  /** `fileName`: the server names an uploaded file "request body"; the person knows it by its name. */
  async function change(method, body, done, fileName) {
    try {
      render(await api('scenario', { method, body }));
      ctx.toast(done);
      ctx.changed();
      return true;
    } catch (e) {
      ctx.fail(fileName ? new Error(e.message.replace(/^request body(?=: )/gm, fileName)) : e);
      return false;
    }
  }

  function setLibrary(list) {
    library = list.filter((s) => s.source !== 'invalid');
    const keep = select.value;
    replace(
      select,
      h('option', { value: '' }, 'choose…'),
      library.map((s) => h('option', { value: s.name }, s.source === 'builtin' ? s.name : `${s.name} (${s.source})`)),
    );
    if (keep && library.some((s) => s.name === keep)) select.value = keep;
    describe();
    return library;
  }

  function describe() {
    const text = activeNames.has(select.value) ? 'Active now: its description is above.' : (library.find((s) => s.name === select.value)?.description ?? '');
    if (description.textContent !== text) description.textContent = text;
  }

  async function refresh() {
    render(await api('scenario'));
  }

  function render(view) {
    if (view.clock) ctx.clock.update(view.clock);
    activeNames = new Set(view.active.map((s) => s.name));
    describe();
    if (!view.active.length) {
      replace(active, h('p', { class: 'muted' }, 'No scenario: the fixtures alone decide every answer.'));
      return;
    }
    replace(
      active,
      h('p', { class: 'small muted' }, view.active.length > 1 ? 'Active, later ones win:' : 'Active:'),
      h(
        'ol',
        { class: 'scenarios' },
        view.active.map((s) => h('li', {}, h('strong', {}, s.name), s.description ? h('span', { class: 'small muted' }, ` — ${s.description}`) : null)),
      ),
      view.faults.length
        ? h(
            'details',
            {},
            h('summary', {}, `Fault rules (${view.faults.length})`),
            h(
              'ul',
              { class: 'faults small' },
              view.faults.map((f) => h('li', {}, h('code', {}, f.id), ` matched ${f.calls}, fired ${f.fired}`)),
            ),
          )
        : null,
    );
  }

  return { setLibrary, refresh };
}
