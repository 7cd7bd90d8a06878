import type { Sandbox } from '../../src/sandbox.js';
import { getTokens as mantunTokens } from '../helpers/mantun.js';
import { login as usercenterLogin } from '../helpers/usercenter.js';
import { getCode as sopCode, getTokens as sopTokens } from '../helpers/sop.js';
import { authorize as zjrcCode, getTokens as zjrcTokens } from '../helpers/zjrc.js';
import type { TestSandbox } from '../helpers/sandbox.js';

/** Give every platform live tokens and an unspent code, so a fuzz run has state it could damage. */
export async function seedState(t: TestSandbox): Promise<void> {
  await mantunTokens(t.http);
  await usercenterLogin(t.http);
  await sopTokens(t.http, t.sb.clock.now());
  await sopCode(t.http);
  await zjrcTokens(t.http, () => t.sb.clock.now());
  await zjrcCode(t.http);
}

/**
 * The full world of the default session: every token record, platform state, fixtures, and Object.prototype.
 * One line per part: JSON text holds no raw line break, and the record count says where the records end.
 * Taken after every fuzzed request: serialising the assembled parts once more (JSON.stringify of the whole)
 * cost more than all the parts together.
 */
export function snapshot(sandbox: Sandbox): string {
  const world = sandbox.world;
  const records = [...world.store.all()].map((r) => JSON.stringify(r)).sort();
  const states = sandbox.platforms.map((p) => `${p.id} ${JSON.stringify(world.stateSnapshot[p.id])}`);
  return [
    records.length,
    ...records,
    ...states,
    JSON.stringify(world.fixtures),
    JSON.stringify(Object.getOwnPropertyNames(Object.prototype).sort()),
    Object.getOwnPropertyNames(Array.prototype).length,
    JSON.stringify(({} as Record<string, unknown>).polluted),
  ].join('\n');
}

/** Where two snapshots first differ, for a failure message. */
export function firstDifference(a: string, b: string): string {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return `…${a.slice(Math.max(0, i - 80), i + 80)}… became …${b.slice(Math.max(0, i - 80), i + 80)}…`;
}
