import { request as httpRequest, Agent as HttpAgent, type IncomingMessage } from 'node:http';
import { request as httpsRequest, Agent as HttpsAgent } from 'node:https';
import { rootCertificates } from 'node:tls';
import { endToEndHeaders } from './hop-by-hop.js';

/** What the upstream answered, as it answered it: status line, headers in order, body bytes. */
export interface UpstreamAnswer {
  status: number;
  statusMessage: string;
  headers: [string, string][];
  body: Buffer;
}

/** Why no answer came: the kind a person acts on, and the system's own words. */
export interface UpstreamFailure {
  kind: 'refused' | 'dns' | 'tls' | 'timeout' | 'reset' | 'too_large' | 'failed';
  message: string;
}

export interface ForwardOptions {
  /** Milliseconds for the whole exchange: connecting, sending, and the answer's last byte. */
  timeoutMs: number;
  /** Largest answer body taken from the upstream, in bytes. */
  maxAnswerBytes: number;
  /** PEM text of a CA to trust besides Node's built-in ones (an on-premise platform's own CA). */
  ca?: string;
}

const TLS_CODES = /^(CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED|ERR_TLS|ERR_SSL|HOSTNAME_MISMATCH|ERR_CERT)/;

function failureOf(e: NodeJS.ErrnoException, url: string): UpstreamFailure {
  const code = e.code ?? '';
  const message = `${e.message}${code && !e.message.includes(code) ? ` (${code})` : ''}`;
  if (code === 'ECONNREFUSED') return { kind: 'refused', message: `${url}: the connection was refused: ${message}` };
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_FAIL') return { kind: 'dns', message: `${url}: the host name did not resolve: ${message}` };
  if (TLS_CODES.test(code) || /certificate|ssl|tls/i.test(e.message))
    return { kind: 'tls', message: `${url}: the TLS handshake failed (add the platform's CA with --upstream-ca FILE if it is your own): ${message}` };
  if (code === 'ECONNRESET' || code === 'EPIPE') return { kind: 'reset', message: `${url}: the connection was closed before the answer: ${message}` };
  return { kind: 'failed', message: `${url}: ${message}` };
}

/**
 * One client for the upstreams: keep-alive agents (a login flow is several calls to the same host), the
 * system's CAs plus `ca`, certificates always verified. `send` never throws: it answers or says why not.
 */
export class UpstreamClient {
  private readonly http = new HttpAgent({ keepAlive: true, maxSockets: 64 });
  private readonly https: HttpsAgent;

  constructor(private readonly options: ForwardOptions) {
    this.https = new HttpsAgent({ keepAlive: true, maxSockets: 64, ca: options.ca ? [...rootCertificates, options.ca] : undefined });
  }

  send(url: string, method: string, headers: [string, string][], body: Buffer | undefined): Promise<UpstreamAnswer | UpstreamFailure> {
    return new Promise((resolve) => {
      let settled = false;
      const settle = (result: UpstreamAnswer | UpstreamFailure) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(result);
      };
      const target = new URL(url);
      // A header sent several times (in any case) goes out as many lines, under the name as first written.
      const outgoing: Record<string, string | string[]> = {};
      const nameOf = new Map<string, string>();
      for (const [name, value] of headers) {
        const key = nameOf.get(name.toLowerCase()) ?? (nameOf.set(name.toLowerCase(), name), name);
        const prior = outgoing[key];
        outgoing[key] = prior === undefined ? value : Array.isArray(prior) ? [...prior, value] : [prior, value];
      }
      if (body !== undefined) outgoing['content-length'] = String(body.length);
      const secure = target.protocol === 'https:';
      const req = (secure ? httpsRequest : httpRequest)(target, { method, headers: outgoing, agent: secure ? this.https : this.http }, (res) =>
        this.collect(res, url, settle),
      );
      const timer = setTimeout(() => {
        settle({ kind: 'timeout', message: `${url}: no complete answer within ${this.options.timeoutMs} ms (--upstream-timeout)` });
        req.destroy();
      }, this.options.timeoutMs);
      timer.unref();
      req.on('error', (e: NodeJS.ErrnoException) => settle(failureOf(e, url)));
      req.end(body);
    });
  }

  private collect(res: IncomingMessage, url: string, settle: (r: UpstreamAnswer | UpstreamFailure) => void): void {
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > this.options.maxAnswerBytes) {
        settle({ kind: 'too_large', message: `${url}: the answer is larger than ${this.options.maxAnswerBytes} bytes, the pass-through limit` });
        res.destroy();
        return;
      }
      chunks.push(chunk);
    });
    res.on('end', () =>
      settle({
        status: res.statusCode ?? 502,
        statusMessage: res.statusMessage ?? '',
        headers: endToEndHeaders(res.rawHeaders, false),
        body: Buffer.concat(chunks, size),
      }),
    );
    res.on('error', (e: NodeJS.ErrnoException) => settle(failureOf(e, url)));
    res.on('aborted', () => settle({ kind: 'reset', message: `${url}: the answer was cut off` }));
  }

  close(): void {
    this.http.destroy();
    this.https.destroy();
  }
}

export const isFailure = (r: UpstreamAnswer | UpstreamFailure): r is UpstreamFailure => 'kind' in r;
