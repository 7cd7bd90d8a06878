import type { JournalEntry } from '../core/journal.js';
import type { TokenRecord } from '../core/state/token-record.js';
import { JournalSearch, type Searchable } from './journal-search.js';
import { tokenView, type TokenView } from './views.js';

/**
 * A token family's story: every step of every member (issued, used, rotated, grace, expired, revoked,
 * presented) on the sandbox clock, each linked to the journal request that caused it and the scenario rule
 * that shaped that request's answer.
 *
 * Token records carry times, not request ids (the journal numbers an exchange only once it is answered), so
 * the links are found in the journal: a value issued is in the answer of the request that issued it, a value
 * spent is in the parameters of the request that spent it, at the time the record says. Tokens are 128
 * random bits, so a value found in an exchange is that token; the time settles which of several requests that
 * carried it did the deed.
 */

export const STORY_EVENTS = ['issued', 'used', 'rotated', 'grace', 'expired', 'revoked', 'presented'] as const;
export type StoryEvent = (typeof STORY_EVENTS)[number];

/** The journal request a step links to, as the Requests list shows it. */
export interface StoryRequest {
  id: number;
  time: number;
  method: string;
  path: string;
  endpoint: string;
  apiMethod?: string;
  status: number;
  rule?: string;
}

export interface StoryStep {
  /** Sandbox epoch ms. */
  at: number;
  event: StoryEvent;
  kind: TokenRecord['kind'];
  value: string;
  /** One line a person reads: what happened and why. */
  text: string;
  request?: StoryRequest;
  /** The scenario fault rule that shaped the linked request's answer. */
  rule?: string;
}

export interface TokenStory {
  token: { platform: string; kind: TokenRecord['kind']; value: string };
  family: string;
  now: number;
  /** Every code and token of the family, in issue order, with its state now. */
  members: TokenView[];
  steps: StoryStep[];
  /** Requests that presented a value beyond this many per member are left out (a load test presents one token thousands of times). */
  presentedLimit: number;
  /** The oldest journal id the story could search; older requests have left the bounded journal. */
  journalFrom?: number;
}

const PRESENTED_LIMIT = 20;
/**
 * How long (sandbox ms) after a record's time the request that set it may have been journaled: the journal
 * stamps an exchange when it is answered, at or after every change it made.
 */
const SLACK_MS = 1000;
/** At one moment of one request, cause before effect: a code or refresh token is spent, then its successors are issued. */
const ORDER: Record<StoryEvent, number> = { used: 0, rotated: 1, issued: 2, presented: 3, grace: 4, revoked: 5, expired: 6 };

function requestOf(e: JournalEntry): StoryRequest {
  const out: StoryRequest = { id: e.id, time: e.time, method: e.method, path: e.path, endpoint: e.endpoint, status: e.status };
  if (e.apiMethod) out.apiMethod = e.apiMethod;
  if (e.rule) out.rule = e.rule;
  return out;
}

