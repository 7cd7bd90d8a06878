import type { Logger as PinoLogger } from 'pino';
import type { JournalEntry } from './journal.js';

export type LogFormat = 'pretty' | 'json';
export type LogLevel = 'silent' | 'error' | 'warn' | 'info' | 'debug';

/** What a request line says: the journal's fields, and how long the answer took. */
export interface RequestLogLine extends Pick<JournalEntry, 'session' | 'platform' | 'endpoint' | 'method' | 'path' | 'status' | 'rule' | 'note' | 'hint'> {
  apiMethod?: string;
  ms: number;
}

export interface Logger {
  request(line: RequestLogLine): void;
  /** False when request lines go nowhere (a level above info): callers need not even build one. */
  readonly requestLines?: boolean;
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
}

const silent: Logger = { request() {}, requestLines: false, info() {}, warn() {}, error() {} };

/**
 * JSON lines through pino (asynchronous, cheap on the request path) for machines; one short line
 * per request for people. Secrets never reach the log: request lines carry no params at all.
 * pino is loaded only for JSON logs: the pretty lines need none of it, and start-up is shorter.
 */
export async function createLogger(format: LogFormat, level: LogLevel, out: NodeJS.WritableStream = process.stdout): Promise<Logger> {
  if (level === 'silent') return silent;
  if (format === 'json') {
    const { pino } = await import('pino');
    const destination = pino.destination({ dest: 1, sync: false });
    // A reader that went away (closed pipe) must not take the server down with it.
    destination.on('error', () => undefined);
    const log: PinoLogger = pino({ level, base: undefined }, destination);
    return {
      // The level is fixed for the logger's life: below info a request line costs nothing at all.
      request: log.isLevelEnabled('info') ? (line) => log.info({ ...line, msg: 'request' }) : () => undefined,
      requestLines: log.isLevelEnabled('info'),
      info: (msg) => log.info(msg),
      warn: (msg) => log.warn(msg),
      error: (msg) => log.error(msg),
    };
  }
  const rank: Record<LogLevel, number> = { silent: 99, error: 50, warn: 40, info: 30, debug: 20 };
  const min = rank[level];
  const write = (lvl: LogLevel, text: string) => {
    if (rank[lvl] >= min) out.write(`${text}\n`);
  };
  return {
    // Checked once, before any formatting: --quiet and the bench run at warn, and build no line per request.
    request:
      rank.info < min
        ? () => undefined
        : (l) => {
            const session = l.session === 'default' ? '' : ` [${l.session}]`;
            const rule = l.rule ? ` (rule ${l.rule})` : '';
            const call = l.apiMethod ? ` ${l.apiMethod}` : '';
            const note = l.note ? ` — ${l.note}` : '';
            // A request no endpoint served names no endpoint: the hint says what was probably meant.
            const what = l.endpoint === '' ? `unmatched${l.platform ? ` (${l.platform})` : ''}` : `${l.platform}/${l.endpoint}`;
            const hint = l.hint ? ` — ${l.hint}` : '';
            write('info', `${l.method} ${l.path} → ${l.status} ${what}${call} ${l.ms.toFixed(1)}ms${session}${rule}${note}${hint}`);
          },
    info: (msg) => write('info', msg),
    warn: (msg) => write('warn', `warning: ${msg}`),
    error: (msg) => write('error', `error: ${msg}`),
    requestLines: rank.info >= min,
  };
}
