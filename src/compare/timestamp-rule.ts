import { parseLocal } from '../core/time/local-time.js';
import { zoneName } from '../core/time/timestamp-window.js';
import type { RecordingLine } from '../upstream/recording.js';

/** How an answer judged a request's timestamp: `code` names a refusal as the answer did (`code "10041"`). */
export interface TimestampVerdict {
  verdict: 'accepted' | 'refused';
  code?: string;
}

/**
 * What compare must know of a platform that checks a signed request's timestamp against its clock: where the
 * request carries it, in which layout, and how an answer says whether it passed. The fixture settings it
 * infers are the platform's own `timestampToleranceSeconds` and `utcOffsetMinutes`.
 */
export interface TimestampJudge {
  /** The timestamp the request sent, when the endpoint checks one. */
  sent(line: RecordingLine): string | undefined;
  /** `yyyyMMddHHmmss` (Mantun) rather than `yyyy-MM-dd HH:mm:ss`. */
  compact: boolean;
  /** Only a timestamp too old is refused (SOP lets a future one pass). */
  pastOnly: boolean;
  /**
   * Accepted: the answer is a success, or a refusal the platform checks after the timestamp (a token, a
   * business error). Refused: the timestamp refusal. Undefined: a refusal checked before it, which says nothing.
   */
  verdict(json: unknown, errorKindOf: (code: string) => string | undefined): TimestampVerdict | undefined;
}

/** The sandbox's rule while it replays: the platform's fixture values. */
export interface TimestampRule {
  toleranceSeconds: number;
  utcOffsetMinutes: number;
}

/** One exchange whose timestamp both sides judged. */
export interface TimestampObservation {
  sent: string;
  /** The exchange's recorded time: the real platform's clock then, and the sandbox's during the replay. */
  at: number;
  real: TimestampVerdict;
  sandbox: TimestampVerdict | undefined;
}

/** The observation of one exchange, when its endpoint checks a timestamp that reads as one and the real answer says how it judged it. */
export function observeTimestamp(
  judge: TimestampJudge,
  line: RecordingLine,
  realJson: unknown,
  sandboxJson: unknown,
  errorKindOf: (code: string) => string | undefined,
): TimestampObservation | undefined {
  const sent = judge.sent(line);
  if (sent === undefined || parseLocal(sent, 0, judge.compact) === undefined) return undefined;
  const real = judge.verdict(realJson, errorKindOf);
  if (!real) return undefined;
  return { sent, at: Date.parse(line.at), real, sandbox: judge.verdict(sandboxJson, errorKindOf) };
}

/** Whether the two sides judged the timestamp otherwise: then nothing else in the two answers is comparable. */
export const judgedOtherwise = (o: TimestampObservation): boolean => o.sandbox !== undefined && o.sandbox.verdict !== o.real.verdict;

/** An age to the second (a timestamp has no finer one): `11 min`, `2 min 30 s`, `8 h`. */
function age(seconds: number): string {
  const s = Math.floor(Math.abs(seconds));
  const [h, m, sec] = [Math.floor(s / 3600), Math.floor((s % 3600) / 60), s % 60];
  const parts = h ? [`${h} h`, m ? `${m} min` : ''] : m ? [`${m} min`, sec ? `${sec} s` : ''] : [`${sec} s`];
  return `${parts.filter(Boolean).join(' ')} ${seconds < 0 ? 'ahead' : 'old'}`;
}

/** Seconds the timestamp is older than the exchange, read in a time zone (negative: ahead). */
const ageIn = (judge: TimestampJudge, o: TimestampObservation, utcOffsetMinutes: number) =>
  (o.at - parseLocal(o.sent, utcOffsetMinutes, judge.compact)!) / 1000;

/** The `real` and `sandbox` texts of a timestamp line. */
export function timestampTexts(judge: TimestampJudge, o: TimestampObservation, rule: TimestampRule): { real: string; sandbox: string } {
  const said = (v: TimestampVerdict, what: string) => `${v.verdict} ${what}${v.code ? ` with ${v.code}` : ''}`;
  return {
    real: said(o.real, JSON.stringify(o.sent)),
    sandbox: `${said(o.sandbox!, 'it')} (${age(ageIn(judge, o, rule.utcOffsetMinutes))} in ${zoneName(rule.utcOffsetMinutes)})`,
  };
}

