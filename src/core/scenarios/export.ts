import type { World } from '../world.js';
import { ReplayableRandom } from '../random/replayable-random.js';
import type { FaultRule } from './fault-rule-schema.js';
import type { Scenario, SeedToken } from './schema.js';
import { iso } from './time.js';

export interface ExportOptions {
  name?: string;
  /** The `$schema` line of the written file. */
  schemaRef?: string;
}

export const EXPORT_SCHEMA_REF = './node_modules/oauth-platform-sandbox/schemas/scenario.schema.json';

/**
 * A scenario file holding everything that decides the next answers: the composed policy, the clock,
 * the generator's position, every rule with its counters, every code and token, the platform data.
 * Loaded into a fresh sandbox with the same fixtures, the same calls get the same answers.
 */
export async function exportScenario(world: World, opts: ExportOptions = {}): Promise<Scenario> {
  const runtime = world.scenarios;
  const now = world.clock.now();
  const active = runtime.active.map((l) => l.name);
  const out: Scenario = {
    $schema: opts.schemaRef ?? EXPORT_SCHEMA_REF,
    name: opts.name ?? `export-${world.id}`,
    description: `State of ${world.id === 'default' ? 'the sandbox' : `session ${world.id}`} at ${iso(now)}${active.length ? `, scenarios ${active.join(', ')}` : ', fixtures only'}. Load it (--scenario FILE or PUT /__sandbox/scenario) into a sandbox with the same fixtures to get the same answers.`,
  };
  const platforms = world.overrides.platforms ?? {};
  if (Object.keys(platforms).length) out.platforms = Object.fromEntries(Object.entries(platforms).map(([id, policy]) => [id, { policy }]));
  out.clock = { start: iso(now), rate: world.clock.rate };
  if (world.random instanceof ReplayableRandom) out.random = { seed: world.random.seed, draws: world.random.draws };
  const faults: FaultRule[] = runtime.rules.map((r) => ({ ...r.rule, id: r.label, progress: { calls: r.calls, fired: r.fired, armedAt: iso(r.armedAt) } }));
  if (faults.length) out.faults = faults;
  const tokens: SeedToken[] = [];
  for (const rec of await world.tokens.list()) {
    const t: SeedToken = {
      platform: rec.platform,
      kind: rec.kind,
      value: rec.value,
      appId: rec.appId,
      subject: rec.subject,
      issuedAt: iso(rec.issuedAt),
      expiresAt: rec.expiresAt === null ? null : iso(rec.expiresAt),
      ttl: rec.ttl,
      family: rec.family,
    };
    if (rec.scopes) t.scopes = [...rec.scopes];
    if (rec.usedAt !== undefined) t.usedAt = iso(rec.usedAt);
    if (rec.revokedAt !== undefined) t.revokedAt = iso(rec.revokedAt);
    if (rec.revokedReason) t.revokedReason = rec.revokedReason;
    if (rec.graceUntil !== undefined) t.graceUntil = iso(rec.graceUntil);
    if (rec.pair) t.pair = rec.pair;
    if (rec.replacedBy) t.replacedBy = rec.replacedBy;
    if (rec.data) t.data = structuredClone(rec.data);
    tokens.push(t);
  }
  out.state = { tokens, platformState: structuredClone(await world.allState()) };
  return out;
}
