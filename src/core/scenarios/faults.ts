import type { Exchange } from '../http/exchange.js';
import { compileValue, type ValueTest } from '../matching/request-match.js';
import { requestReaders } from '../matching/subjects.js';
import { refuse } from '../errors/protocol-error.js';
import { JSON_UTF8, TEXT_UTF8 } from '../http/reply.js';
import type { Reply } from '../platform.js';
import { createRandom } from '../random/seeded-random.js';
import type { FaultRule } from './fault-rule-schema.js';
import { durationMs, instantMs, isInstant } from './time.js';

const toSet = (v: string | string[] | undefined): ReadonlySet<string> | undefined => (v === undefined ? undefined : new Set(Array.isArray(v) ? v : [v]));

/** One fault rule, ready to match, with its own counters and generator. */
export class CompiledRule {
  /** What the journal records for answers this rule shaped. */
  readonly label: string;
  calls = 0;
  fired = 0;
  readonly armedAt: number;
  private readonly platforms?: ReadonlySet<string>;
  private readonly endpoints?: ReadonlySet<string>;
  private readonly tags?: ReadonlySet<string>;
  private readonly methods?: ReadonlySet<string>;
  /** The rule's `params` and `headers` matchers (docs/verify.md), each compiled once. */
  private readonly params: [string, ValueTest][];
  private readonly headers: [string, ValueTest][];
  private readonly afterMs?: number;
  /** Seeds the draw of each call: the n-th call's draw depends on n alone, so any process, or a loaded export, draws the same. */
  private readonly drawSeed?: string;

  constructor(
    readonly rule: FaultRule,
    readonly scenario: string,
    index: number,
    now: number,
    worldSeed: string,
    /** Unique among the rules active in a world: its counters are kept under this in a shared store. */
    readonly key: string = `${scenario}#${index}`,
  ) {
    this.label = rule.id ?? `${scenario}#${index + 1}`;
    this.armedAt = rule.progress ? instantMs(rule.progress.armedAt, now) : now;
    const error = rule.respond.error;
    const named = toSet(rule.platform);
    // A per-platform error map is also a platform filter: the rule cannot answer for the others.
    this.platforms = typeof error === 'object' ? new Set(Object.keys(error).filter((id) => !named || named.has(id))) : named;
    this.endpoints = toSet(rule.endpoint);
    this.tags = toSet(rule.tag);
    this.methods = toSet(rule.method);
    this.params = Object.entries(rule.params ?? {}).map(([name, m]) => [name, compileValue(m).test]);
    this.headers = Object.entries(rule.headers ?? {}).map(([name, m]) => [name.toLowerCase(), compileValue(m).test]);
    if (rule.after !== undefined) {
      this.afterMs = typeof rule.after === 'string' && isInstant(rule.after) ? Date.parse(rule.after) : this.armedAt + (durationMs(rule.after) ?? 0);
    }
    if (rule.probability !== undefined) this.drawSeed = rule.seed ?? `${worldSeed}/${this.label}`;
    if (rule.progress) {
      this.calls = rule.progress.calls;
      this.fired = rule.progress.fired;
    }
  }

  matches(ex: Exchange, facts: RequestFacts): boolean {
    if (this.platforms && !this.platforms.has(ex.platform.id)) return false;
    if (this.endpoints && !this.endpoints.has(ex.endpoint.name)) return false;
    if (this.methods) {
      const m = facts.method();
      if (m === undefined || !this.methods.has(m)) return false;
    }
    if (this.tags) {
      const tags = facts.tags();
      let any = false;
      for (const t of this.tags) if (tags.has(t)) any = true;
      if (!any) return false;
    }
    for (const [name, test] of this.params) if (!test(facts.param(name))) return false;
    for (const [name, test] of this.headers) if (!test(facts.header(name))) return false;
    return true;
  }

  /** Count one matching call (in this process) and say whether the rule fires on it. */
  count(now: number): boolean {
    return this.firesOn(++this.calls, now, this.fired);
  }

  /** Would the rule fire on its n-th matching call (1-based), having fired `fired` times so far? */
  firesOn(n: number, now: number, fired: number): boolean {
    const r = this.rule;
    if (r.nth !== undefined && n !== r.nth) return false;
    if (r.every !== undefined && n % r.every !== 0) return false;
    if (r.first !== undefined && n > r.first) return false;
    if (this.afterMs !== undefined && now < this.afterMs) return false;
    if (this.drawSeed !== undefined && createRandom(`${this.drawSeed}#${n}`).next() >= (r.probability ?? 1)) return false;
    if (r.times !== undefined && fired >= r.times) return false;
    return true;
  }

