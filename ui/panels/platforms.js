import { session } from '../lib/api.js';
import { $, h, replace } from '../lib/dom.js';
import { copyText } from '../lib/copy.js';

/** Each platform's base URLs and test credentials, each with a copy button. */
export function platformsPanel(ctx) {
  const root = $('#platform-list');

  function render(platforms) {
    replace(root, platforms.map(card));
  }

  function card(p) {
    return h(
      'details',
      { class: 'platform', open: true },
      h('summary', {}, p.title, ' ', h('span', { class: 'muted small' }, `(${p.id})`)),
      h('h4', {}, 'Base URLs'),
      h(
        'ul',
        { class: 'copy-list' },
        p.baseUrls.map((url) => h('li', {}, copyable(inSession(url), `base URL ${inSession(url)}`))),
      ),
      h('h4', {}, 'Test credentials'),
      h(
        'dl',
        { class: 'creds' },
        p.credentials.map((c) => [h('dt', {}, c.label.trim()), h('dd', {}, copyable(inSession(c.value), c.label.trim()))]),
      ),
    );
  }

  function copyable(text, what) {
    return [
      h('code', {}, text),
      h(
        'button',
        {
          type: 'button',
          class: 'small copy',
          'aria-label': `Copy ${what}`,
          onclick: async () => ctx.toast((await copyText(text)) ? `Copied ${what}.` : 'Copying is blocked here; select the text instead.'),
        },
        'Copy',
      ),
    ];
  }

  return { render };
}

/** On a session's page, the platform URLs the app should use are the session's: origin + /s/<id> + path. */
function inSession(text) {
  if (!session || !text.startsWith(location.origin)) return text;
  const rest = text.slice(location.origin.length);
  return `${location.origin}/s/${encodeURIComponent(session)}${rest === '/' ? '' : rest}`;
}
