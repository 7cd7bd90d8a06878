/** Load generation with autocannon on loopback: a thrown-away warm-up, then a fixed-duration measured run. */
import autocannon from 'autocannon';

/** A counter over a case's pool of single-use values, shared by every connection of one run. */
export class PoolCursor {
  constructor(size) {
    this.size = size;
    this.used = 0;
  }
  next() {
    return this.used++;
  }
  get overrun() {
    return Math.max(0, this.used - this.size);
  }
}

/** autocannon `requests` for a case: a static request, or one rebuilt per request from the pool. */
export function requestsFor(kase, cursor) {
  if (!kase.pool) {
    const r = kase.request(0);
    return [{ method: r.method, path: r.path, headers: r.headers, body: r.body }];
  }
  return [
    {
      setupRequest: (req) => {
        const r = kase.request(cursor.next());
        req.method = r.method;
        req.path = r.path;
        req.headers = { ...req.headers, ...r.headers };
        req.body = r.body;
        return req;
      },
    },
  ];
}

/** One autocannon run, stopped by a guard if it outlives its duration (or, with `amount`, a generous bound). */
function fire(opts) {
  const boundMs = opts.amount ? Math.max(120_000, opts.amount * 5) : (opts.duration + 30) * 1000;
  return new Promise((resolve, reject) => {
    const instance = autocannon({ timeout: 10, ...opts }, (err, result) => {
      clearTimeout(guard);
      if (err) reject(err);
      else resolve(result);
    });
    const guard = setTimeout(() => instance.stop(), boundMs);
  });
}

function summarize(result) {
  const seconds = result.duration || 1;
  return {
    rps: Math.round(result.requests.total / seconds),
    requests: result.requests.total,
    seconds,
    latency: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max, mean: result.latency.average },
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
  };
}

/**
 * Warm up, then measure. `amount` (a request count) replaces the duration when given.
 * The cursor keeps counting across both runs, so the warm-up never reuses what it spent.
 */
export async function measureLoad({ url, kase, cursor, connections, duration, warmup, amount, beforeMeasure }) {
  if (warmup > 0) await fire({ url, connections, duration: warmup, requests: requestsFor(kase, cursor) });
  await beforeMeasure?.();
  const measured = await fire({ url, connections, ...(amount ? { amount } : { duration }), requests: requestsFor(kase, cursor) });
  return summarize(measured);
}
