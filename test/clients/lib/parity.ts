import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { overlayFile, recordingPair, scratch } from '../../compare/flows.js';
import { startTestSandbox, type TestSandbox } from '../../helpers/sandbox.js';

/**
 * What the parity tests of the client programs share (issue 21): a stand-in for the real platform with an
 * overlay, a recording sandbox forwarding to it, and a twin of the stand-in that the same program talks to
 * directly. The twin has the same seed, overlay and frozen clock, so a client that sees the same bytes through
 * the recording sandbox as from the twin prints the same thing: its codes, tokens and request ids included.
 */

export interface ParityRig {
  dir: string;
  /** The recording the forwarding sandbox writes (complete once `front` is closed). */
  file: string;
  real: TestSandbox;
  front: TestSandbox;
  /** Absent when the test needs no direct run. */
  twin?: TestSandbox;
  /** Close the forwarding sandbox: the recording is then complete; the stand-in stays for its journal and tokens. */
  finishRecording(): Promise<void>;
  close(): Promise<void>;
}

const SEED = 'the-real-platform';

/** Start the stand-in (with `overlay`), the recording sandbox in front of it, and the stand-in's twin. */
export async function parityRig(name: string, overlay: Record<string, unknown> | undefined, opts: { twin?: boolean } = {}): Promise<ParityRig> {
  const dir = scratch(`parity-${name}-`);
  const file = join(dir, `${name}.jsonl`);
  const { real, front } = await recordingPair(dir, overlay, file);
  const twin =
    opts.twin === false ? undefined : await startTestSandbox({ seed: SEED, ...(overlay ? { fixtures: [overlayFile(dir, 'twin.json', overlay)] } : {}) });
  // One frozen instant for both: answers that carry the platform's time (Mantun's updateTime) are then the same too.
  const instant = Math.floor(Date.now() / 1000) * 1000;
  for (const t of twin ? [real, twin] : [real]) {
    t.sb.clock.setRate(0);
    t.sb.clock.set(instant);
  }
  const closed = new Set<TestSandbox>();
  const stop = async (t: TestSandbox) => {
    if (closed.has(t)) return;
    closed.add(t);
    await t.close();
  };
  return {
    dir,
    file,
    real,
    front,
    twin,
    finishRecording: () => stop(front),
    close: async () => {
      for (const t of [front, real, twin]) if (t) await stop(t);
    },
  };
}

type Pairs = [string, string][];
interface Body {
  json?: unknown;
  form?: Pairs;
  text?: string;
}

/** One line of a recording as a tool reads it (docs/parity.md). */
export interface RecordedLine {
  seq: number;
  platform: string;
  endpoint: string;
  apiMethod?: string;
  request: { method: string; path: string; body?: Body };
  response?: { status: number; headers: Pairs; body?: Body };
}

export const readRecording = (file: string): RecordedLine[] =>
  readFileSync(file, 'utf8')
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as RecordedLine);

/** One exchange as the stand-in's own journal shows it (GET /__sandbox/requests). */
export interface SentEntry {
  endpoint: string;
  apiMethod?: string;
  status: number;
  response: { contentType?: string; body: unknown };
}

/** What the stand-in answered, oldest first, read from its control plane. */
export async function sentAnswers(t: TestSandbox, platform: string): Promise<SentEntry[]> {
  const res = await t.http.get(`/__sandbox/requests?platform=${platform}&limit=1000`);
  if (res.status !== 200) throw new Error(`GET /__sandbox/requests: ${res.status} ${res.text}`);
  return (res.body.requests as SentEntry[]).reverse();
}

/** Every code and token value the stand-in issued, read from its control plane. */
export async function issuedValues(t: TestSandbox, platform: string): Promise<{ kind: string; value: string }[]> {
  const res = await t.http.get(`/__sandbox/tokens?platform=${platform}`);
  if (res.status !== 200) throw new Error(`GET /__sandbox/tokens: ${res.status} ${res.text}`);
  return (res.body.tokens as { kind: string; value: string }[]).map(({ kind, value }) => ({ kind, value }));
}

/** The secrets among `candidates` that are in the recording, as written or JSON-escaped: what a test expects to be []. */
export function secretsIn(file: string, candidates: string[]): string[] {
  const text = readFileSync(file, 'utf8');
  return candidates.filter((s) => text.includes(s) || text.includes(JSON.stringify(s).slice(1, -1)));
}

/** What a recording hides by shape whatever the field's name (docs/parity.md): 32 hex digits, a UUID. */
const TOKEN_SHAPE = /^([0-9a-f]{32}|[0-9A-F]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;
/** A placeholder of a token-shaped value: hex of the same case, dashes where they were. */
function sameTokenShape(recorded: string, sent: string): boolean {
  const hex = /[A-F]/.test(sent) ? /[0-9A-F]/ : /[0-9a-f]/;
  return recorded.length === sent.length && [...sent].every((c, i) => (c === '-' ? recorded[i] === '-' : hex.test(recorded[i]!)));
}

/**
 * Where a recorded answer differs from what the stand-in sent, other than by masking: [] when they are the same.
 * The stand-in's journal hides secret-named fields as `***` (a signature: the recording's stand-in for it is
 * then any text); a code or token it issued, or any value of a token's shape (a request id), is in the
 * recording as a placeholder of the same length and alphabet, never as is.
 */
export function unlike(recorded: unknown, sent: unknown, issued: ReadonlySet<string>, path = '$'): string[] {
  if (typeof sent === 'string' && typeof recorded === 'string') {
    if (sent === '***') return [];
    if (issued.has(sent) || TOKEN_SHAPE.test(sent))
      return recorded !== sent && recorded.length === sent.length && (!TOKEN_SHAPE.test(sent) || sameTokenShape(recorded, sent))
        ? []
        : [`${path}: ${JSON.stringify(recorded)} does not mask ${sent}`];
    return recorded === sent ? [] : [`${path}: recorded ${JSON.stringify(recorded)}, sent ${JSON.stringify(sent)}`];
  }
  if (sent !== null && typeof sent === 'object' && recorded !== null && typeof recorded === 'object') {
    const [r, s] = [recorded as Record<string, unknown>, sent as Record<string, unknown>];
    if (Array.isArray(r) !== Array.isArray(s) || Object.keys(r).join() !== Object.keys(s).join())
      return [`${path}: recorded keys ${Object.keys(r).join()}, sent ${Object.keys(s).join()}`];
    return Object.keys(s).flatMap((k) => unlike(r[k], s[k], issued, `${path}.${k}`));
  }
  return Object.is(recorded, sent) ? [] : [`${path}: recorded ${JSON.stringify(recorded)}, sent ${JSON.stringify(sent)}`];
}

/** `sandbox compare --json` output, one difference a line. */
export interface JsonDifference {
  kind: string;
  platform: string;
  endpoint: string;
  apiMethod?: string;
  path: string;
  real: string;
  sandbox: string;
  setting?: { path: string[]; value: unknown };
}

export const jsonLines = (text: string): JsonDifference[] =>
  text
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as JsonDifference);
