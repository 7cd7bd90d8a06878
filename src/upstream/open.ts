import { readFileSync } from 'node:fs';
import type { ResolvedOptions } from '../core/config/sandbox-options.js';
import type { AnyPlatform } from '../core/platform.js';
import { PassThrough, type PassThroughOptions } from './pass-through.js';
import { Recorder } from './recording.js';
import { Shadow } from './shadow.js';
import { parseUpstreamTargets } from './targets.js';

/** What the pass-through takes from the sandbox it stands in front of. */
export type SandboxParts = Pick<PassThroughOptions, 'routes' | 'resolveWorld' | 'journal' | 'logger'>;

/**
 * Check the pass-through options (`--upstream`, `--upstream-ca`, `--record`, `--shadow`) before the sandbox opens
 * anything, and give back what builds the pass-through once the sandbox is there. A bad value throws
 * with the option it concerns and what would work.
 */
export function preparePassThrough(options: ResolvedOptions, platforms: readonly AnyPlatform[]): (parts: SandboxParts) => PassThrough {
  if (options.upstream.length === 0) {
    const lone = options.record ? '--record' : options.upstreamCa ? '--upstream-ca' : options.shadow ? '--shadow' : undefined;
    if (lone) throw new Error(`${lone} works with --upstream <platform>=<base URL> only: it concerns the exchanges forwarded to a real platform.`);
  }
  const targets = parseUpstreamTargets(
    options.upstream,
    platforms.map((p) => p.id),
  );
  let ca: string | undefined;
  if (options.upstreamCa) {
    try {
      ca = readFileSync(options.upstreamCa, 'utf8');
    } catch (e) {
      throw new Error(`--upstream-ca ${options.upstreamCa}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}).`);
    }
    if (!ca.includes('-----BEGIN CERTIFICATE-----'))
      throw new Error(`--upstream-ca ${options.upstreamCa}: not a PEM certificate (no "-----BEGIN CERTIFICATE-----" line).`);
  }
  const recorder = options.record ? new Recorder(options.record) : undefined;
  return (parts) => {
    for (const [id, url] of targets) parts.logger.info(`${id}: forwarded to ${url.href}${recorder ? `, recorded to ${options.record}` : ''}`);
    const shadow = options.shadow ? new Shadow({ fixtures: options.fixtures, builtinFixtures: options.builtinFixtures, logger: parts.logger }) : undefined;
    return new PassThrough({ ...parts, targets, timeoutMs: options.upstreamTimeout, ca, recorder, shadow });
  };
}
