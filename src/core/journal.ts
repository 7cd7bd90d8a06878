/**
 * The bounded request journal: the last N exchanges, oldest dropped first, so a long load test
 * cannot grow memory (WireMock's unbounded journal is the cautionary tale).
 */
export interface JournalEntry {
  id: number;
  /** Sandbox time (epoch ms) when the request arrived. */
  time: number;
  session: string;
  platform: string;
  endpoint: string;
  method: string;
  path: string;
  status: number;
  durationMs: number;
  request: { query: Record<string, unknown>; body: unknown; contentType?: string };
  response: { contentType?: string; body: unknown };
  /** The scenario rule that shaped the answer, when one did. */
  rule?: string;
}

export interface JournalFilter {
  platform?: string;
  endpoint?: string;
  status?: number;
  session?: string;
  limit?: number;
}

const SECRET_KEY = /pass(wd|word)?$|secret|^sign$|private|md5password|shapassword|validatecode/i;
export const MASK = '***';

/** Copy of a params object with secrets replaced; tokens stay visible because they are what users debug. */
export function maskSecrets(value: unknown, depth = 0): unknown {
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => maskSecrets(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    out[k] = SECRET_KEY.test(k.trim()) && v !== '' && v !== undefined ? MASK : maskSecrets(v, depth + 1);
  }
  return out;
}

export class Journal {
  private entries: JournalEntry[] = [];
  private start = 0;
  private nextId = 1;
  private readonly listeners = new Set<(entry: JournalEntry) => void>();

  constructor(private readonly capacity = 1000) {}

  record(entry: Omit<JournalEntry, 'id'>): JournalEntry {
    const full = { id: this.nextId++, ...entry };
    if (this.entries.length < this.capacity) this.entries.push(full);
    else {
      this.entries[this.start] = full;
      this.start = (this.start + 1) % this.capacity;
    }
    for (const l of this.listeners) l(full);
    return full;
  }

  /** Newest first. */
  list(filter: JournalFilter = {}): JournalEntry[] {
    const out: JournalEntry[] = [];
    const limit = filter.limit ?? this.capacity;
    for (let i = this.entries.length - 1; i >= 0 && out.length < limit; i--) {
      const e = this.entries[(this.start + i) % this.entries.length];
      if (filter.platform && e.platform !== filter.platform) continue;
      if (filter.endpoint && e.endpoint !== filter.endpoint) continue;
      if (filter.status !== undefined && e.status !== filter.status) continue;
      if (filter.session && e.session !== filter.session) continue;
      out.push(e);
    }
    return out;
  }

  clear(): void {
    this.entries = [];
    this.start = 0;
  }

  get size(): number {
    return this.entries.length;
  }

  subscribe(listener: (entry: JournalEntry) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
