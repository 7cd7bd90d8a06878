import type { TokenRecord } from './token-record.js';

/**
 * Records by the instant they may be forgotten, earliest first (a binary min-heap in two parallel arrays: no
 * object per entry). Entries are hints: a record is pushed again when that instant moves earlier, so one
 * record may have several entries, and whoever pops one checks the record as it now stands.
 */
export class ForgetQueue {
  private at: number[] = [];
  private recs: TokenRecord[] = [];

  get size(): number {
    return this.at.length;
  }

  push(at: number, rec: TokenRecord): void {
    let i = this.at.length;
    this.at.push(at);
    this.recs.push(rec);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.at[parent]! <= at) break;
      this.move(parent, i);
      i = parent;
    }
    this.at[i] = at;
    this.recs[i] = rec;
  }

  /** The earliest instant queued (Infinity when empty). */
  peek(): number {
    return this.at.length ? this.at[0]! : Infinity;
  }

  pop(): TokenRecord | undefined {
    const n = this.at.length;
    if (n === 0) return undefined;
    const top = this.recs[0];
    const lastAt = this.at.pop()!;
    const lastRec = this.recs.pop()!;
    if (n > 1) {
      let i = 0;
      const size = n - 1;
      for (;;) {
        let child = 2 * i + 1;
        if (child >= size) break;
        if (child + 1 < size && this.at[child + 1]! < this.at[child]!) child++;
        if (this.at[child]! >= lastAt) break;
        this.move(child, i);
        i = child;
      }
      this.at[i] = lastAt;
      this.recs[i] = lastRec;
    }
    return top;
  }

  clear(): void {
    this.at = [];
    this.recs = [];
  }

  private move(from: number, to: number): void {
    this.at[to] = this.at[from]!;
    this.recs[to] = this.recs[from]!;
  }
}
