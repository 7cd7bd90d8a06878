import { $, asText, formatTime, h, replace, statusClass } from '../lib/dom.js';

/** One exchange in full: what the client sent (secrets masked by the journal) and what it got back. */
export function detailPanel() {
  const empty = $('#detail-empty');
  const body = $('#detail-body');

  function show(entry) {
    empty.hidden = true;
    body.hidden = false;
    const req = entry.request ?? {};
    const res = entry.response ?? {};
    const unmatched = entry.matched === false;
    replace(
      body,
      h(
        'p',
        { class: 'detail-line' },
        h('span', { class: statusClass(entry.status) }, String(entry.status)),
        ' ',
        h('code', {}, `${entry.method} ${entry.path}`),
      ),
      h(
        'dl',
        { class: 'facts' },
        fact('Platform', entry.platform || 'none'),
        fact('Endpoint', unmatched ? 'none matched' : entry.endpoint),
        entry.apiMethod ? fact('Business method', entry.apiMethod) : null,
        fact('Time', formatTime(entry.time)),
        fact('Latency', `${entry.durationMs} ms`),
        fact('Session', entry.session),
        fact('Scenario rule', entry.rule ?? 'none'),
        req.bodySize !== undefined ? fact('Body size', `${req.bodySize} bytes`) : null,
      ),
      // What the sandbox guesses was meant (the closest endpoints, the methods served there, the base URLs).
      unmatched
        ? h(
            'p',
            { class: 'unmatched-note', role: 'note' },
            h('strong', {}, 'No endpoint matched. '),
            entry.hint ?? 'The sandbox has no guess: compare the path with the base URLs under Platforms.',
          )
        : null,
      // Why the sandbox refused it, when it knows more than the platform's answer says (a timestamp hours off).
      entry.note ? h('p', { class: 'note', role: 'note' }, h('strong', {}, 'Why: '), entry.note) : null,
      h(
        'div',
        { class: 'detail-cols' },
        h(
          'div',
          {},
          h('h3', {}, 'Request parameters'),
          params('Query', req.query),
          req.rawQuery ? h('p', { class: 'muted small raw-query' }, 'Raw query: ', h('code', {}, req.rawQuery)) : null,
          params(`Body${req.contentType ? ` (${req.contentType})` : ''}`, req.body),
          req.headers ? params('Headers', req.headers) : null,
        ),
        h(
          'div',
          {},
          h('h3', {}, 'Response body'),
          res.contentType ? h('p', { class: 'muted small' }, res.contentType) : null,
          h('pre', { class: 'code', tabindex: '0', 'aria-label': 'Response body' }, bodyText(res.body)),
        ),
      ),
    );
  }

  return { show };
}

function fact(label, value) {
  return h('div', {}, h('dt', {}, label), h('dd', {}, String(value ?? '')));
}

/** A flat object of parameters reads best as a table; anything else as text. */
function params(title, value) {
  const isEmpty = value === undefined || value === null || value === '' || (typeof value === 'object' && Object.keys(value).length === 0);
  if (isEmpty) return h('p', { class: 'muted small' }, `${title}: none`);
  if (typeof value === 'object' && !Array.isArray(value)) {
    return h(
      'table',
      { class: 'params' },
      h('caption', {}, title),
      h(
        'tbody',
        {},
        Object.entries(value).map(([k, v]) => h('tr', {}, h('th', { scope: 'row' }, k), h('td', {}, typeof v === 'string' ? v : JSON.stringify(v)))),
      ),
    );
  }
  return [h('p', { class: 'muted small' }, title), h('pre', { class: 'code', tabindex: '0' }, bodyText(value))];
}

/**
 * A body as text. Indented JSON goes one line per element with a hanging indent, so a long value
 * (a request_id, a signature) that wraps continues under its own key, never at column 0. The text,
 * newlines included, is exactly the JSON, for copying.
 */
function bodyText(value) {
  const text = asText(value);
  if (!text) return '(empty)';
  if (typeof value === 'string') return text;
  return text.split('\n').map((line, i, all) => {
    const span = h('span', { class: 'json-line' }, i < all.length - 1 ? `${line}\n` : line);
    span.style.setProperty('--indent', String(line.length - line.trimStart().length));
    return span;
  });
}
