/**
 * Deterministic values for pooled tokens and codes: the runner and both servers compute the same
 * value for index i, so a pool of a million codes never crosses a pipe.
 */

/** 32 lower-case hex chars: a 4-char tag, then i in hex, zero-padded. */
export function hex32(tag, i) {
  return tag + i.toString(16).padStart(32 - tag.length, '0');
}

/** A UUID-shaped value (8-4-4-4-12, version 4 nibble, RFC 4122 variant) for platforms that issue UUIDs. */
export function uuidOf(tag, i) {
  const h = hex32(tag, i);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * One record with a chosen value, shaped exactly as TokenLifecycle.issue() shapes it (the lifecycle
 * picks random values, the bench needs known ones); the server seeds a world with them.
 */
export function tokenRecord(world, { platform, kind, appId, subject, value, data, scopes, ttl, family, expired = false }) {
  const policy = world.policy(platform, appId);
  const now = world.clock.now();
  const life = ttl !== undefined ? ttl : policy.lifetimes[kind];
  const rec = {
    value,
    platform,
    kind,
    appId,
    subject,
    issuedAt: now,
    expiresAt: life === null ? null : expired ? now - 1000 : now + life * 1000,
    ttl: life,
    family: family ?? world.random.hex(8),
  };
  if (scopes) rec.scopes = scopes;
  if (data) rec.data = data;
  return rec;
}

/** Seed a world with records, a batch at a time (a shared store takes them over the network). */
export async function seedRecords(world, records) {
  for (let i = 0; i < records.length; i += 5000) await world.tokens.seed(records.slice(i, i + 5000));
}

/** Live access/refresh pairs issued through the real lifecycle: the "tokens in the store" of the growth measure. */
export async function fillSandbox(world, { platform, appId, subject }, count) {
  for (let i = 0; i < count; i += 2) await world.tokens.issuePair({ platform, appId, subject });
}

/** The baseline's equivalent: the records a hand-written server would keep, in one Map. */
export function fillBaseline(store, { appId, subject }, count, randomHex) {
  const now = Date.now();
  for (let i = 0; i < count; i += 2) {
    const access = randomHex();
    const refresh = randomHex();
    store.set(`access:${access}`, { appId, subject, expiresAt: now + 3600_000, pair: refresh });
    store.set(`refresh:${refresh}`, { appId, subject, expiresAt: now + 30 * 86400_000, pair: access });
  }
}
