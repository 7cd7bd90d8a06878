import { tokenState } from '../core/state/token-record.js';
import type { World } from '../core/world.js';
import { changing } from './changing.js';
import { findToken } from './find-token.js';
import type { TokenAction, TokenPick, TokenQuery } from './types.js';
import { tokenView, type TokenView } from './views.js';

export const MAX_TOKEN_LIMIT = 10_000;

/** Every code and token with its state by the sandbox clock, in issue order (or newest first). */
export async function listTokens(world: World, query: TokenQuery): Promise<TokenView[]> {
  const now = world.clock.now();
  const { state } = query;
  const records = await world.tokens.list({
    platform: query.platform,
    kind: query.kind,
    where: state === undefined ? undefined : (rec) => tokenState(rec, now) === state,
    limit: Math.min(query.limit ?? 1000, MAX_TOKEN_LIMIT),
    order: query.order,
  });
  return records.map((rec) => tokenView(rec, now));
}

/** Expire or revoke one code or token now (the dashboard's buttons). */
export function endToken(world: World, value: string, action: TokenAction, pick: TokenPick): Promise<TokenView> {
  return changing(world, async () => {
    const rec = await findToken(world, value, pick);
    const live = rec.expiresAt === null || rec.expiresAt > world.clock.now();
    // Moving the end of an already expired value would only blur when it expired.
    if (action === 'expire' && live) await world.tokens.expire(rec);
    if (action === 'revoke') {
      await world.tokens.revoke(rec, 'admin');
      // Codes have no revoked state in the protocols (exchanges check use and expiry), so a revoked code also ends now.
      if (rec.kind === 'code' && live) await world.tokens.expire(rec);
    }
    const after = (await world.tokens.find(rec.platform, rec.kind, rec.value)) ?? rec;
    return tokenView(after, world.clock.now());
  });
}
