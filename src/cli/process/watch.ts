import { existsSync, statSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { formatIssue, LoadError } from '../../core/validation/load-error.js';
import { loadValidators } from '../../core/validation/lazy-schemas.js';
import type { Sandbox } from '../../sandbox.js';
import { looksLikePath } from '../../core/scenarios/loader.js';

/** Editors write a file in several steps (truncate, write, rename): one reload after they settle. */
const SETTLE_MS = 150;

/**
 * Folders to watch, each with the file names that matter in it (null: every *.json). A file is
 * watched through its folder because editors often replace it by rename, which ends a watch on the file.
 */
export function watchTargets(paths: readonly string[]): Map<string, Set<string> | null> {
  const targets = new Map<string, Set<string> | null>();
  for (const p of paths) {
    const abs = resolve(p);
    if (!existsSync(abs)) continue;
    if (statSync(abs).isDirectory()) targets.set(abs, null);
    else {
      const dir = dirname(abs);
      const names = targets.get(dir);
      if (names === null) continue;
      targets.set(dir, (names ?? new Set()).add(basename(abs)));
    }
  }
  return targets;
}

export interface Watching {
  folders: string[];
  close(): void;
}

/**
 * `start --watch`: reload fixtures and scenarios when their files change, keeping issued tokens. A bad
 * edit is reported with its file and JSON path, and the sandbox goes on serving what it had.
 */
export function watchAndReload(sandbox: Sandbox): Watching {
  const o = sandbox.options;
  const paths = [...o.fixtures, ...o.scenario.filter((r): r is string => typeof r === 'string' && looksLikePath(r)), ...o.scenarioDirs];
  const targets = watchTargets(paths);
  let timer: NodeJS.Timeout | undefined;
  const changed = new Set<string>();

  const reload = async () => {
    timer = undefined;
    const what = [...changed].sort().join(', ');
    changed.clear();
    try {
      await loadValidators(sandbox.platforms);
      const r = sandbox.reload();
      sandbox.logger.info(
        `reloaded after a change to ${what}: ${r.fixtures.length} fixture file(s), ${r.scenarios.length} active scenario file(s); issued tokens kept`,
      );
    } catch (e) {
      // Never let an edit take the server down: whatever went wrong, the previous world keeps serving.
      const detail = e instanceof LoadError ? e.issues.map(formatIssue).join('\n') : (e as Error).message;
      sandbox.logger.error(`reload failed after a change to ${what}; still serving the previous fixtures and scenarios:\n${detail}`);
    }
  };

  const watchers: FSWatcher[] = [];
  for (const [dir, names] of targets) {
    const w = watch(dir, (_event, name) => {
      const file = name?.toString();
      if (!file || !file.endsWith('.json') || (names && !names.has(file))) return;
      changed.add(file);
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => void reload(), SETTLE_MS);
    });
    w.on('error', (e) => sandbox.logger.warn(`stopped watching ${dir}: ${e.message}`));
    watchers.push(w);
  }
  return {
    folders: [...targets.keys()],
    close: () => {
      if (timer) clearTimeout(timer);
      for (const w of watchers) w.close();
    },
  };
}
