import type { TokenKind } from '../token-record.js';

/**
 * Every key the sandbox writes, under one prefix (`--store-prefix`, default `sandbox:`), so several
 * sandboxes can share a Redis and each one's reset deletes only its own keys. A world (the default
 * one or a session) owns everything under `<prefix>w:<id>:`.
 */
export class Keys {
  constructor(readonly prefix: string) {}

  world(id: string): WorldKeys {
    return new WorldKeys(`${this.prefix}w:${id}:`);
  }

  /** Open sessions: id → creation time. */
  get sessions(): string {
    return `${this.prefix}sessions`;
  }

  get journal(): string {
    return `${this.prefix}journal`;
  }

  get journalId(): string {
    return `${this.prefix}journal:id`;
  }

  /** The pub/sub channel every process of this sandbox listens on. */
  get events(): string {
    return `${this.prefix}events`;
  }
}

export class WorldKeys {
  constructor(readonly base: string) {}

  /** `<platform>:<kind>:<value>`: how a record is named inside its world (family sets and the order hold these). */
  static member(platform: string, kind: TokenKind, value: string): string {
    return `${platform}:${kind}:${value}`;
  }

  record(member: string): string {
    return `${this.base}t:${member}`;
  }

  family(family: string): string {
    return `${this.base}f:${family}`;
  }

  /** Issue order of the records (a sorted set scored by a counter). */
  get order(): string {
    return `${this.base}order`;
  }

  get seq(): string {
    return `${this.base}seq`;
  }

  /** When each record stops being needed (a sorted set scored by sandbox ms): what pruning reads. */
  get ends(): string {
    return `${this.base}ends`;
  }

  /** Platform data: platform id → JSON. */
  get state(): string {
    return `${this.base}state`;
  }

  /** The world's shared settings: version, clock, active scenarios. */
  get meta(): string {
    return `${this.base}meta`;
  }

  /** Fault rule counters: `<rule>:calls`, `<rule>:fired`. */
  get faults(): string {
    return `${this.base}faults`;
  }

  /** Every key of this world whose name continues with `infix`, as a SCAN pattern. */
  matching(infix = ''): string {
    return `${escapeGlob(this.base + infix)}*`;
  }
}

/** A prefix or id holding `*?[]\` must match literally in a SCAN pattern. */
function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}