/** `members`: the family in issue order; `entries`: the journal of the family's world, any order. */
export function buildTokenStory(target: TokenRecord, members: readonly TokenRecord[], entries: readonly JournalEntry[], now: number): TokenStory {
  const journal = new JournalSearch(
    entries.filter((e) => e.platform === target.platform || e.platform === ''),
    members.map((m) => m.value),
  );
  const sentWith = (value: string) => journal.sentWith(value);
  const answeredWith = (value: string) => journal.firstAnswerWith(value);
  /**
   * Of the requests that could have made a change at `at`: those answered at or after it (a request answered
   * before cannot have made it), the one with evidence first, then the first answered (ids follow answers).
   * On a frozen clock every request has the same time, and the evidence and the order decide.
   */
  const pick = (candidates: readonly Searchable[], at: number, evidence: (j: Searchable) => boolean = () => false): Searchable | undefined => {
    const after = candidates.filter((j) => j.entry.time >= at - 1 && j.entry.time <= at + SLACK_MS);
    after.sort((a, b) => Number(evidence(b)) - Number(evidence(a)) || a.entry.id - b.entry.id);
    return after[0];
  };

  const steps: StoryStep[] = [];
  const linked = new Map<string, Set<number>>();
  const step = (rec: TokenRecord, at: number, event: StoryEvent, text: string, cause?: Searchable) => {
    const s: StoryStep = { at, event, kind: rec.kind, value: rec.value, text };
    if (cause) {
      s.request = requestOf(cause.entry);
      if (cause.entry.rule) s.rule = cause.entry.rule;
      let ids = linked.get(rec.value);
      if (!ids) linked.set(rec.value, (ids = new Set()));
      ids.add(cause.entry.id);
    }
    steps.push(s);
    return s;
  };

  // Issued: the first answer that carried the value. Spent: the request that carried it at the time the record says.
  const issuedBy = new Map<string, Searchable | undefined>();
  for (const m of members) issuedBy.set(m.value, answeredWith(m.value));
  const spentBy = new Map<string, Searchable | undefined>();
  for (const m of members) {
    if (m.usedAt === undefined) continue;
    // Evidence: the answer carries what it was spent for (the pair of a code, the successor of a refresh token).
    const products = members.filter((o) => o.value !== m.value && o.issuedAt >= m.usedAt! && o.issuedAt <= m.usedAt! + SLACK_MS).map((o) => o.value);
    spentBy.set(
      m.value,
      pick(sentWith(m.value), m.usedAt, (j) => products.some((p) => j.answers.has(p))),
    );
  }
  /**
   * A member no answer carried (the response was lost, or has left the journal) was issued by the refresh that
   * replaced its predecessor: the request that spent the refresh token replaced by it (or by its pair), or,
   * without rotation, the request that presented its pair.
   */
  const lostIssuer = (m: TokenRecord): Searchable | undefined => {
    for (const v of [m.value, m.pair]) {
      const predecessor = v === undefined ? undefined : members.find((o) => o.replacedBy === v);
      if (predecessor) return spentBy.get(predecessor.value);
    }
    return m.pair ? pick(sentWith(m.pair), m.issuedAt) : undefined;
  };
  /** The request that issued a member's successor (the next of its kind): the refresh that put it in grace or revoked it. */
  const replacedBy = (m: TokenRecord): Searchable | undefined => {
    const next = members.slice(members.indexOf(m) + 1).find((o) => o.kind === m.kind);
    return next && (issuedBy.get(next.value) ?? lostIssuer(next));
  };

  for (const m of members) {
    const issuer = issuedBy.get(m.value);
    const lifetime = m.ttl === null ? 'never expires' : `lifetime ${formatSeconds(m.ttl)}`;
    if (issuer) step(m, m.issuedAt, 'issued', `${m.kind} issued for ${m.subject} (${lifetime})`, issuer);
    else step(m, m.issuedAt, 'issued', `${m.kind} issued for ${m.subject} (${lifetime}); no answer in the journal carried it`, lostIssuer(m));

    if (m.usedAt !== undefined) {
      const cause = spentBy.get(m.value);
      if (m.kind === 'code') step(m, m.usedAt, 'used', 'code exchanged for tokens', cause);
      else if (m.replacedBy) step(m, m.usedAt, 'rotated', `refresh token spent and replaced by ${short(m.replacedBy)}`, cause);
      else step(m, m.usedAt, 'used', `${m.kind} spent`, cause);
    }
  }

  for (const m of members) {
    const next = members.slice(members.indexOf(m) + 1).find((o) => o.kind === m.kind);
    if (m.graceUntil !== undefined && next) {
      step(m, next.issuedAt, 'grace', `a refresh replaced it; it keeps working until ${iso(m.graceUntil)} (grace)`, replacedBy(m));
    }
    if (m.revokedAt !== undefined) step(m, m.revokedAt, 'revoked', revokedText(m), revokedBy(m));
    const end = ended(m);
    if (end !== undefined && end <= now) step(m, end, 'expired', expiredText(m, end));
  }

  function revokedBy(m: TokenRecord): Searchable | undefined {
    const at = m.revokedAt!;
    switch (m.revokedReason) {
      case 'refreshed':
        return replacedBy(m);
      case 'family-reuse': {
        // A spent code or refresh token presented again, after the request that spent it.
        const reused = members.filter((o) => o.usedAt !== undefined);
        const candidates = reused.flatMap((o) => sentWith(o.value).filter((j) => j.entry.id > (spentBy.get(o.value)?.entry.id ?? 0)));
        return pick(candidates, at);
      }
      case 'destroyed':
        return pick(sentWith(m.value), at);
      default:
        // 'admin': the control plane (the dashboard's Revoke), which the journal does not record.
        return undefined;
    }
  }

  // Every other request that carried a member: an API call with an access token, a retry with a spent one.
  for (const m of members) {
    const own = linked.get(m.value) ?? new Set<number>();
    const others = sentWith(m.value).filter((j) => !own.has(j.entry.id));
    for (const j of others.slice(0, PRESENTED_LIMIT)) {
      step(m, j.entry.time, 'presented', `${m.kind} presented; answered ${j.entry.status}`, j);
    }
  }

  // A request's steps stand together at its moment (the first of their times: a refresh stamps the new access
  // and refresh tokens a millisecond apart), cause before effect; steps of no request at their own time.
  const moment = new Map<number, number>();
  for (const s of steps) if (s.request) moment.set(s.request.id, Math.min(moment.get(s.request.id) ?? Infinity, s.at));
  const order = new Map(members.map((m, i) => [m.value, i]));
  const when = (s: StoryStep) => (s.request ? moment.get(s.request.id)! : s.at);
  steps.sort(
    (a, b) =>
      when(a) - when(b) ||
      (a.request?.id ?? Number.MAX_SAFE_INTEGER) - (b.request?.id ?? Number.MAX_SAFE_INTEGER) ||
      ORDER[a.event] - ORDER[b.event] ||
      order.get(a.value)! - order.get(b.value)!,
  );
  const story: TokenStory = {
    token: { platform: target.platform, kind: target.kind, value: target.value },
    family: target.family,
    now,
    members: members.map((m) => tokenView(m, now)),
    steps,
    presentedLimit: PRESENTED_LIMIT,
  };
  if (journal.entries.length > 0) story.journalFrom = journal.entries[0].entry.id;
  return story;
}

