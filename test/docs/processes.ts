/**
 * Real processes for the docs test, run by test/helpers/processes.ts (each in a process group of its own, so a
 * command that starts others, bash → npx → node, is ended whole), and the docs' own waits.
 */

export { background, endGroup, run, type Background, type Result, type RunOptions } from '../helpers/processes.js';
export { freePort } from '../helpers/ports.js';

/** Poll `ready` until it answers true, the `failed` check says why it never will, or the time is up. */
export async function waitFor(what: string, ready: () => Promise<boolean>, failed: () => string | undefined, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const why = failed();
    if (why !== undefined) throw new Error(`${what}: ${why}`);
    if (await ready()) return;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** True once GET <base>/__sandbox/health answers 200. */
export async function healthy(base: string): Promise<boolean> {
  try {
    const res = await fetch(`${base}/__sandbox/health`, { signal: AbortSignal.timeout(2000) });
    await res.arrayBuffer();
    return res.status === 200;
  } catch {
    return false;
  }
}
