import type { AnyPlatform } from '../platform.js';
import type { LoadIssue } from '../validation/load-error.js';
import type { FaultRule } from './fault-rule-schema.js';
import type { Scenario } from './schema.js';

const list = (v: string | string[] | undefined): string[] | undefined => (v === undefined ? undefined : Array.isArray(v) ? v : [v]);
const quoted = (names: Iterable<string>): string => [...names].map((n) => `"${n}"`).join(', ');

/**
 * What the schema cannot know: that platform ids, endpoint names, tags and error kinds exist in this
 * sandbox. A typo here would otherwise give a rule that silently never fires.
 */
export function checkScenario(scenario: Scenario, platforms: readonly AnyPlatform[], file: string): LoadIssue[] {
  const byId = new Map(platforms.map((p) => [p.id, p]));
  const issues: LoadIssue[] = [];
  const issue = (path: string, message: string) => issues.push({ file, path, message });
  const known = (id: string, path: string): boolean => {
    if (byId.has(id)) return true;
    issue(path, `unknown platform "${id}"; platforms: ${[...byId.keys()].join(', ')}`);
    return false;
  };

  for (const id of Object.keys(scenario.platforms ?? {})) known(id, `platforms.${id}`);
  scenario.faults?.forEach((rule, i) => checkRule(rule, `faults[${i}]`, byId, issue, known));
  scenario.state?.tokens?.forEach((t, i) => known(t.platform, `state.tokens[${i}].platform`));
  for (const id of Object.keys(scenario.state?.platformState ?? {})) known(id, `state.platformState.${id}`);
  return issues;
}

function checkRule(
  rule: FaultRule,
  at: string,
  byId: Map<string, AnyPlatform>,
  issue: (path: string, message: string) => void,
  known: (id: string, path: string) => boolean,
): void {
  const named = list(rule.platform);
  named?.forEach((id, j) => known(id, Array.isArray(rule.platform) ? `${at}.platform[${j}]` : `${at}.platform`));
  const error = rule.respond.error;
  const errorMap = typeof error === 'object' ? error : undefined;
  // The platforms this rule can reach: those named, narrowed by a per-platform error map.
  let targets = (named ?? [...byId.keys()]).filter((id) => byId.has(id));
  if (errorMap) targets = targets.filter((id) => id in errorMap);
  const targetDefs = targets.map((id) => byId.get(id)!);

  for (const name of list(rule.endpoint) ?? []) {
    if (!targetDefs.some((p) => p.endpoints.some((e) => e.name === name))) {
      const names = new Set(targetDefs.flatMap((p) => p.endpoints.map((e) => e.name)));
      issue(`${at}.endpoint`, `no endpoint named "${name}"${named ? ` on ${named.join(', ')}` : ''}; endpoints: ${quoted(names)}`);
    }
  }
  for (const tag of list(rule.tag) ?? []) {
    const tags = new Set(
      targetDefs.flatMap((p) => [...p.endpoints.flatMap((e) => e.tags ?? []), ...Object.values(p.methodTags ?? {}).flat(), ...(p.paramTags?.tags ?? [])]),
    );
    if (!tags.has(tag)) issue(`${at}.tag`, `no endpoint or method is tagged "${tag}"; tags: ${quoted(tags)}`);
  }

  if (typeof error === 'string') {
    if (!named) {
      issue(
        `${at}.respond.error`,
        `error kinds belong to one platform's catalogue: add "platform" to the rule, or give one kind per platform ({"mantun": "${error}"})`,
      );
      return;
    }
    for (const p of targetDefs) checkKind(p, error, `${at}.respond.error`, issue);
  } else if (errorMap) {
    for (const [id, kind] of Object.entries(errorMap)) {
      if (known(id, `${at}.respond.error.${id}`)) checkKind(byId.get(id)!, kind, `${at}.respond.error.${id}`, issue);
    }
  }
}

function checkKind(p: AnyPlatform, kind: string, path: string, issue: (path: string, message: string) => void): void {
  if (!p.errors.kinds.includes(kind)) issue(path, `"${kind}" is not in ${p.id}'s error catalogue; kinds: ${p.errors.kinds.join(', ')}`);
}
