import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadFixtures } from '../core/fixtures/loader.js';
import { startSandbox } from '../in-process/start.js';
import { PLATFORMS } from '../platforms/index.js';
import type { RecordingLine } from '../upstream/recording.js';
import type { Difference } from './difference.js';
import { compareOrder } from './field-order.js';
import { compareJson, jsonText, type ShapeDifference } from './json-shape.js';
import { mantunReplay } from './mantun-replay.js';
import { overlayOf } from './overlay.js';
import { sopReplay } from './sop-replay.js';
import { kindOfText, usercenterReplay } from './usercenter-replay.js';
import { zjrcReplay } from './zjrc-replay.js';
import type { PlatformReplay, SandboxAnswer } from './platform-replay.js';
import {
  inferTimestampRule,
  judgedOtherwise,
  observeTimestamp,
  timestampSetting,
  timestampTexts,
  type TimestampJudge,
  type TimestampObservation,
  type TimestampRule,
} from './timestamp-rule.js';
import { isRandomByNature } from './value-format.js';

/** The sandbox's timestamp rule for a platform, from its loaded fixture (the platform's schema filled in its defaults). */
const ruleOf = (fixture: unknown): TimestampRule => {
  const f = fixture as { timestampToleranceSeconds: number; utcOffsetMinutes: number };
  return { toleranceSeconds: f.timestampToleranceSeconds, utcOffsetMinutes: f.utcOffsetMinutes };
};

/** The platforms compare can re-drive (the others' lines are listed as not compared). */
export const REPLAYS: readonly PlatformReplay[] = [mantunReplay, sopReplay, usercenterReplay, zjrcReplay];

export interface CompareOptions {
  fixtures?: string[];
  builtinFixtures?: boolean;
}

export interface CompareResult {
  differences: Difference[];
  /** Lines not compared, and why (a platform compare cannot re-drive yet, no answer recorded). */
  skipped: { seq: number; platform: string; endpoint: string; why: string }[];
}

const mediaType = (contentType: string) => contentType.toLowerCase().replace(/\s+/g, '');
const header = (headers: readonly [string, string][], name: string) => headers.find(([n]) => n.toLowerCase() === name)?.[1];

