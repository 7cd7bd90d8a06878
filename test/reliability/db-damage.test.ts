import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Sandbox } from '../../src/sandbox.js';
import { runCliAsync, spawnSandbox, type Spawned } from '../helpers/cli.js';
import { getTokensAt } from '../helpers/mantun.js';

/**
 * Review findings M2 and L5: a damaged or mismatched --db file was dropped without a word and then
 * overwritten, and some malformed files failed with messages that named no file. Now start-up refuses
 * with the file, the line or path and what is wrong, and leaves both files byte for byte; only a torn
 * last line (a write the crash interrupted) is skipped, with a warning; --db-repair salvages after
 * keeping a copy.
 *
 * The files are made as the review made them: a sandbox issues five token pairs and is SIGKILLed, so
 * the tokens live only in FILE.log.
 */

let dir: string;
let template: string;
const tokens: string[] = [];
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sandbox-db-damage-'));
  template = join(dir, 'template.json');
  const sb: Spawned = await spawnSandbox(['start', '--port', '0', '--quiet', '--db', template]);
  for (let i = 0; i < 5; i++) tokens.push((await getTokensAt(sb.url)).accessToken);
  sb.proc.kill('SIGKILL');
  await new Promise((resolve) => sb.proc.once('exit', resolve));
  // The lock a killed sandbox leaves (stale: its pid is gone), so each copy starts unlocked.
  rmSync(`${template}.lock`, { force: true });
}, 30_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
/** A fresh copy of the killed sandbox's files, changed by `damage`; returns the file and both files' bytes. */
function damaged(damage: (files: { snapshot: string; log: string[] }) => { snapshot?: string | null; log?: string | null }): {
  db: string;
  bytes: () => [string | undefined, string | undefined];
} {
  const db = join(dir, `case-${++n}.json`);
  const log = readFileSync(`${template}.log`, 'utf8').split('\n').slice(0, -1);
  const out = damage({ snapshot: readFileSync(template, 'utf8'), log });
  if (out.snapshot !== null) writeFileSync(db, out.snapshot ?? readFileSync(template, 'utf8'));
  if (out.log !== null) writeFileSync(`${db}.log`, out.log ?? `${log.join('\n')}\n`);
  const read = (f: string) => (existsSync(f) ? readFileSync(f, 'latin1') : undefined);
  return { db, bytes: () => [read(db), read(`${db}.log`)] };
}

