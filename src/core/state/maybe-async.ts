/**
 * What a store answers: the value itself when it lives in this process's memory, a promise when it
 * lives in a shared store. One interface serves both, and an in-memory request does not pay for
 * Redis's asynchrony (every await of a promise is a turn of the event loop). Callers chain with
 * `then` below, or `await` only what `isPromise` says is pending.
 */
export type MaybePromise<T> = T | Promise<T>;

export function isPromise<T>(value: MaybePromise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null | undefined)?.then === 'function';
}

/** `f` of the value: at once when it is there, once it is when it is pending. */
export function then<T, U>(value: MaybePromise<T>, f: (value: T) => MaybePromise<U>): MaybePromise<U> {
  return isPromise(value) ? value.then(f) : f(value);
}

/** `op()`, with a synchronous throw kept synchronous and a rejection left to the caller's await, as an async function's would be. */
export function attempt<T>(op: () => MaybePromise<T>, recover: (e: unknown) => MaybePromise<T>): MaybePromise<T> {
  let out: MaybePromise<T>;
  try {
    out = op();
  } catch (e) {
    return recover(e);
  }
  return isPromise(out) ? out.then(undefined, recover) : out;
}
