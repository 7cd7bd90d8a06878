import type { TokenRecord } from '../state/token-record.js';
import type { World } from '../world.js';
import type { Scenario, SeedToken } from './schema.js';
import { instantMs } from './time.js';

/** A bug report's codes and tokens, exactly as the client holds them, put in the store. */
export async function seedState(world: World, state: NonNullable<Scenario['state']>): Promise<void> {
  const now = world.clock.now();
  await world.tokens.seed((state.tokens ?? []).map((t) => seedRecord(world, t, now)));
  // A copy per world: two sessions seeded from one scenario must not share device states.
  if (state.platformState) world.loadState(structuredClone(state.platformState));
}

function seedRecord(world: World, t: SeedToken, now: number): TokenRecord {
  const issuedAt = t.issuedAt === undefined ? now : instantMs(t.issuedAt, now);
  const lifetime = world.policy(t.platform, t.appId).lifetimes[t.kind];
  let expiresAt: number | null;
  if (t.expiresAt !== undefined) expiresAt = t.expiresAt === null ? null : instantMs(t.expiresAt, now);
  else if (t.expiresIn !== undefined) expiresAt = issuedAt + t.expiresIn * 1000;
  else expiresAt = lifetime === null ? null : issuedAt + lifetime * 1000;
  const rec: TokenRecord = {
    value: t.value,
    platform: t.platform,
    kind: t.kind,
    appId: t.appId,
    subject: t.subject,
    issuedAt,
    expiresAt,
    ttl: t.ttl !== undefined ? t.ttl : (t.expiresIn ?? lifetime),
    // Without a family, a pair shares one named after its smaller value; no random draw, so seeding is repeatable.
    family: t.family ?? (t.pair && t.pair < t.value ? t.pair : t.value),
  };
  if (t.scopes) rec.scopes = [...t.scopes];
  if (t.data) rec.data = structuredClone(t.data);
  if (t.usedAt !== undefined) rec.usedAt = instantMs(t.usedAt, now);
  else if (t.used) rec.usedAt = issuedAt;
  if (t.revokedAt !== undefined) {
    rec.revokedAt = instantMs(t.revokedAt, now);
    rec.revokedReason = t.revokedReason ?? 'admin';
  }
  if (t.graceUntil !== undefined) rec.graceUntil = instantMs(t.graceUntil, now);
  if (t.pair) rec.pair = t.pair;
  if (t.replacedBy) rec.replacedBy = t.replacedBy;
  return rec;
}
