import http from 'node:http';

/** One request exactly as the fuzzer wants it on the wire (no client-side normalisation). */
export interface WireRequest {
  method: string;
  /** Path and query, sent as is (may hold invalid percent-escapes). */
  path: string;
  headers: Record<string, string | string[]>;
  body?: Buffer;
}

export interface WireResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  text: string;
  ms: number;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });

/** Close the fuzzer's pooled connections (so the server under test can stop at once). */
export function closeAgent(): void {
  agent.destroy();
}

/**
 * Send one request with node:http (fetch would reject or rewrite most of what the fuzzer sends) and
 * fail with "hang" when no complete answer arrives in time.
 */
export function sendRaw(base: string, req: WireRequest, timeoutMs = 10_000): Promise<WireResponse> {
  const url = new URL(base);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | string[] | number> = { ...req.headers };
    if (req.body) headers['content-length'] = req.body.length;
    // A redirect echoes the redirect_uri it was given, which may be a huge body value: read any size of head.
    const r = http.request(
      { host: url.hostname, port: url.port, method: req.method, path: req.path, headers, agent, maxHeaderSize: 4 * 1024 * 1024 },
      (res) => {
        if (String(res.headers['content-type']).startsWith('text/event-stream')) {
          // A stream never ends by itself: its head is the answer.
          clearTimeout(timer);
          res.destroy();
          return resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.alloc(0), text: '', ms: performance.now() - started });
        }
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          clearTimeout(timer);
          const body = Buffer.concat(chunks);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text: body.toString('utf8'), ms: performance.now() - started });
        });
        res.on('error', reject);
      },
    );
    const timer = setTimeout(() => r.destroy(new Error(`hang: no answer within ${timeoutMs} ms to ${req.method} ${req.path.slice(0, 120)}`)), timeoutMs);
    // The server may answer 413 before it has read a huge body; the answer still arrives.
    r.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    if (req.body) r.end(req.body);
    else r.end();
  });
}

/** A stack frame as Node prints it ("    at fn (file.js:1:2)"): never allowed in an answer. */
export const STACK_TRACE = /\n\s+at .+[(/\\].*:\d+:\d+\)?/;

/** Answers that are broken whatever the platform: 5xx, stack traces, the dispatcher's bug report. */
export function universalProblem(res: WireResponse): string | undefined {
  if (res.status >= 500) return `HTTP ${res.status}`;
  if (res.status < 200) return `HTTP ${res.status}`;
  if (STACK_TRACE.test(res.text)) return 'stack trace in the body';
  if (res.text.includes('sandbox_internal_error')) return 'sandbox_internal_error';
  // A sandbox bug answers in the platform's shape, so the body alone cannot tell: the header does.
  const bug = res.headers['x-sandbox-internal-error'];
  if (bug) return `sandbox bug: ${decodeURIComponent(String(bug))}`;
  return undefined;
}

export function json(res: WireResponse): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(res.text);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export const keysOf = (o: Record<string, unknown>): string[] => Object.keys(o).sort();

/** Heap after a full collection (the flag can be switched on at run time; jest does not pass --expose-gc). */
export async function settledHeap(): Promise<number> {
  const v8 = await import('node:v8');
  const vm = await import('node:vm');
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((r) => setImmediate(r));
  }
  return process.memoryUsage().heapUsed;
}