/** When a member stopped working by the clock (not by being spent or revoked first), if it did. */
function ended(m: TokenRecord): number | undefined {
  const end = Math.min(m.expiresAt ?? Infinity, m.graceUntil ?? Infinity);
  if (!Number.isFinite(end)) return undefined;
  if (m.revokedAt !== undefined && m.revokedAt <= end) return undefined;
  if (m.usedAt !== undefined && m.usedAt <= end) return undefined;
  return end;
}

function expiredText(m: TokenRecord, end: number): string {
  if (m.graceUntil !== undefined && end === m.graceUntil) return 'grace period over';
  if (m.expiresAt === m.issuedAt) return 'expired on issue (the scenario policy)';
  // Not the end its lifetime gives: Expire on the control plane, or an end a scenario's state set.
  if (m.ttl === null || m.expiresAt !== m.issuedAt + m.ttl * 1000) return 'ended before its lifetime ran out (Expire, or a scenario state)';
  return `its lifetime of ${formatSeconds(m.ttl ?? 0)} ran out`;
}

function revokedText(m: TokenRecord): string {
  switch (m.revokedReason) {
    case 'refreshed':
      return 'revoked: a refresh replaced it';
    case 'family-reuse':
      return 'revoked with its whole family: a spent code or refresh token was presented again';
    case 'destroyed':
      return 'revoked by the platform (logout or destroy)';
    default:
      return 'revoked by the control plane (Revoke)';
  }
}

const short = (value: string) => `${value.slice(0, 8)}…`;
const iso = (ms: number) => new Date(ms).toISOString();

/** 600 → 10m, 3600 → 1h, 2592000 → 30d, 90 → 1m 30s. */
export function formatSeconds(total: number): string {
  const parts: string[] = [];
  let s = total;
  for (const [unit, size] of [
    ['d', 86400],
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    if (s >= size) {
      parts.push(`${Math.floor(s / size)}${unit}`);
      s %= size;
    }
  }
  return parts.length ? parts.slice(0, 2).join(' ') : '0s';
}
