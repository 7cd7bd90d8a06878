import { readFileSync } from 'node:fs';
import { get as httpGet } from 'node:http';

export type ProbeResult = { ok: true; body: { version?: string; uptimeSeconds?: number } } | { ok: false; why: string; refused: boolean };

/**
 * One GET /__sandbox/health. Over HTTPS the certificate is verified, against `ca` when given (the
 * sandbox's local CA, or your own certificate): a probe that trusted anything could not tell the sandbox from an impostor.
 */
export function probeHealth(base: string, timeoutMs: number, ca?: string): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const url = `${base.replace(/\/+$/, '')}/__sandbox/health`;
    const https = url.startsWith('https:');
    let caText: string | undefined;
    try {
      caText = https && ca ? readFileSync(ca, 'utf8') : undefined;
    } catch {
      caText = undefined;
    }
    // node:https (and TLS with it) is loaded only for an HTTPS sandbox: a plain `start` imports this file.
    const get = https ? process.getBuiltinModule('node:https').get : httpGet;
    const req = get(url, { timeout: timeoutMs, ...(caText ? { ca: caText } : {}) }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => {
        if (res.statusCode !== 200) return resolve({ ok: false, why: notReady(res.statusCode, text), refused: false });
        try {
          resolve({ ok: true, body: JSON.parse(text) as { version?: string; uptimeSeconds?: number } });
        } catch {
          resolve({ ok: true, body: {} });
        }
      });
      res.on('error', (e) => resolve({ ok: false, why: e.message, refused: false }));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (e: NodeJS.ErrnoException) =>
      resolve({ ok: false, why: e.code === 'ECONNREFUSED' ? `connect ECONNREFUSED ${url.split('/')[2]}` : e.message, refused: e.code === 'ECONNREFUSED' }),
    );
  });
}

/**
 * An unready sandbox says why in its body (`{"status":"unavailable","reason":...}`); the status code alone
 * ("HTTP 503") leaves the user guessing whether the store, the port or a proxy is at fault.
 */
function notReady(status: number | undefined, text: string): string {
  let reason: unknown;
  try {
    reason = (JSON.parse(text) as { reason?: unknown } | null)?.reason;
  } catch {
    reason = undefined;
  }
  return typeof reason === 'string' && reason !== '' ? `HTTP ${status}: ${reason}` : `HTTP ${status}`;
}
