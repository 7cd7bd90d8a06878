import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { BUILTIN_CACHE_FILE, builtinCacheText, readBuiltinCache } from '../../src/core/fixtures/builtin-cache.js';
import { builtinFixtureTexts, validateFixtures } from '../../src/core/fixtures/loader.js';
import { loadValidators } from '../../src/core/validation/lazy-schemas.js';
import { PLATFORMS } from '../../src/platforms/index.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const exec = promisify(execFile);

await loadValidators(PLATFORMS);
const texts = builtinFixtureTexts();
const validated = validateFixtures(PLATFORMS);

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sandbox-cache-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('the built-in fixtures, validated at build time', () => {
  test('the cache the build wrote holds exactly what validating the built-in files gives', () => {
    const shipped = readBuiltinCache(texts, BUILTIN_CACHE_FILE);
    expect(shipped).toEqual(validated);
  });

  test('a cache made from other bytes (an edited fixture file) is not used', () => {
    const file = join(dir, 'cache.json');
    writeFileSync(file, builtinCacheText(texts, validated));
    expect(readBuiltinCache(texts, file)?.data).toEqual(validated.data);
    const edited = texts.map((t, i) => (i === 0 ? { ...t, text: t.text.replace('sandbox123', 'changed456') } : t));
    expect(edited[0]!.text).not.toBe(texts[0]!.text);
    expect(readBuiltinCache(edited, file)).toBeUndefined();
  });

  test('a missing, unreadable or malformed cache is not used', () => {
    expect(readBuiltinCache(texts, join(dir, 'missing.json'))).toBeUndefined();
    for (const body of ['', '{"digest":', 'null', '[]', '{"digest":"x","data":{}}']) {
      const file = join(dir, 'cache.json');
      writeFileSync(file, body);
      expect(readBuiltinCache(texts, file)).toBeUndefined();
    }
  });

  /** In a fresh process on the compiled package: are the validators loaded after create, and after a control-plane call? */
  async function validatorsLoaded(options: string): Promise<Record<string, unknown>> {
    const script = `
      const { Sandbox } = await import(${JSON.stringify(join(ROOT, 'dist/sandbox.js'))});
      const v = await import(${JSON.stringify(join(ROOT, 'dist/core/validation/lazy-schemas.js'))});
      const loaded = () => { try { v.validators(); return true; } catch { return false; } };
      const sb = await Sandbox.create(${options});
      await sb.listen();
      const before = loaded();
      const health = await fetch(sb.url + '/__sandbox/health');
      const control = await fetch(sb.url + '/__sandbox/tokens');
      const after = loaded();
      await sb.close();
      console.log(JSON.stringify({ before, health: health.status, control: control.status, after }));`;
    const { stdout } = await exec(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8', timeout: 20000 });
    return JSON.parse(stdout) as Record<string, unknown>;
  }

  test('with validateOnDemand (what `sandbox start` uses) the built-in fixtures start without the validators; the control plane loads them', async () => {
    expect(await validatorsLoaded('{ port: 0, validateOnDemand: true }')).toEqual({ before: false, health: 200, control: 200, after: true });
  });

  test('by default Sandbox.create loads them, so reload() and the scenario engine can be called directly', async () => {
    expect(await validatorsLoaded('{ port: 0 }')).toEqual({ before: true, health: 200, control: 200, after: true });
  });
});
