/**
 * Records and RSS after a long UserCenter password-login flood spread over simulated days (issue 24, Medium 3):
 * every login mints an access/refresh pair with no code, and before ended records were forgotten the store grew
 * without end. `sandbox start` as a user runs it, the clock frozen at a known instant; each simulated day gets
 * its share of the logins (autocannon, 100 connections), then the clock moves one day. The record count and the
 * RSS are read after every day, so the figures show a flat line (the live window: access 1 day, refresh 3 days,
 * plus a day's retention) rather than a slope. Default 200 000 logins over 20 days (about a minute);
 * BENCH_LOGINS=1000000 for the full flood the issue asks for.
 */
import { readFileSync } from 'node:fs';
import { usercenterMd5Password, usercenterShaPassword } from '../../dist/index.js';
import { measureLoad } from '../lib/load.js';
import { request, rssOf, sleep, startServer, stopServer } from '../lib/procs.js';

const fixture = JSON.parse(readFileSync(new URL('../../fixtures/usercenter.json', import.meta.url), 'utf8')).usercenter;
const CLIENT = fixture.clients[0];
const USER = fixture.users[0];
const START = '2026-03-01T00:00:00Z';

const loginCase = {
  id: 'usercenter.password-login',
  pool: null,
  request: () => ({
    method: 'POST',
    path: '/oauth/token',
    // The flood runs in a session, whose view counts its records without listing them.
    headers: { 'content-type': 'application/json', 'x-sandbox-session': 'login-flood' },
    body: JSON.stringify({
      sysid: CLIENT.sysid,
      username: USER.userCode,
      client_id: CLIENT.clientId,
      md5password: usercenterMd5Password(USER.password),
      shapassword: usercenterShaPassword(USER.password),
    }),
  }),
};

async function control(url, path, body) {
  const res = await request(`${url}/__sandbox${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status < 200 || res.status > 299) throw new Error(`${path} answered ${res.status}: ${res.body}`);
  return JSON.parse(res.body);
}

const SESSION = 'login-flood';
const records = async (url) => (await control(url, `/sessions/${SESSION}`)).tokens;

export async function measureLoginFlood(config, log) {
  const total = config.logins;
  const days = config.loginDays;
  const perDay = Math.ceil(total / days);
  const server = await startServer({ args: ['bin/sandbox.js', 'start', '--port', '0', '--quiet'], label: 'sandbox (login flood)' });
  try {
    await sleep(500);
    const idle = rssOf(server.pid);
    await control(server.url, '/sessions', { id: SESSION });
    const base = `${server.url}/s/${SESSION}`;
    await control(base, '/clock', { set: START, rate: 0 });
    const probe = loginCase.request();
    const first = await request(`${server.url}${probe.path}`, { method: 'POST', headers: probe.headers, body: probe.body });
    if (first.status !== 200 || JSON.parse(first.body).status !== 1) throw new Error(`a password login failed: ${first.status} ${first.body}`);
    const perDayFigures = [];
    let sent = 0;
    let errors = 0;
    for (let day = 0; day < days && sent < total; day++) {
      const amount = Math.min(perDay, total - sent);
      const r = await measureLoad({ url: server.url, kase: loginCase, connections: config.maxConnections, warmup: 0, amount });
      sent += r.requests;
      errors += r.errors + r.timeouts + r.non2xx;
      await control(base, '/clock', { advance: '1d' });
      perDayFigures.push({ day: day + 1, sent, records: await records(server.url), rss: rssOf(server.pid) });
    }
    await sleep(1000);
    const last = perDayFigures[perDayFigures.length - 1];
    const peakRecords = Math.max(...perDayFigures.map((d) => d.records));
    const peakRss = Math.max(...perDayFigures.map((d) => d.rss));
    const after = rssOf(server.pid);
    log(
      `  ${sent} password logins over ${perDayFigures.length} simulated days: records at the end ${last.records} (peak ${peakRecords}), RSS ${mb(idle)} → ${mb(after)} (peak ${mb(peakRss)})${errors ? `, ${errors} errors` : ''}`,
    );
    return { logins: sent, days: perDayFigures.length, perDay, idle, after, peakRss, records: last.records, peakRecords, errors, perDayFigures };
  } finally {
    await stopServer(server.child);
  }
}

const mb = (bytes) => `${Math.round(bytes / 1048576)} MB`;
