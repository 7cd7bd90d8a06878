import { mergeOverride, type PolicyOverride, type PolicyOverrides } from '../tokens/policy.js';
import type { Scenario } from './schema.js';

/**
 * The policy overrides of several scenarios, later ones winning field by field. Resolved per platform
 * (each layer's `policy`, then its `platforms.<id>.policy`) so that a later scenario's rule for every
 * platform beats an earlier one's rule for one platform, as "later overrides earlier" promises.
 */
export function composeOverrides(layers: readonly Scenario[], platformIds: readonly string[]): PolicyOverrides {
  const platforms: Record<string, PolicyOverride> = {};
  for (const id of platformIds) {
    let acc: PolicyOverride | undefined;
    for (const s of layers) acc = mergeOverride(mergeOverride(acc, s.policy), s.platforms?.[id]?.policy);
    if (acc && Object.keys(acc).length) platforms[id] = acc;
  }
  return Object.keys(platforms).length ? { platforms } : {};
}