/** The parser's own words for a bad line (they differ between Node versions). */
const jsonError = (text: string): string => {
  try {
    JSON.parse(text);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error(`${text} parses`);
};

const AFTER =
  'Nothing was changed and nothing was written. Move the files away (or pass another --db path) to start afresh, or start once with --db-repair to keep a copy of them and salvage what can be read.';

async function refused(c: ReturnType<typeof damaged>, problem: string): Promise<void> {
  const before = c.bytes();
  await expect(Sandbox.create({ port: 0, db: c.db })).rejects.toThrow(`cannot use the --db files: ${problem}. ${AFTER}`);
  expect(c.bytes()).toEqual(before);
  expect(existsSync(`${c.db}.lock`)).toBe(false);
}

test('the template: five token pairs, only in the log (the snapshot has none)', () => {
  const log = readFileSync(`${template}.log`, 'utf8');
  expect(JSON.parse(readFileSync(template, 'utf8')).tokens).toEqual([]);
  for (const t of tokens) expect(log).toContain(t);
  expect(log.split('\n')[0]).toBe('{"g":1}');
});

describe('refused, files untouched', () => {
  test('a log header with one byte flipped', async () => {
    const c = damaged(({ log }) => ({ log: `${['{"g":1]', ...log.slice(1)].join('\n')}\n` }));
    await refused(c, `${c.db}.log: line 1: not a log header such as {"g":1} (${jsonError('{"g":1]')})`);
  });

  test('a log that continues another generation (the snapshot restored from a backup)', async () => {
    const c = damaged(({ log }) => ({ log: `${['{"g":7}', ...log.slice(1)].join('\n')}\n` }));
    await refused(
      c,
      `${c.db}.log: line 1: the log continues snapshot generation 7, but ${c.db} is generation 1: the two files do not belong together (a snapshot restored from a backup, or a file copied from elsewhere)`,
    );
  });

  test('a log whose snapshot is gone', async () => {
    const c = damaged(() => ({ snapshot: null }));
    await refused(c, `${c.db}.log: line 1: the log continues snapshot generation 1, but ${c.db} does not exist`);
  });

  test('a snapshot of null', async () => {
    const c = damaged(() => ({ snapshot: 'null' }));
    await refused(
      c,
      `${c.db}: holds null, not a sandbox state file (an object with "format": "oauth-sandbox-state"); ${c.db}.log: line 1: the log continues snapshot generation 1, but ${c.db} is generation 0: the two files do not belong together (a snapshot restored from a backup, or a file copied from elsewhere)`,
    );
  });

  test('a snapshot of {}', async () => {
    const c = damaged(() => ({ snapshot: '{}', log: null }));
    await refused(c, `${c.db}: format: is an empty object, not a sandbox state file (no "format": "oauth-sandbox-state")`);
  });

  test('a corrupt line in the middle of the log', async () => {
    const c = damaged(({ log }) => ({ log: `${[...log.slice(0, 3), '{"t":{"value":"x","plat', ...log.slice(3)].join('\n')}\n` }));
    await refused(c, `${c.db}.log: line 4: not valid JSON (${jsonError('{"t":{"value":"x","plat')})`);
  });

  test('a snapshot with tokens: [null] (L5: the message named no file)', async () => {
    const c = damaged(({ snapshot }) => ({ snapshot: JSON.stringify({ ...JSON.parse(snapshot), tokens: [null] }), log: null }));
    await refused(c, `${c.db}: tokens[0]: expected a token record, got null`);
  });

  test('a log line {"d":null} (L5)', async () => {
    const c = damaged(({ log }) => ({ log: `${[...log, '{"d":null}', log[1]].join('\n')}\n` }));
    await refused(
      c,
      `${c.db}.log: line ${readFileSync(`${template}.log`, 'utf8').split('\n').length}: a removed record must be ["<platform>", "<kind>", "<value>"], got null`,
    );
  });

  test('records out of shape or range, listed up to five', async () => {
    const c = damaged(({ snapshot, log }) => {
      const rec = JSON.parse(log[1]).t;
      const bad = [
        { ...rec, kind: 'cookie' },
        { ...rec, issuedAt: 9e15 },
        { ...rec, expiresAt: 'never' },
        { ...rec, value: '' },
        { ...rec, data: [1] },
        { ...rec, scopes: 'all' },
        { ...rec, revokedReason: 'x' },
      ];
      return { snapshot: JSON.stringify({ ...JSON.parse(snapshot), tokens: bad }), log: null };
    });
    await refused(
      c,
      `${c.db}: tokens[0]: "kind" must be one of code, access, refresh, temp, got "cookie"; ` +
        `${c.db}: tokens[1]: "issuedAt" must be epoch milliseconds between 1970-01-01T00:00:00.000Z and 9000-01-01T00:00:00.000Z, got 9000000000000000; ` +
        `${c.db}: tokens[2]: "expiresAt" must be null or epoch milliseconds from 1970-01-01T00:00:00.000Z to 9099-12-08T00:00:00.000Z, got "never"; ` +
        `${c.db}: tokens[3]: "value" must be a non-empty string, got ""; ` +
        `${c.db}: tokens[4]: "data" must be an object, got [1]; and 2 more`,
    );
  });

  test('from the command line: exit 1, one line on stderr, files untouched', async () => {
    const c = damaged(({ log }) => ({ log: `${['{"g":1]', ...log.slice(1)].join('\n')}\n` }));
    const before = c.bytes();
    const r = await runCliAsync(['start', '--port', '0', '--db', c.db]);
    expect({ status: r.status, stdout: r.stdout }).toEqual({ status: 1, stdout: '' });
    expect(r.stderr.split('\n')).toHaveLength(2);
    expect(r.stderr).toMatch(new RegExp(`^sandbox: cannot use the --db files: ${c.db}\\.log: line 1: not a log header`));
    expect(c.bytes()).toEqual(before);
  });
});

describe('started', () => {
  test('a torn last line is skipped with a warning; every other token is there', async () => {
    const c = damaged(({ log }) => ({ log: `${log.join('\n')}\n{"t":{"value":"abc","platf` }));
    const sb = await spawnSandbox(['start', '--port', '0', '--quiet', '--db', c.db]);
    try {
      expect(sb.output()).toContain(
        `warning: ${c.db}.log: line ${readFileSync(`${template}.log`, 'utf8').split('\n').length}: skipped a torn last line (a write the stop interrupted, whose answer never left).`,
      );
      const listed = (await (await fetch(`${sb.url}/__sandbox/tokens?kind=access`)).json()) as { tokens: { value: string }[] };
      expect(listed.tokens.map((t) => t.value).sort()).toEqual([...tokens].sort());
    } finally {
      expect(await sb.stop()).toBe(0);
    }
  });

  test('--db-repair keeps a copy of both files, then salvages every readable line', async () => {
    const c = damaged(({ log }) => ({ log: `${['{"g":1]', ...log.slice(1, 4), 'garbage', ...log.slice(4)].join('\n')}\n` }));
    const [snapshot, log] = c.bytes();
    const sb = await spawnSandbox(['start', '--port', '0', '--quiet', '--db', c.db, '--db-repair']);
    try {
      const copies = readdirSync(dir).filter((f) => f.startsWith(`case-${n}.json`) && f.includes('.damaged-'));
      expect(copies).toHaveLength(2);
      const snapshotCopy = join(
        dir,
        copies.find((f) => !f.includes('.log'))!,
      );
      const logCopy = join(
        dir,
        copies.find((f) => f.includes('.log'))!,
      );
      expect([readFileSync(snapshotCopy, 'latin1'), readFileSync(logCopy, 'latin1')]).toEqual([snapshot, log]);
      expect(sb.output()).toContain(
        `warning: ${c.db}: --db-repair: kept the files as they were in ${snapshotCopy} and ${logCopy}; starting from what could be read, without: ${c.db}.log: line 1: not a log header`,
      );
      expect(sb.output()).toContain(`${c.db}.log: line 5: not valid JSON`);
      const listed = (await (await fetch(`${sb.url}/__sandbox/tokens?kind=access`)).json()) as { tokens: { value: string }[] };
      expect(listed.tokens.map((t) => t.value).sort()).toEqual([...tokens].sort());
    } finally {
      expect(await sb.stop()).toBe(0);
    }
    // Repaired: the next start needs no --db-repair.
    const again = await Sandbox.create({ port: 0, db: c.db });
    expect(again.world.store.size).toBeGreaterThanOrEqual(10);
    await again.close();
  });

  test('the log of the previous generation (a kill between writing the snapshot and starting its log) is passed over silently: the snapshot holds what it said', async () => {
    const c = damaged(({ snapshot, log }) => ({
      snapshot: JSON.stringify({ ...JSON.parse(snapshot), generation: 2 }),
      log: `${['{"g":1}', ...log.slice(1)].join('\n')}\n`,
    }));
    const sb = await Sandbox.create({ port: 0, db: c.db });
    expect(sb.world.store.size).toBe(0);
    await sb.close();
  });
});