/** The usual windows, in seconds: what a platform's configuration most likely holds. */
const USUAL_WINDOWS = [60, 120, 180, 300, 600, 900, 1200, 1800, 3600, 7200, 43_200, 86_400];

/**
 * The time zone in which a timestamp the real platform accepted and the sandbox refused is the time of the
 * exchange: a client that works with the real platform stamps the platform's own time. A zone is a whole number
 * of quarter hours from UTC, read within a minute, and at least an hour from the sandbox's (a clock some minutes
 * off is a window's matter); undefined when no zone explains the timestamp.
 */
function zoneOf(judge: TimestampJudge, o: TimestampObservation, rule: TimestampRule): number | undefined {
  const asUtc = parseLocal(o.sent, 0, judge.compact)!;
  const offset = Math.round((asUtc - o.at) / 900_000) * 15;
  if (offset < -720 || offset > 840 || Math.abs(offset - rule.utcOffsetMinutes) < 60) return undefined;
  return Math.abs(asUtc - offset * 60_000 - o.at) <= 60_000 ? offset : undefined;
}

/**
 * The settings that make the sandbox judge every timestamp as the real platform did, from what it accepted and
 * refused. The zone first (a timestamp off by whole hours is a zone, not a slow clock), then the window read in
 * that zone: a recording only bounds it — at least the oldest timestamp accepted, less than the newest refused —
 * so compare proposes the widest usual window within those bounds, or, when nothing was refused, the narrowest
 * that admits all (0, no window, past a day). Undefined fields: that setting is right as it is, or nothing fits.
 */
export function inferTimestampRule(
  judge: TimestampJudge,
  observations: readonly TimestampObservation[],
  rule: TimestampRule,
): { utcOffsetMinutes?: number; toleranceSeconds?: number } {
  const out: { utcOffsetMinutes?: number; toleranceSeconds?: number } = {};
  const zones = observations.filter((o) => o.real.verdict === 'accepted' && o.sandbox?.verdict === 'refused').map((o) => zoneOf(judge, o, rule));
  if (zones.length && zones.every((z) => z !== undefined && z === zones[0])) out.utcOffsetMinutes = zones[0]!;
  const zone = out.utcOffsetMinutes ?? rule.utcOffsetMinutes;
  const measure = (o: TimestampObservation) => (judge.pastOnly ? Math.max(0, ageIn(judge, o, zone)) : Math.abs(ageIn(judge, o, zone)));
  const accepted = Math.max(0, ...observations.filter((o) => o.real.verdict === 'accepted').map(measure));
  const refused = Math.min(Infinity, ...observations.filter((o) => o.real.verdict === 'refused').map(measure));
  const admits = (window: number, seconds: number) => window === 0 || seconds <= window;
  if (admits(rule.toleranceSeconds, accepted) && (refused === Infinity || !admits(rule.toleranceSeconds, refused))) return out;
  if (accepted >= refused) return out;
  if (refused === Infinity) {
    out.toleranceSeconds = USUAL_WINDOWS.find((w) => w >= accepted) ?? 0;
    return out;
  }
  const widest = USUAL_WINDOWS.filter((w) => w >= accepted && w < refused).pop();
  const window = widest ?? Math.max(1, Math.ceil(accepted));
  if (window < refused) out.toleranceSeconds = window;
  return out;
}

/**
 * The setting a timestamp line names: the zone for a timestamp the zone explains, otherwise the window.
 */
export function timestampSetting(
  platform: string,
  judge: TimestampJudge,
  o: TimestampObservation,
  rule: TimestampRule,
  inferred: { utcOffsetMinutes?: number; toleranceSeconds?: number },
): { path: string[]; value: unknown } | undefined {
  if (inferred.utcOffsetMinutes !== undefined && o.real.verdict === 'accepted' && zoneOf(judge, o, rule) === inferred.utcOffsetMinutes)
    return { path: [platform, 'utcOffsetMinutes'], value: inferred.utcOffsetMinutes };
  if (inferred.toleranceSeconds !== undefined) return { path: [platform, 'timestampToleranceSeconds'], value: inferred.toleranceSeconds };
  return undefined;
}
