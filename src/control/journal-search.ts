import type { JournalEntry } from '../core/journal.js';

/** One journal entry and the values of a token family it carries: sent by the client, or in the answer. */
export interface Searchable {
  entry: JournalEntry;
  sends: ReadonlySet<string>;
  answers: ReadonlySet<string>;
}

/** Letters, digits and '-': what the platforms' codes and tokens are made of (32 hex digits, UUIDs). */
const WORD = /^[0-9A-Za-z-]+$/;
const WORDS = /[0-9A-Za-z-]+/g;

/**
 * Which journal entries carry which values, found in one pass over the journal: a story of a long refresh chain
 * asks about every member several times, and searching each entry's text for each member was quadratic (1.6 s
 * for 200 members in a journal of 1000). A value made of letters, digits and '-' is found as a whole word (so
 * `abc` is not found inside `abc-def`); any other value (a scenario may seed one) by its JSON text.
 */
export class JournalSearch {
  /** In journal order (oldest first). */
  readonly entries: readonly Searchable[];
  private readonly sent = new Map<string, Searchable[]>();
  private readonly answered = new Map<string, Searchable[]>();

  constructor(entries: readonly JournalEntry[], values: readonly string[]) {
    const words = new Set(values.filter((v) => WORD.test(v)));
    const others = values.filter((v) => !WORD.test(v)).map((v) => [v, JSON.stringify(v).slice(1, -1)] as const);
    const find = (text: string): Set<string> => {
      const found = new Set<string>();
      for (const [word] of text.matchAll(WORDS)) if (words.has(word)) found.add(word);
      for (const [value, escaped] of others) if (text.includes(escaped)) found.add(value);
      return found;
    };
    this.entries = [...entries]
      .sort((a, b) => a.id - b.id)
      .map((entry) => {
        // The raw query and headers are journaled by newer servers (a token sent in a header of its own counts too).
        const request = entry.request as JournalEntry['request'] & { rawQuery?: unknown; headers?: unknown };
        const j: Searchable = {
          entry,
          sends: find(JSON.stringify([request.query, request.body, request.rawQuery ?? null, request.headers ?? null])),
          answers: find(JSON.stringify(entry.response.body ?? null)),
        };
        for (const v of j.sends) push(this.sent, v, j);
        for (const v of j.answers) push(this.answered, v, j);
        return j;
      });
  }

  /** The entries whose request carried the value, oldest first. */
  sentWith(value: string): readonly Searchable[] {
    return this.sent.get(value) ?? [];
  }

  /** The first entry whose answer carried the value. */
  firstAnswerWith(value: string): Searchable | undefined {
    return this.answered.get(value)?.[0];
  }
}

function push(map: Map<string, Searchable[]>, key: string, j: Searchable): void {
  const list = map.get(key);
  if (list) list.push(j);
  else map.set(key, [j]);
}
