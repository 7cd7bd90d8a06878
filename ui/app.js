import { api, base, root, session } from './lib/api.js';
import { $ } from './lib/dom.js';
import { SandboxClock } from './lib/sandbox-clock.js';
import { clockPanel } from './panels/clock.js';
import { detailPanel } from './panels/detail.js';
import { parityPanel } from './panels/parity.js';
import { platformsPanel } from './panels/platforms.js';
import { requestsPanel } from './panels/requests.js';
import { scenarioPanel } from './panels/scenario.js';
import { sessionsPanel } from './panels/sessions.js';
import { storyPanel } from './panels/story.js';
import { tokensPanel } from './panels/tokens.js';

const toastEl = $('#toast');
const errorEl = $('#error');
let toastTimer;

const ctx = {
  clock: new SandboxClock(),
  /** How many codes and tokens the world holds, as the event stream last said. */
  tokenTotal: undefined,
  toast(message) {
    errorEl.hidden = true;
    toastEl.textContent = message;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => (toastEl.textContent = ''), 6000);
  },
  fail(error) {
    errorEl.textContent = error instanceof Error ? error.message : String(error);
    errorEl.hidden = false;
  },
  /** Something this page did may have moved tokens, clock or sessions. */
  changed() {
    refreshSoon(50);
  },
};

const clock = clockPanel(ctx);
const detail = detailPanel();
const requests = requestsPanel(ctx, detail);
const story = storyPanel(ctx, requests);
const tokens = tokensPanel(ctx, story);
const scenario = scenarioPanel(ctx);
const sessions = sessionsPanel(ctx);
const platforms = platformsPanel(ctx);
const parity = parityPanel();

/**
 * One refresh at a time, however fast requests and changes arrive (a load test): live events wait
 * half a second, the page's own actions hardly at all.
 */
let refreshTimer;
function refreshSoon(delay = 500) {
  if (refreshTimer) return;
  refreshTimer = setTimeout(() => {
    refreshAll().finally(() => (refreshTimer = undefined));
  }, delay);
}

async function refreshAll(clockRead = false) {
  try {
    if (!clockRead) ctx.clock.update(await api('clock'));
    clock.render();
    await Promise.all([tokens.refresh(), scenario.refresh(), sessions.refresh(), story.refresh(), parity.refresh()]);
  } catch (e) {
    ctx.fail(e);
  }
}

function showWorld() {
  if (!session) return;
  $('#world-name').textContent = `session ${session}`;
  const back = $('#world-back');
  back.href = `${root}__sandbox/`;
  back.hidden = false;
  document.title = `Sandbox dashboard — session ${session}`;
  $('#export-link').setAttribute('download', `session-${session}.json`);
}

function listen() {
  const live = $('#live');
  const source = new EventSource(`${base}events?since=${requests.lastId}`);
  source.addEventListener('open', () => (live.textContent = 'live'));
  // EventSource retries by itself after a network error, but gives up on an HTTP refusal (a session that ended).
  source.addEventListener('error', () => (live.textContent = source.readyState === EventSource.CLOSED ? 'disconnected: reload the page' : 'reconnecting…'));
  source.addEventListener('hello', (e) => {
    const hello = JSON.parse(e.data);
    ctx.tokenTotal = hello.tokens;
    ctx.clock.update(hello.clock);
    clock.render();
  });
  source.addEventListener('request', (e) => {
    requests.add([JSON.parse(e.data)]);
    // Fault counters and session token counts move with requests even when no token does.
    refreshSoon();
  });
  // Every change of the world (tokens, clock, scenarios, fault counters, sessions, a reset), whichever
  // process or page made it, is announced here: the page never polls.
  source.addEventListener('changed', (e) => {
    const changed = JSON.parse(e.data);
    ctx.tokenTotal = changed.tokens;
    ctx.clock.update(changed.clock);
    refreshSoon();
  });
}

async function start() {
  showWorld();
  try {
    const [platformList, library, journal] = await Promise.all([
      api('platforms'),
      api('scenarios'),
      api(`requests?limit=500&session=${encodeURIComponent(session ?? 'default')}`),
      // Read with the rest rather than after them: the panels need it, and a round trip less shows the page sooner.
      api('clock').then((view) => ctx.clock.update(view)),
    ]);
    platforms.render(platformList.platforms);
    clock.setPlatforms(platformList.platforms);
    requests.setPlatforms(platformList.platforms);
    tokens.setPlatforms(platformList.platforms);
    sessions.setLibrary(scenario.setLibrary(library.scenarios));
    requests.add(journal.requests);
    await refreshAll(true);
  } catch (e) {
    ctx.fail(e);
  }
  listen();
  setInterval(() => {
    clock.render();
    if (tokens.tick()) refreshSoon();
  }, 1000);
  document.body.dataset.ready = 'true';
}

start();
