/**
 * Answers a fault rule holds back (`"delay": "30s"`). Each one is a timer this keeps, so that when the
 * sandbox stops (SIGTERM, `close()`) every held answer leaves at once instead of keeping the process
 * alive for the rest of its delay; after that, nothing is held any more.
 */
export class HeldAnswers {
  private readonly pending = new Map<NodeJS.Timeout, () => void>();
  private released = false;

  /** Run `send` after `ms`, or at once when the sandbox is stopping. */
  hold(ms: number, send: () => void): void {
    if (this.released) return send();
    const timer = setTimeout(() => {
      this.pending.delete(timer);
      send();
    }, ms);
    timer.unref();
    this.pending.set(timer, send);
  }

  get size(): number {
    return this.pending.size;
  }

  /** The sandbox is stopping: send every held answer now, and hold none from here on. */
  releaseAll(): void {
    this.released = true;
    for (const [timer, send] of this.pending) {
      clearTimeout(timer);
      this.pending.delete(timer);
      send();
    }
  }
}
