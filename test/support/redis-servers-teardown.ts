import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';

/** Jest's global teardown: stop the per-worker redis-servers that redis-servers.ts started, and remove their folders. */
export default async function teardown(): Promise<void> {
  const servers = ((globalThis as Record<string, unknown>).__sandboxJestRedis ?? []) as { proc: ChildProcess; dir: string }[];
  await Promise.all(
    servers.map(async ({ proc, dir }) => {
      if (proc.exitCode === null && proc.signalCode === null) {
        const exited = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    }),
  );
}