function parse(contentType: string, text: string): unknown {
  if (!/json/i.test(contentType) && !/^\s*[{[]/.test(text)) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** A redirect's target as a client reads it: where it goes, and each query parameter (a code by its format). */
function locationParts(location: string | undefined): Record<string, unknown> | undefined {
  if (location === undefined) return undefined;
  try {
    const url = new URL(location);
    return { target: `${url.origin}${url.pathname}`, ...Object.fromEntries(url.searchParams) };
  } catch {
    return { target: location };
  }
}

/** The HTTP statuses a proxy or load balancer in front of a platform answers when the platform is down. */
const GATEWAY_DOWN = new Set([502, 503, 504]);

/** How a recorded answer says the platform was busy or down (`HTTP 503`, `code "10099"`), or undefined. */
function busyAnswer(replay: PlatformReplay, line: RecordingLine, kindOf: (code: string) => string | undefined): string | undefined {
  if (line.response && GATEWAY_DOWN.has(line.response.status)) return `HTTP ${line.response.status}`;
  return replay.busy?.(line, kindOf);
}

/** Every string leaf at the same path in both answers: a random value the real platform issued → the sandbox's. */
function learn(real: unknown, sandbox: unknown, swaps: Map<string, string>, key = ''): void {
  if (typeof real === 'string' && typeof sandbox === 'string') {
    const inner = [jsonText(real), jsonText(sandbox)];
    if (inner[0] !== undefined && inner[1] !== undefined) learn(inner[0], inner[1], swaps);
    else if (real !== sandbox && isRandomByNature(key, real)) swaps.set(real, sandbox);
    return;
  }
  if (real && sandbox && typeof real === 'object' && typeof sandbox === 'object')
    for (const [k, v] of Object.entries(real)) learn(v, (sandbox as Record<string, unknown>)[k], swaps, k);
}

/** The path of the line for a timestamp the two sides judged otherwise. */
const TIMESTAMP_PATH = 'timestamp';

/**
 * Replays a recording against a fresh in-process sandbox: the recording's apps and users are put in with known
 * test credentials, each request re-signed, each code and token mapped to the one the sandbox issued at the same
 * step, the clock set to each exchange's recorded time. Returns what a client would notice differently.
 *
 * An exchange whose timestamp the two sides judged otherwise shows nothing else (one refused before looking
 * further), so when the replay finds timestamp settings it plays the recording again with them: the `timestamp`
 * lines come from the first replay, every other line from the second, and all is found in one comparison.
 */
export async function compareRecording(lines: readonly RecordingLine[], options: CompareOptions = {}): Promise<CompareResult> {
  const first = await replayRecording(lines, options);
  const isTimestamp = (d: Difference) => d.path === TIMESTAMP_PATH;
  const settings = overlayOf(first.byLine.flat().filter(isTimestamp));
  if (Object.keys(settings).length === 0) return { differences: first.byLine.flat(), skipped: first.skipped };
  const dir = mkdtempSync(join(tmpdir(), 'sandbox-compare-'));
  try {
    const file = join(dir, 'timestamp-settings.json');
    writeFileSync(file, JSON.stringify(settings));
    const second = await replayRecording(lines, { ...options, fixtures: [...(options.fixtures ?? []), file] });
    const differences = first.byLine.flatMap((mine, i) => {
      const timestamp = mine.filter(isTimestamp);
      const again = second.byLine[i] ?? [];
      return [...(timestamp.length ? timestamp : again.filter(isTimestamp)), ...again.filter((d) => !isTimestamp(d))];
    });
    return { differences, skipped: first.skipped };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One replay: the differences of each line of the recording (in its order), and the lines not compared. */
async function replayRecording(
  lines: readonly RecordingLine[],
  options: CompareOptions,
): Promise<{ byLine: Difference[][]; skipped: CompareResult['skipped'] }> {
  const replays = new Map(REPLAYS.map((r) => [r.platform, r]));
  const overlay: Record<string, unknown> = {};
  for (const r of REPLAYS) {
    const section = r.credentials(lines);
    if (section) overlay[r.platform] = section;
  }
  const dir = mkdtempSync(join(tmpdir(), 'sandbox-compare-'));
  const credentials = join(dir, 'recorded-credentials.json');
  writeFileSync(credentials, JSON.stringify(overlay));
  const fixtures = [...(options.fixtures ?? []), credentials];
  const { data } = await loadFixtures(PLATFORMS, fixtures, options.builtinFixtures ?? true);
  const sb = await startSandbox({ port: 0, host: '127.0.0.1', fixtures, builtinFixtures: options.builtinFixtures ?? true, seed: 'compare' });
  const result = { byLine: lines.map((): Difference[] => []), skipped: [] as CompareResult['skipped'] };
  const swaps = new Map<string, string>();
  const observations = new Map<string, TimestampObservation[]>();
  const timestampLines: { difference: Difference; judge: TimestampJudge; observation: TimestampObservation; rule: TimestampRule }[] = [];
  try {
    for (const [index, line] of lines.entries()) {
      const differences = result.byLine[index]!;
      const replay = replays.get(line.platform);
      const skip = (why: string) => result.skipped.push({ seq: line.seq, platform: line.platform, endpoint: line.endpoint, why });
      if (!replay) {
        skip(`compare does not re-drive ${line.platform} yet`);
        continue;
      }
      if (!line.response) {
        skip(`no answer was recorded (${line.upstream.error ?? 'the platform did not answer'})`);
        continue;
      }
      const errorKinds = replay.errorKinds((data as Record<string, unknown>)[line.platform]);
      const kindOf = (code: string) => kindOfText(errorKinds, code);
      const busy = busyAnswer(replay, line, kindOf);
      if (busy) {
        // A platform that is down or overloaded did not handle the request: played again, it would only look like a difference.
        skip(`the platform answered that it was busy (${busy}), not how it handles this request`);
        continue;
      }
      sb.clock.set(Date.parse(line.at));
      let unknown = false;
      const swap = (value: string) => {
        const known = swaps.get(value);
        if (known !== undefined) return known;
        // A code or token the sandbox never issued: what it answers then says nothing of its behaviour.
        if (isRandomByNature('code', value) && /^[0-9a-fA-F-]{32,36}$/.test(value)) unknown = true;
        return value;
      };
      const req = replay.request({ line, swap });
      // Under the platform's own prefix: paths below different platforms' bases may be the same (`/oauth/authorize`).
      const res = await fetch(`${sb.url.replace(/\/$/, '')}/${line.platform}${req.path}`, {
        method: req.method,
        headers: req.headers,
        redirect: 'manual',
        signal: AbortSignal.timeout(10_000),
        ...(req.body !== undefined && req.method !== 'GET' && req.method !== 'HEAD' ? { body: req.body } : {}),
      });
      const text = await res.text();
      const contentType = res.headers.get('content-type') ?? '';
      const answer: SandboxAnswer = { status: res.status, contentType, text, json: parse(contentType, text) };
      const recorded = line.response.body;
      const realJson = recorded && 'json' in recorded ? recorded.json : undefined;
      if (realJson !== undefined && answer.json !== undefined) learn(realJson, answer.json, swaps);

      const found: ShapeDifference[] = [];
      if (line.response.status !== answer.status)
        found.push({ path: 'status', real: String(line.response.status), sandbox: String(answer.status), realValue: line.response.status, about: 'value' });
      const realType = header(line.response.headers, 'content-type') ?? '';
      if (mediaType(realType) !== mediaType(contentType))
        found.push({ path: 'content-type', real: realType || 'missing', sandbox: contentType || 'missing', about: 'value' });
      const realLocation = header(line.response.headers, 'location');
      const sandboxLocation = res.headers.get('location') ?? undefined;
      if (realLocation !== undefined || sandboxLocation !== undefined) {
        const real = locationParts(realLocation);
        const mine = locationParts(sandboxLocation);
        learn(real, mine, swaps);
        found.push(...compareJson(real, mine, 'location'));
      }
      if (realJson !== undefined && answer.json !== undefined) {
        found.push(...compareJson(realJson, answer.json));
        for (const keys of replay.orderedObjects?.(realJson) ?? []) {
          const order = compareOrder(realJson, answer.json, keys);
          if (order) found.push(order);
        }
      } else if (recorded && 'text' in recorded && recorded.text !== text)
        found.push({ path: 'body', real: JSON.stringify(recorded.text), sandbox: JSON.stringify(text), about: 'value' });
      else if (realJson !== undefined) found.push({ path: 'body', real: 'JSON', sandbox: JSON.stringify(text.slice(0, 200)), about: 'shape' });
      const judged = replay.timestamp && observeTimestamp(replay.timestamp, line, realJson, answer.json, kindOf);
      if (judged) observations.set(line.platform, [...(observations.get(line.platform) ?? []), judged]);
      if (judged && judgedOtherwise(judged)) {
        // One side refused the timestamp and the other went on: the rest of the two answers follows from that alone.
        const rule = ruleOf((data as Record<string, unknown>)[line.platform]);
        const difference: Difference = {
          kind: 'behaviour',
          platform: line.platform,
          endpoint: line.endpoint,
          ...(line.apiMethod !== undefined ? { apiMethod: line.apiMethod } : {}),
          seq: line.seq,
          path: TIMESTAMP_PATH,
          ...timestampTexts(replay.timestamp!, judged, rule),
        };
        differences.push(difference);
        timestampLines.push({ difference, judge: replay.timestamp!, observation: judged, rule });
        continue;
      }
      for (const f of found) {
        const setting = replay.setting(line, f, answer, kindOf);
        const why = setting
          ? undefined
          : unknown
            ? 'the request carried a code or token the recording never showed issued (before the recording began?)'
            : f.about === 'value' && replay.isAccountData(line, f.path)
              ? 'data of the real account'
              : undefined;
        differences.push({
          kind: why ? 'data' : 'behaviour',
          platform: line.platform,
          endpoint: line.endpoint,
          ...(line.apiMethod !== undefined ? { apiMethod: line.apiMethod } : {}),
          seq: line.seq,
          path: f.path,
          real: f.real,
          sandbox: f.sandbox,
          ...(why ? { why } : {}),
          ...(setting ? { setting } : {}),
        });
      }
    }
    // The window and zone are read from every timestamp the platform judged, so each line names the same value.
    for (const { difference, judge, observation, rule } of timestampLines) {
      const inferred = inferTimestampRule(judge, observations.get(difference.platform) ?? [], rule);
      const setting = timestampSetting(difference.platform, judge, observation, rule, inferred);
      if (setting) difference.setting = setting;
    }
  } finally {
    await sb.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return result;
}
