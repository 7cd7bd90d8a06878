import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import type { World } from '../world.js';
import type { TokenRecord } from './token-record.js';

const FORMAT = 'oauth-sandbox-state';

export interface DbData {
  format: typeof FORMAT;
  version: 1;
  savedAt: number;
  clock: { offsetMs: number; rate: number };
  tokens: TokenRecord[];
  platformState: Record<string, unknown>;
}

/**
 * Keeps one world in a lowdb JSON file. Writes are grouped: every request that changed state waits
 * for the next write that includes its change (one write serves all requests that arrived while the
 * previous one was in flight), so a token is on disk before its response leaves, at a write per batch.
 * lowdb's JSONFile writes through a temp file and a rename, so a kill never leaves a torn file.
 */
export class WorldPersistence {
  private readonly db: Low<DbData>;
  private dirty = false;
  private writing: Promise<void> | undefined;
  private queued: Promise<void> | undefined;

  constructor(private readonly world: World, readonly file: string) {
    this.db = new Low<DbData>(new JSONFile<DbData>(file), emptyData());
  }

  /** Load the file (if any) into the world, then follow its changes. */
  async open(): Promise<void> {
    try {
      await this.db.read();
    } catch (e) {
      throw new Error(`${this.file}: not a readable sandbox state file (${(e as Error).message}). Move it away or pass another --db path.`);
    }
    const data = this.db.data as Partial<DbData> | null;
    if (data && data.format === FORMAT && Array.isArray(data.tokens)) {
      this.world.store.load(data.tokens);
      this.world.loadState(data.platformState ?? {});
      if (data.clock) this.world.clock.restoreOffset(data.clock.offsetMs, data.clock.rate);
    } else if (data && Object.keys(data).length > 0 && data.format !== FORMAT) {
      throw new Error(`${this.file}: exists but is not a sandbox state file (no "format": "${FORMAT}"). Move it away or pass another --db path.`);
    }
    this.world.store.onChange(() => {
      this.dirty = true;
    });
    this.world.persist = () => this.flush();
    this.dirty = true;
    // The first write is where a missing folder or a read-only place shows: say so at start, in one line.
    try {
      await this.flush();
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'its folder does not exist' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (e as Error).message;
      throw new Error(`${this.file}: cannot write the sandbox state file (${why}). Create the folder or pass another --db path.`);
    }
  }

  /** Resolves when every change made before the call is on disk. */
  flush(): Promise<void> {
    if (this.dirty) {
      this.queued ??= (this.writing ?? Promise.resolve()).then(() => {
        this.queued = undefined;
        this.dirty = false;
        const w = this.write();
        this.writing = w;
        return w.finally(() => {
          if (this.writing === w) this.writing = undefined;
        });
      });
      return this.queued;
    }
    return this.writing ?? Promise.resolve();
  }

  private async write(): Promise<void> {
    const clock = this.world.clock;
    this.db.data = {
      format: FORMAT,
      version: 1,
      savedAt: clock.now(),
      clock: { offsetMs: clock.offsetMs(), rate: clock.rate },
      tokens: [...this.world.store.all()],
      platformState: this.world.allState,
    };
    await this.db.write();
  }
}

function emptyData(): DbData {
  return { format: FORMAT, version: 1, savedAt: 0, clock: { offsetMs: 0, rate: 1 }, tokens: [], platformState: {} };
}
