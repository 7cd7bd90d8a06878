import type { JournalEntry, JournalFilter } from './core/journal.js';
import { parseDuration, DURATION_HINT } from './core/duration.js';
import { Sandbox, type SandboxOptions } from './sandbox.js';

export { Sandbox, VERSION, type SandboxOptions } from './sandbox.js';
export type { JournalEntry, JournalFilter } from './core/journal.js';
export type { TokenRecord, TokenState } from './core/state/token-record.js';
export type { LifecyclePolicy, PolicyOverride } from './core/tokens/policy.js';
export { mantunClientSecret, mantunSign, mantunTimestamp } from './platforms/mantun/signing.js';
export { signSopRequest, sopSignContent, sopTimestamp, verifySopResponse, type SopResponseCheck, type SopSignType } from './platforms/sop/signing.js';
export { usercenterMd5Password, usercenterShaPassword } from './platforms/usercenter/passwords.js';
export { zjrcClientSign, zjrcRequest, zjrcSign, zjrcSignContent, zjrcTimestamp, zjrcVerifyResponse, type ZjrcRequestOptions } from './platforms/zjrc/client.js';

export interface SandboxClock {
  /** Sandbox time, epoch milliseconds. */
  now(): number;
  /** Move time forward ("1h", "30m", "3601s", or milliseconds as a number). */
  advance(by: string | number): number;
  set(to: Date | number | string): number;
  setRate(rate: number): void;
}

export interface RunningSandbox {
  url: string;
  port: number;
  clock: SandboxClock;
  requests(filter?: JournalFilter): JournalEntry[];
  reset(): Promise<void>;
  close(): Promise<void>;
  /** The underlying server object, for what this facade does not cover. */
  sandbox: Sandbox;
}

/** Start a sandbox in this process, e.g. from a Jest globalSetup: `await startSandbox({ port: 0 })`. */
export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const sandbox = await Sandbox.create({ port: 0, ...options });
  const { port } = await sandbox.listen();
  const clock = sandbox.world.clock;
  return {
    url: sandbox.url,
    port,
    sandbox,
    clock: {
      now: () => sandbox.world.clock.now(),
      advance: (by) => {
        const ms = typeof by === 'number' ? by : parseDuration(by);
        if (ms === undefined) throw new TypeError(`advance() takes ${DURATION_HINT} or milliseconds, got ${JSON.stringify(by)}`);
        return clock.advance(ms);
      },
      set: (to) => {
        const t = to instanceof Date ? to.getTime() : typeof to === 'string' ? Date.parse(to) : to;
        if (!Number.isFinite(t)) throw new TypeError(`set() takes a Date, an ISO-8601 string or epoch milliseconds, got ${JSON.stringify(to)}`);
        return clock.set(t);
      },
      setRate: (rate) => clock.setRate(rate),
    },
    requests: (filter) => sandbox.journal.list(filter),
    reset: () => sandbox.reset(),
    close: () => sandbox.close(),
  };
}
