import { ControlError } from '../core/errors/control-error.js';
import { TOKEN_KINDS, type TokenRecord } from '../core/state/token-record.js';
import type { World } from '../core/world.js';
import type { TokenPick } from './types.js';

/** The one record a value names, or a refusal saying why there is none. Map lookups only, never a scan. */
export async function findToken(world: World, value: string, { platform, kind }: TokenPick): Promise<TokenRecord> {
  const ids = [...world.platforms.keys()];
  if (platform !== undefined && !world.platforms.has(platform))
    throw new ControlError('invalid_request', `"platform" must be one of ${ids.join(', ')}, got ${JSON.stringify(platform)}.`);
  const matches: TokenRecord[] = [];
  for (const p of platform === undefined ? ids : [platform]) {
    for (const k of kind === undefined ? TOKEN_KINDS : [kind]) {
      const rec = await world.tokens.find(p, k, value);
      if (rec) matches.push(rec);
    }
  }
  if (matches.length === 1) return matches[0];
  if (matches.length === 0) {
    const where = [platform, kind].filter((x) => x !== undefined).join(' ');
    throw new ControlError(
      'unknown_token',
      `No code or token ${JSON.stringify(value)}${where ? ` (${where})` : ''} in this world; GET /__sandbox/tokens lists them.`,
    );
  }
  throw new ControlError(
    'ambiguous_token',
    `${JSON.stringify(value)} is ${matches.map((m) => `a ${m.platform} ${m.kind}`).join(' and ')}; add ?platform=<id>&kind=<kind> to pick one.`,
  );
}
