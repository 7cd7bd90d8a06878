import type { Exchange } from '../../../src/core/http/exchange.js';
import { CompiledRule, RequestFacts } from '../../../src/core/scenarios/faults.js';
import type { FaultRule } from '../../../src/core/scenarios/schema.js';

/** Which calls a fault rule matches (platform, endpoint, business method, tag) and on which of them it fires. */

const T0 = Date.UTC(2026, 0, 1);
const respond = { status: 503 } as const;
const compile = (rule: Omit<FaultRule, 'respond'> & { respond?: FaultRule['respond'] }, now = T0) =>
  new CompiledRule({ respond, ...rule } as FaultRule, 'scn', 0, now, 'world-seed');

/** A call as the fault interceptor sees it: what the rule asks of it, nothing more. */
function call(platform: string, endpoint: string, opts: { tags?: string[]; method?: string; methodTags?: Record<string, string[]> } = {}): Exchange {
  return {
    platform: { id: platform, methodTags: opts.methodTags },
    endpoint: { name: endpoint, tags: opts.tags },
    apiMethod: opts.method,
  } as unknown as Exchange;
}
const matches = (rule: CompiledRule, ex: Exchange) => rule.matches(ex, new RequestFacts(ex));
/** Fire pattern over the first n calls, each at time `now`. */
const pattern = (rule: CompiledRule, n: number, now = T0) => Array.from({ length: n }, () => (rule.count(now) ? ((rule.fired += 1), 1) : 0));

describe('matching', () => {
  test('a rule without filters matches every call', () => {
    expect(matches(compile({}), call('mantun', 'token.as'))).toBe(true);
  });

  test('platform: one or several', () => {
    expect(matches(compile({ platform: 'sop' }), call('mantun', 'token.as'))).toBe(false);
    expect(matches(compile({ platform: ['sop', 'mantun'] }), call('mantun', 'token.as'))).toBe(true);
  });

  test("an error given per platform also filters by platform, within the rule's own platform filter", () => {
    const perPlatform = compile({ respond: { error: { sop: 'system_error', zjrc: 'system_error' } } });
    expect([...perPlatform.platformFilter!].sort()).toEqual(['sop', 'zjrc']);
    expect(matches(perPlatform, call('mantun', 'token.as'))).toBe(false);
    expect(matches(perPlatform, call('zjrc', 'gateway'))).toBe(true);
    const narrowed = compile({ platform: 'sop', respond: { error: { sop: 'system_error', zjrc: 'system_error' } } });
    expect([...narrowed.platformFilter!]).toEqual(['sop']);
  });

  test('endpoint, by name', () => {
    const rule = compile({ endpoint: ['token.as', 'refresh.as'] });
    expect(matches(rule, call('mantun', 'refresh.as'))).toBe(true);
    expect(matches(rule, call('mantun', 'router.as'))).toBe(false);
  });

  test('method: only calls that name that business method (a call naming none does not match)', () => {
    const rule = compile({ method: 'GET_PROJECTS' });
    expect(matches(rule, call('mantun', 'router.as', { method: 'GET_PROJECTS' }))).toBe(true);
    expect(matches(rule, call('mantun', 'router.as', { method: 'GET_BOXES' }))).toBe(false);
    expect(matches(rule, call('mantun', 'router.as'))).toBe(false);
  });

  test("tag: any of the rule's tags, on the endpoint or on the business method behind a gateway", () => {
    const rule = compile({ tag: ['refresh', 'authorize'] });
    expect(matches(rule, call('mantun', 'refresh.as', { tags: ['oauth', 'refresh'] }))).toBe(true);
    expect(matches(rule, call('sop', 'gateway', { tags: ['signed'] }))).toBe(false);
    const gateway = { tags: ['signed'], methodTags: { 'open.auth.token.refresh': ['refresh'] } };
    expect(matches(rule, call('sop', 'gateway', { ...gateway, method: 'open.auth.token.refresh' }))).toBe(true);
    expect(matches(rule, call('sop', 'gateway', { ...gateway, method: 'open.other' }))).toBe(false);
  });

  test('every filter must hold', () => {
    const rule = compile({ platform: 'mantun', endpoint: 'router.as', method: 'GET_PROJECTS' });
    expect(matches(rule, call('mantun', 'router.as', { method: 'GET_PROJECTS' }))).toBe(true);
    expect(matches(rule, call('sop', 'router.as', { method: 'GET_PROJECTS' }))).toBe(false);
  });
});

describe('firing', () => {
  test('with no condition it fires on every call', () => {
    expect(pattern(compile({}), 3)).toEqual([1, 1, 1]);
  });

  test('nth, every and first', () => {
    expect(pattern(compile({ nth: 3 }), 6)).toEqual([0, 0, 1, 0, 0, 0]);
    expect(pattern(compile({ every: 2 }), 6)).toEqual([0, 1, 0, 1, 0, 1]);
    expect(pattern(compile({ first: 2 }), 4)).toEqual([1, 1, 0, 0]);
  });

  test('times caps the fires, counted apart from the calls', () => {
    expect(pattern(compile({ every: 2, times: 2 }), 8)).toEqual([0, 1, 0, 1, 0, 0, 0, 0]);
  });

  test('after: a duration counts from when the rule was armed; an ISO instant is absolute', () => {
    const relative = compile({ after: '30s' });
    expect(relative.count(T0 + 29_999)).toBe(false);
    expect(relative.count(T0 + 30_000)).toBe(true);
    const absolute = compile({ after: '2026-01-01T00:01:00Z' });
    expect(absolute.count(T0 + 59_999)).toBe(false);
    expect(absolute.count(T0 + 60_000)).toBe(true);
  });

  test('probability: the n-th draw depends on the seed and n alone, so a rule compiled again fires on the same calls', () => {
    const a = pattern(compile({ probability: 0.3, seed: 's' }), 200);
    const b = pattern(compile({ probability: 0.3, seed: 's' }), 200);
    expect(a).toEqual(b);
    const fires = a.filter(Boolean).length;
    expect(fires).toBeGreaterThan(30);
    expect(fires).toBeLessThan(90);
    expect(pattern(compile({ probability: 0.3, seed: 'other' }), 200)).not.toEqual(a);
    expect(pattern(compile({ probability: 0 }), 20)).toEqual(Array(20).fill(0));
    expect(pattern(compile({ probability: 1 }), 20)).toEqual(Array(20).fill(1));
  });

  test('progress from an export: counting goes on where it stopped, from the time it was armed', () => {
    const rule = compile({ nth: 5, times: 1, after: '1m', progress: { calls: 3, fired: 0, armedAt: '2025-12-31T23:59:00Z' } });
    expect([rule.calls, rule.fired, rule.armedAt]).toEqual([3, 0, T0 - 60_000]);
    expect(pattern(rule, 3)).toEqual([0, 1, 0]);
  });
});

test("labels: the rule's id, or the scenario and the rule's place in it (1-based)", () => {
  expect(compile({ id: 'named' }).label).toBe('named');
  expect(new CompiledRule({ respond } as FaultRule, 'scn', 2, T0, 'w').label).toBe('scn#3');
  expect(new CompiledRule({ respond } as FaultRule, 'scn', 2, T0, 'w').key).toBe('scn#2');
});
