import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRandom } from '../../src/core/random/seeded-random.js';
import { WorldPersistence } from '../../src/core/state/persistence.js';
import { World } from '../../src/core/world.js';
import { loadFixtures } from '../../src/core/fixtures/loader.js';
import { PLATFORMS } from '../../src/platforms/index.js';

const fixtures = (await loadFixtures(PLATFORMS)).data;
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sandbox-db-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const opened: WorldPersistence[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) db.abandon();
});

/** Open the file in a new world; one opened before is abandoned first, as a crash would leave it (its lock would be stale). */
async function openWorld(file: string): Promise<{ world: World; db: WorldPersistence }> {
  for (const db of opened.splice(0)) db.abandon();
  const world = new World({ id: 'default', platforms: PLATFORMS, fixtures, random: createRandom() });
  const db = new WorldPersistence(world, file);
  await db.open();
  opened.push(db);
  return { world, db };
}

const issue = (world: World) => world.tokens.issuePair({ platform: 'mantun', appId: 'O000000049', subject: 'u' });

describe('--db: snapshot plus append-only change log', () => {
  test('changes go to the log (not a rewrite of the snapshot) and come back on open', async () => {
    const file = join(dir, 'state.json');
    const first = await openWorld(file);
    const snapshot = readFileSync(file, 'utf8');
    const pair = await issue(first.world);
    await first.world.flush();
    expect(readFileSync(file, 'utf8')).toBe(snapshot);
    expect(readFileSync(`${file}.log`, 'utf8')).toContain(pair.access.value);

    const second = await openWorld(file);
    expect(second.world.store.get('mantun', 'access', pair.access.value)).toMatchObject({ subject: 'u', pair: pair.refresh.value });
    // Opening folded the log into the snapshot.
    expect(readFileSync(file, 'utf8')).toContain(pair.access.value);
  });

  test('an update and a removal replay as the last state', async () => {
    const file = join(dir, 'state.json');
    const { world } = await openWorld(file);
    const a = await issue(world);
    const b = await issue(world);
    await world.flush();
    await world.tokens.revoke(a.access);
    world.store.remove(b.refresh);
    await world.flush();
    const again = await openWorld(file);
    expect(again.world.store.get('mantun', 'access', a.access.value)?.revokedReason).toBe('destroyed');
    expect(again.world.store.get('mantun', 'refresh', b.refresh.value)).toBeUndefined();
    expect(again.world.store.size).toBe(3);
  });

  test('a torn last line (a kill during the append) is skipped, the rest replays', async () => {
    const file = join(dir, 'state.json');
    const { world } = await openWorld(file);
    const pair = await issue(world);
    await world.flush();
    appendFileSync(`${file}.log`, '{"t":{"value":"abc","platf');
    const again = await openWorld(file);
    expect(again.world.store.get('mantun', 'refresh', pair.refresh.value)).toBeDefined();
    expect(again.world.store.size).toBe(2);
  });

  test('a log of an older generation (a kill between snapshot and new log) is ignored', async () => {
    const file = join(dir, 'state.json');
    const { world } = await openWorld(file);
    await issue(world);
    await world.flush();
    const generation = (JSON.parse(readFileSync(file, 'utf8')) as { generation: number }).generation;
    writeFileSync(`${file}.log`, `{"g":${generation - 1}}\n{"d":["mantun","access","x"]}\n`);
    const again = await openWorld(file);
    expect(again.world.store.size).toBe(0);
  });
});