  get platformFilter(): ReadonlySet<string> | undefined {
    return this.platforms;
  }
}

/** What a rule may need to know of a request, computed at most once and only when a rule asks. */
export class RequestFacts {
  private tagsValue?: ReadonlySet<string>;
  private readers?: ReturnType<typeof requestReaders>;

  constructor(private readonly ex: Exchange) {}

  /** A parameter as the endpoint parsed it (a gateway's business content included); undefined when absent. */
  param(name: string): string | undefined {
    this.readers ??= requestReaders(this.ex.params, this.ex.request.query, this.ex.request.headers);
    return this.readers.param(name);
  }

  header(name: string): string | undefined {
    this.readers ??= requestReaders(this.ex.params, this.ex.request.query, this.ex.request.headers);
    return this.readers.header(name);
  }

  /** The business method the platform read from the call (SOP's and ZJRC's `method`, router.as's). */
  method(): string | undefined {
    return this.ex.apiMethod;
  }

  tags(): ReadonlySet<string> {
    if (!this.tagsValue) {
      const tags = new Set(this.ex.endpoint.tags ?? []);
      const byMethod = this.ex.platform.methodTags;
      const m = this.ex.apiMethod;
      if (byMethod && m !== undefined && Object.hasOwn(byMethod, m)) for (const t of byMethod[m]) tags.add(t);
      for (const t of this.ex.platform.paramTags?.of(this.ex.params) ?? []) tags.add(t);
      this.tagsValue = tags;
    }
    return this.tagsValue;
  }
}

/**
 * Shape the answer as the rule says: the platform's own error, a status, a broken connection or body, late.
 * A platform error is thrown, not rendered here: the dispatcher renders it as it renders a real refusal.
 */
export async function applyFault(rule: CompiledRule, ex: Exchange, next: () => Promise<Reply>): Promise<Reply> {
  const r = rule.rule.respond;
  let reply: Reply;
  // "handled": the platform does its work (its state changes) and the answer is then lost or replaced.
  const replaced = r.error !== undefined || r.status !== undefined || r.transport !== undefined;
  if (replaced && r.handled) await next();
  const delayMs = r.delay !== undefined ? durationMs(r.delay) : undefined;
  if (r.error !== undefined) {
    const kind = typeof r.error === 'string' ? r.error : r.error[ex.platform.id];
    if (ex.platform.errors.kinds.includes(kind)) {
      const error = refuse(kind, r.detail);
      error.fault = delayMs !== undefined ? { rule: rule.label, delayMs } : { rule: rule.label };
      throw error;
    }
    reply = unrenderable(ex.platform.id, kind);
  } else if (r.status !== undefined) {
    reply = statusReply(r.status, r.body, r.contentType, r.headers);
  } else if (r.transport !== undefined) {
    reply = { status: 0, body: '', transport: r.transport };
  } else {
    reply = await next();
    if (r.malformed) reply = malformed(reply, r.malformed);
  }
  if (delayMs !== undefined) reply.delayMs = delayMs;
  reply.rule = rule.label;
  return reply;
}

function statusReply(status: number, body: unknown, contentType?: string, headers?: Record<string, string>): Reply {
  const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
  const type = contentType ?? (body === undefined ? undefined : typeof body === 'string' ? TEXT_UTF8 : JSON_UTF8);
  const reply: Reply = { status, body: text, data: body ?? '' };
  if (type) reply.contentType = type;
  if (headers) reply.headers = { ...headers };
  return reply;
}

function malformed(reply: Reply, how: 'truncated' | 'invalid'): Reply {
  const body = how === 'truncated' ? reply.body.slice(0, Math.floor(reply.body.length / 2)) : `<!-- ${reply.body}`;
  // `data` is dropped so the journal shows the bytes that were actually sent.
  return { ...reply, body, data: undefined };
}

function unrenderable(platform: string, kind: string): Reply {
  const body = { error: 'sandbox_fault', message: `The fault rule asked ${platform} for error "${kind}", which it cannot render.` };
  return { status: 500, contentType: JSON_UTF8, body: JSON.stringify(body), data: body };
}
