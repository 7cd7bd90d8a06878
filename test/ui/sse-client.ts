import http, { type IncomingMessage } from 'node:http';

export interface SseMessage {
  event: string;
  id?: string;
  data: unknown;
}

/** A minimal server-sent-events reader, as a browser's EventSource parses the stream. */
export class SseClient {
  readonly messages: SseMessage[] = [];
  ended = false;
  private buffer = '';
  private waiters: (() => void)[] = [];

  private constructor(
    readonly res: IncomingMessage,
    private readonly req: http.ClientRequest,
  ) {
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => this.feed(chunk));
    res.on('end', () => {
      this.ended = true;
      this.wake();
    });
  }

  static open(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
    return new Promise((resolve, reject) => {
      const req = http.get(url, { headers: { accept: 'text/event-stream', ...headers }, agent: false }, (res) => resolve(new SseClient(res, req)));
      req.on('error', reject);
    });
  }

  /** The n-th message (0-based) of this event type, waiting for it to arrive. */
  async nth(event: string, n = 0, timeoutMs = 5000): Promise<SseMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.filter((m) => m.event === event)[n];
      if (found) return found;
      if (this.ended) throw new Error(`the stream ended before "${event}" #${n}; got ${JSON.stringify(this.messages)}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no "${event}" #${n} within ${timeoutMs} ms; got ${JSON.stringify(this.messages)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async untilEnd(timeoutMs = 3000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.ended && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    if (!this.ended) throw new Error('the stream did not end');
  }

  close(): void {
    this.req.destroy();
  }

  private feed(chunk: string): void {
    this.buffer += chunk;
    let cut: number;
    while ((cut = this.buffer.indexOf('\n\n')) >= 0) {
      const frame = this.buffer.slice(0, cut);
      this.buffer = this.buffer.slice(cut + 2);
      const fields: Record<string, string> = {};
      for (const line of frame.split('\n')) {
        if (line.startsWith(':')) continue;
        const i = line.indexOf(':');
        const key = i < 0 ? line : line.slice(0, i);
        fields[key] = i < 0 ? '' : line.slice(i + 1).replace(/^ /, '');
      }
      if (fields.data !== undefined) this.messages.push({ event: fields.event ?? 'message', id: fields.id, data: JSON.parse(fields.data) });
      else if (fields.retry !== undefined) this.messages.push({ event: 'retry', data: Number(fields.retry) });
    }
    this.wake();
  }

  private wake(): void {
    const waiting = this.waiters;
    this.waiters = [];
    for (const w of waiting) w();
  }
}
