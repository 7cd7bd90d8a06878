import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Placeholders } from './placeholders.js';
import { recordBody, type RecordedPayload } from './recorded-body.js';
import { SecretMask, parseForm } from './secret-fields.js';

/** The format a recording's lines follow; a reader checks it before anything else (docs/parity.md). */
export const RECORDING_FORMAT = 'sandbox-recording';
export const RECORDING_VERSION = 1;

/** One exchange with the real platform, as forwarded: what the client sent and what the platform answered. */
export interface Exchange {
  platform: string;
  endpoint: string;
  apiMethod?: string;
  session: string;
  upstreamUrl: string;
  durationMs: number;
  request: { method: string; path: string; query: string; headers: [string, string][]; body: Buffer | undefined };
  answer?: { status: number; headers: [string, string][]; body: Buffer };
  /** Why no answer came (the client then got the platform's "system busy"). */
  error?: string;
}

/** One line of a recording (version 1). Field order is fixed, so lines diff well. */
export interface RecordingLine {
  format: typeof RECORDING_FORMAT;
  version: typeof RECORDING_VERSION;
  /** This run of the sandbox: placeholders are stable within one run's lines. */
  run: string;
  seq: number;
  /** Wall-clock time (ISO 8601, UTC) the request arrived: the real platform's time, not the sandbox clock. */
  at: string;
  platform: string;
  endpoint: string;
  apiMethod?: string;
  session: string;
  request: { method: string; path: string; query: [string, string][]; headers: [string, string][] } & RecordedPayload;
  response?: { status: number; headers: [string, string][] } & RecordedPayload;
  upstream: { url: string; durationMs: number; error?: string };
}

const header = (headers: readonly [string, string][], name: string) => headers.find(([n]) => n.toLowerCase() === name)?.[1];

/**
 * Appends each exchange to a JSON-lines file, secrets masked (see SecretMask). Lines are written as the
 * answer leaves, synchronously: a recording holds every exchange a client saw, even if the process is killed.
 */
export class Recorder {
  private readonly placeholders: Placeholders;
  private readonly mask: SecretMask;
  private seq = 0;
  readonly run: string;

  /** Without a file it only makes lines (the shadow comparison's, never written anywhere). */
  constructor(private readonly file?: string) {
    this.run = randomBytes(6).toString('hex');
    this.placeholders = new Placeholders(randomBytes(16).toString('hex'));
    this.mask = new SecretMask(this.placeholders);
    if (file === undefined) return;
    mkdirSync(dirname(file), { recursive: true });
    appendFileSync(file, '');
  }

  /** The line for an exchange, masked. The request is masked first: a secret it sends is hidden in the answer too. */
  line(exchange: Exchange, at: Date): RecordingLine {
    const { request, answer } = exchange;
    const mask = this.mask;
    const query = mask.formPairs(parseForm(request.query.replace(/^\?/, '')));
    const requestHeaders = request.headers.map(([n, v]): [string, string] => [n, mask.header(n, v)]);
    const requestBody = recordBody(request.body, header(request.headers, 'content-type') ?? '', header(request.headers, 'content-encoding'), mask);
    const line: RecordingLine = {
      format: RECORDING_FORMAT,
      version: RECORDING_VERSION,
      run: this.run,
      seq: ++this.seq,
      at: at.toISOString(),
      platform: exchange.platform,
      endpoint: exchange.endpoint,
      ...(exchange.apiMethod !== undefined ? { apiMethod: exchange.apiMethod } : {}),
      session: exchange.session,
      request: { method: request.method, path: mask.text(request.path), query, headers: requestHeaders, ...requestBody },
      upstream: { url: mask.url(exchange.upstreamUrl), durationMs: exchange.durationMs, ...(exchange.error ? { error: exchange.error } : {}) },
    };
    if (answer) {
      const body = recordBody(answer.body, header(answer.headers, 'content-type') ?? '', header(answer.headers, 'content-encoding'), mask);
      line.response = { status: answer.status, headers: answer.headers.map(([n, v]): [string, string] => [n, mask.header(n, v)]), ...body };
      // The upstream line goes last, as a reader expects it.
      const { upstream } = line;
      delete (line as Partial<RecordingLine>).upstream;
      line.upstream = upstream;
    }
    return line;
  }

  record(exchange: Exchange, at: Date): void {
    if (this.file === undefined) return;
    appendFileSync(this.file, `${JSON.stringify(this.line(exchange, at))}\n`);
  }
}
