/**
 * The case list: every module in bench/cases/ exports `platform`, `owner`, `cases`, `prefillSandbox`
 * and `createBaseline`. Adding a platform is adding one module; a module whose platform the built
 * sandbox does not serve is skipped (and listed as skipped).
 */
import { readdirSync } from 'node:fs';
import { BENCH_DIR } from './config.js';

export async function loadCases(served, only) {
  const files = readdirSync(new URL('../cases/', import.meta.url))
    .filter((f) => f.endsWith('.js'))
    .sort();
  const selected = [];
  const skipped = [];
  for (const file of files) {
    const mod = await import(new URL(`../cases/${file}`, import.meta.url).href);
    for (const name of ['platform', 'owner', 'cases', 'prefillSandbox', 'createBaseline']) {
      if (!(name in mod)) throw new Error(`${BENCH_DIR}cases/${file}: a case module must export "${name}"`);
    }
    if (`${mod.platform}.js` !== file)
      throw new Error(`${BENCH_DIR}cases/${file}: exports platform "${mod.platform}"; name the file ${mod.platform}.js (the servers import it by platform id)`);
    for (const kase of mod.cases) {
      if (only.length && !only.some((o) => kase.id === o || kase.id.startsWith(`${o}.`))) continue;
      if (!served.includes(mod.platform)) skipped.push({ case: kase.id, why: `the built sandbox does not serve "${mod.platform}"` });
      else selected.push({ mod, kase });
    }
  }
  return { selected, skipped };
}
