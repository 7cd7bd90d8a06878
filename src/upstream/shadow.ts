import type { Difference } from '../compare/difference.js';
import type { Logger } from '../core/log.js';
import { Recorder, type Exchange, type RecordingLine } from './recording.js';

/** A platform's exchanges the shadow replays at most; older ones drop out (their codes then count as unknown). */
export const SHADOW_LINES_LIMIT = 200;

export interface ShadowOptions {
  fixtures: string[];
  builtinFixtures: boolean;
  logger: Logger;
}

/**
 * `--shadow`: each forwarded exchange is answered by the sandbox too, after the client has its real answer.
 * The sandbox's answer comes from a world of its own, never the one the client's flow lives in: the
 * platform's exchanges so far are replayed into a fresh in-process sandbox by `sandbox compare`'s own
 * replay (codes and tokens mapped, requests re-signed), and the differences of the newest exchange kept.
 * Replaying from the start costs more with every step of a long flow; it buys a comparison that is exactly
 * compare's, with no second comparator. Comparisons run one at a time, in the order exchanges finished.
 */
export class Shadow {
  private readonly lines = new Map<string, RecordingLine[]>();
  /** Lines only: the recording's masking, so a shadow line is what `--record` would write. */
  private readonly maker = new Recorder();
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(private readonly opts: ShadowOptions) {}

  /** The differences between the real answer and the sandbox's for one exchange (none when it got no answer). */
  compare(exchange: Exchange, at: Date): Promise<Difference[]> {
    const line = this.maker.line(exchange, at);
    const mine = this.lines.get(line.platform) ?? [];
    this.lines.set(line.platform, mine);
    mine.push(line);
    if (mine.length > SHADOW_LINES_LIMIT) mine.shift();
    const lines = [...mine];
    const run = this.queue.then(async () => {
      if (this.closed || !line.response) return [];
      const { compareRecording } = await import('../compare/replay.js');
      const result = await compareRecording(lines, { fixtures: this.opts.fixtures, builtinFixtures: this.opts.builtinFixtures });
      return result.differences.filter((d) => d.seq === line.seq);
    });
    const settled = run.catch((e: unknown) => {
      this.opts.logger.warn(`shadow comparison failed: ${(e as Error).message}`);
      return [] as Difference[];
    });
    this.queue = settled;
    return settled;
  }

  /** Pending comparisons finish; none starts after this. */
  async close(): Promise<void> {
    this.closed = true;
    await this.queue;
  }
}
