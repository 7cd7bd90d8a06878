import { api, session } from '../lib/api.js';
import { $, h, replace } from '../lib/dom.js';

/**
 * With `--upstream … --shadow`: where the sandbox's own answer to a forwarded exchange differed from the real
 * platform's, one line each as `sandbox compare` prints it (the fixture setting that fixes it included).
 */
export function parityPanel() {
  const list = $('#parity-list');
  const count = $('#parity-count');
  const empty = $('#parity-empty');

  async function refresh() {
    const parity = await api(`parity?session=${encodeURIComponent(session ?? 'default')}`);
    count.textContent = parity.count ? `(${parity.count})` : '';
    empty.textContent = parity.compared
      ? `No difference in ${parity.compared} compared exchange(s).`
      : 'Nothing compared. Start the sandbox with --upstream <platform>=<URL> --shadow to compare the real platform’s answers with its own.';
    empty.hidden = parity.count > 0;
    replace(
      list,
      parity.differences.map((d) =>
        h('li', { class: d.kind === 'data' ? 'parity-line data' : 'parity-line', dataset: { request: String(d.request) } }, h('code', {}, d.text)),
      ),
    );
  }

  return { refresh };
}
