import http from 'node:http';
import type { Sandbox } from '../../src/sandbox.js';

/**
 * What every attack test checks after the attack: the sandbox answers /__sandbox/health at once, and
 * its state is what it was (or what a valid request makes it). Requests go out exactly as an attacker
 * writes them (node:http, any Host, any header, no client-side normalisation).
 */

export interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

/** One request with exactly these headers (Host included); fails when no answer comes within `timeoutMs`. */
export function raw(
  base: string,
  req: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer },
  timeoutMs = 10_000,
): Promise<RawAnswer> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { host: url.host, ...req.headers };
    if (req.body !== undefined) headers['content-length'] = Buffer.byteLength(req.body);
    const r = http.request(
      { host: url.hostname, port: url.port, method: req.method ?? 'GET', path: req.path, headers, setHost: false, agent: false },
      (res) => {
        if (String(res.headers['content-type']).startsWith('text/event-stream')) {
          clearTimeout(timer);
          res.destroy();
          return resolve({ status: res.statusCode ?? 0, headers: res.headers, text: '' });
        }
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => {
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text });
        });
      },
    );
    const timer = setTimeout(() => r.destroy(new Error(`no answer within ${timeoutMs} ms to ${req.method ?? 'GET'} ${req.path}`)), timeoutMs);
    r.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    r.end(req.body);
  });
}

export const json = (a: RawAnswer): unknown => JSON.parse(a.text);

/** GET /__sandbox/health must answer 200 within `ms` (a frozen event loop answers nothing). Resolves to the time it took. */
export async function healthAnswers(base: string, ms = 2000): Promise<number> {
  const started = performance.now();
  const res = await raw(base, { path: '/__sandbox/health' }, ms);
  if (res.status !== 200) throw new Error(`health answered ${res.status}: ${res.text}`);
  return performance.now() - started;
}

/** Everything a control-plane or platform call may change in the default world and the sessions, as one comparable text. */
export async function stateOf(sandbox: Sandbox): Promise<string> {
  const w = sandbox.world;
  return JSON.stringify({
    records: [...w.store.all()].map((r) => JSON.stringify(r)).sort(),
    // A frozen clock's offset from the host grows as the host runs: its time is what stays.
    clock: w.clock.rate === 0 ? { rate: 0, now: w.clock.now() } : { rate: w.clock.rate, offsetSeconds: Math.round(w.clock.offsetMs() / 1000) },
    scenario: w.scenarios.view(),
    sessions: (await sandbox.sessions.list()).map((s) => s.id),
    state: await w.allState(),
    proto: Object.getOwnPropertyNames(Object.prototype).sort(),
  });
}

/** The same over HTTP, for a sandbox in another process: its export without the moment it was taken, and its sessions. */
export async function exportedState(base: string): Promise<string> {
  const exp = (await (await fetch(`${base}/__sandbox/export`)).json()) as Record<string, any>;
  const sessions = (await (await fetch(`${base}/__sandbox/sessions`)).json()) as { sessions: { id: string }[] };
  delete exp.description;
  delete exp.clock?.start;
  return JSON.stringify({ exp, sessions: sessions.sessions.map((s) => s.id) });
}
