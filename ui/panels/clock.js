import { api } from '../lib/api.js';
import { $, browserZone, formatAtOffset, formatDuration, formatOffset, formatTime } from '../lib/dom.js';

/**
 * The platforms' own time zone, in which Mantun's router.as, the SOP gateway and the ZJRC gateway read
 * the timestamps clients sign: the built-in fixtures' utcOffsetMinutes (480, Asia/Shanghai). The control
 * plane does not report a fixture that changes it, so the page shows the default.
 */
const PLATFORM_OFFSET_MINUTES = 480;
const PLATFORM_ZONE_NAME = 'Asia/Shanghai';

/** The sandbox time, ticking locally at the clock's rate, and the buttons that move it. */
export function clockPanel(ctx) {
  const now = $('#clock-now');
  const info = $('#clock-info');
  const zone = $('#clock-zone');
  const platformNow = $('#platform-now');
  $('#platform-zone').textContent = formatOffset(PLATFORM_OFFSET_MINUTES);
  $('#platform-info').textContent = `in signed timestamps (${PLATFORM_ZONE_NAME})`;
  const freeze = $('#clock-freeze');
  let resumeRate = 1;

  async function post(body, done) {
    try {
      const view = await api('clock', { method: 'POST', body });
      ctx.clock.update(view);
      render();
      ctx.toast(done);
      ctx.changed();
    } catch (e) {
      ctx.fail(e);
    }
  }

  for (const button of document.querySelectorAll('[data-advance]')) {
    button.addEventListener('click', () => post({ advance: button.dataset.advance }, `Clock advanced by ${button.textContent.replace('+', '').trim()}.`));
  }
  $('#clock-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const amount = $('#clock-amount').value.trim();
    if (!amount) return ctx.fail(new Error('Type how far to advance, e.g. 45s, 90m, 2h30m or 1d.'));
    post({ advance: amount }, `Clock advanced by ${amount}.`);
  });
  freeze.addEventListener('click', () => {
    const frozen = ctx.clock.rate === 0;
    if (!frozen) resumeRate = ctx.clock.rate || 1;
    post({ rate: frozen ? resumeRate : 0 }, frozen ? 'Clock running again.' : 'Clock frozen.');
  });
  $('#clock-reset').addEventListener('click', () => post({ reset: true }, 'Clock back to host time.'));

  function render() {
    const t = ctx.clock.now();
    const iso = new Date(t).toISOString();
    now.textContent = formatTime(t);
    now.setAttribute('datetime', iso);
    const zoneText = browserZone(t);
    if (zone.textContent !== zoneText) zone.textContent = zoneText;
    platformNow.textContent = formatAtOffset(t, PLATFORM_OFFSET_MINUTES);
    platformNow.setAttribute('datetime', iso);
    const parts = [];
    const { rate, offsetMs } = ctx.clock;
    if (rate === 0) parts.push('frozen');
    else if (rate !== 1) parts.push(`×${rate} speed`);
    if (Math.abs(offsetMs) >= 1000) parts.push(`${formatDuration(offsetMs)} ${offsetMs > 0 ? 'ahead of' : 'behind'} host`);
    else if (rate !== 0) parts.push('host time');
    info.textContent = parts.join(' · ');
    const frozen = rate === 0;
    freeze.setAttribute('aria-pressed', String(frozen));
  }

  return { render };
}
