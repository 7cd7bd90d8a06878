import { api } from '../lib/api.js';
import { $, browserZone, formatAtOffset, formatDuration, formatOffset, formatTime } from '../lib/dom.js';

/** The zone the platforms' clocks are in unless a fixture says otherwise (utcOffsetMinutes 480). */
const SHANGHAI_MINUTES = 480;

/** The sandbox time, ticking locally at the clock's rate, and the buttons that move it. */
export function clockPanel(ctx) {
  const now = $('#clock-now');
  const info = $('#clock-info');
  const zone = $('#clock-zone');
  const platformNow = $('#platform-now');
  // The UTC offset in which Mantun's router.as, the SOP gateway and the ZJRC gateway read signed timestamps, as /platforms reports it.
  let platformOffset = SHANGHAI_MINUTES;
  function setPlatforms(list) {
    const signing = list.filter((p) => typeof p.timestampUtcOffsetMinutes === 'number');
    if (signing.length === 0) return;
    platformOffset = signing[0].timestampUtcOffsetMinutes;
    const others = signing.filter((p) => p.timestampUtcOffsetMinutes !== platformOffset);
    const zone = platformOffset === SHANGHAI_MINUTES ? 'Asia/Shanghai' : formatOffset(platformOffset);
    $('#platform-zone').textContent = formatOffset(platformOffset);
    $('#platform-info').textContent = others.length
      ? `in ${signing
          .filter((p) => !others.includes(p))
          .map((p) => p.id)
          .join(', ')} signed timestamps (${zone}); ${others.map((p) => `${p.id} ${formatOffset(p.timestampUtcOffsetMinutes)}`).join(', ')}`
      : `in signed timestamps (${zone})`;
    render();
  }
  $('#platform-zone').textContent = formatOffset(platformOffset);
  $('#platform-info').textContent = 'in signed timestamps (Asia/Shanghai)';
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
    platformNow.textContent = formatAtOffset(t, platformOffset);
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

  return { render, setPlatforms };
}
