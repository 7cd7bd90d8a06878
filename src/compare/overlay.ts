import type { Difference } from './difference.js';

/** The fixture overlay holding exactly the settings the differences name: one object, settings merged by path. */
export function overlayOf(differences: readonly Difference[]): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const { setting } of differences) {
    if (!setting) continue;
    let at = root;
    for (const key of setting.path.slice(0, -1)) at = (at[key] ??= {}) as Record<string, unknown>;
    const last = setting.path[setting.path.length - 1]!;
    const current = at[last];
    at[last] = current && typeof current === 'object' && setting.value && typeof setting.value === 'object' ? { ...current, ...setting.value } : setting.value;
  }
  return root;
}
