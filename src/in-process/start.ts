import { Sandbox } from '../sandbox.js';
import type { SandboxOptions } from '../core/config/sandbox-options.js';
import type { RunningSandbox } from './api.js';
import { clockFacade, scenarioFacade, sessionsFacade } from './facades.js';
import { PendingWrites } from './pending-writes.js';
import { verifyFacade } from './verify.js';

/** Start a sandbox in this process, e.g. from a Jest globalSetup: `await startSandbox({ port: 0 })`. */
export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const sandbox = await Sandbox.create({ port: 0, ...options, validateOnDemand: false });
  let control: Awaited<ReturnType<Sandbox['loadControl']>>;
  let port: number;
  try {
    control = await sandbox.loadControl();
    ({ port } = await sandbox.listen());
  } catch (e) {
    // A port in use must not leave the store's connections (or a --db lock) behind the rejection.
    await sandbox.close();
    throw e;
  }
  const writes = new PendingWrites();
  const world = sandbox.world;
  return {
    url: sandbox.url,
    port,
    sandbox,
    clock: clockFacade(control, world, writes),
    scenario: scenarioFacade(control, world),
    sessions: sessionsFacade(control, () => sandbox.url, writes),
    requests: (filter) => control.localRequests(filter),
    verify: verifyFacade(control),
    reset: async () => {
      await control.reset(world);
    },
    reload: () => sandbox.reload(),
    settled: () => writes.settled(),
    close: async () => {
      try {
        await writes.settled();
      } finally {
        await sandbox.close();
      }
    },
  };
}
