/**
 * Writes the in-process API starts but does not wait for (a clock move returns the new time at once, as
 * tests expect, while `--db` keeps it in the background). None is dropped: `settled()` and `close()` wait
 * for every one, and the first that failed is what they reject with.
 */
export class PendingWrites {
  private readonly pending = new Set<Promise<void>>();
  private failure: unknown;
  private failed = false;

  add(write: Promise<void>): void {
    const tracked = write.then(
      () => undefined,
      (e: unknown) => {
        if (!this.failed) [this.failed, this.failure] = [true, e];
      },
    );
    this.pending.add(tracked);
    void tracked.finally(() => this.pending.delete(tracked));
  }

  async settled(): Promise<void> {
    while (this.pending.size) await Promise.all(this.pending);
    if (this.failed) {
      const failure = this.failure;
      [this.failed, this.failure] = [false, undefined];
      throw failure;
    }
  }
}
