import { setJsonOutput } from '../output/json-lines.js';
import type { StartSettings } from '../options/option-spec.js';
import { watchAncestors } from './ancestry.js';
import { isDetachedChild, tellParent as tell } from './detached-child.js';
import { beginRun } from './run-files.js';
import { removeRecord, writeRecord } from './run-registry.js';
import { runWorkers } from './workers.js';

/**
 * `--workers N`: this process supervises and writes what a single sandbox writes (pid file, run record,
 * port file), plays the detached child for `--detach`, and in the foreground ends with what started it.
 */
export async function supervise(s: StartSettings): Promise<void> {
  setJsonOutput(s['log-format'] === 'json');
  const run = beginRun(s, undefined);
  const stop = await runWorkers(s, {
    serving: (url, port) => {
      Object.assign(run.record, { state: 'ready', url, boundPorts: [port] });
      writeRecord(run.record);
    },
    ready: (url, _port, dashboard) => {
      if (isDetachedChild()) {
        tell({ type: 'ready', url, pid: process.pid, dashboard });
        process.disconnect?.();
      } else
        watchAncestors(
          (who) => stop(`${who.name} (pid ${who.pid}), which started the sandbox, has ended`),
          (npm) => stop(`SIGINT to ${npm.name} (pid ${npm.pid})`),
        );
    },
    failed: (message) => {
      writeRecord({ ...run.record, state: 'failed', error: message, endedAt: Date.now() });
      tell({ type: 'failed', message });
    },
    ended: (code) => {
      run.cleanUp();
      if (code === 0) removeRecord(process.pid);
    },
  });
}
