import type { RecordingLine } from '../upstream/recording.js';
import type { ShapeDifference } from './json-shape.js';
import type { TimestampJudge } from './timestamp-rule.js';

/** A request as the replay sends it to the sandbox: re-signed, placeholders swapped for the sandbox's values. */
export interface ReplayRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/** What the replay knows while it re-drives one exchange. */
export interface ReplayStep {
  line: RecordingLine;
  /** A recorded value (a placeholder of a code or token) → the value the sandbox issued at the same step. */
  swap(value: string): string;
}

/** The sandbox's answer to a replayed request, parsed. */
export interface SandboxAnswer {
  status: number;
  contentType: string;
  json?: unknown;
  text: string;
}

/**
 * What compare needs of one platform: the apps and users a recording names (as a fixture overlay with known
 * test credentials), the request re-signed with the platform's own signing code, and the fixture setting that
 * controls a difference (a documented **Assumed** row), if one does.
 */
export interface PlatformReplay {
  platform: string;
  /** The fixture overlay (this platform's section) that puts the recording's apps and users into the sandbox. */
  credentials(lines: readonly RecordingLine[]): Record<string, unknown> | undefined;
  request(step: ReplayStep): ReplayRequest;
  /** The setting (path below the fixture file's root, and value) that makes the sandbox answer like this. */
  setting(
    line: RecordingLine,
    difference: ShapeDifference | { path: 'status'; realValue: number },
    answer: SandboxAnswer,
    errorKindOf: (code: string) => string | undefined,
  ): { path: string[]; value: unknown } | undefined;
  /** The sandbox's error code → its error kind, with the fixtures' overrides. */
  errorKinds(fixture: unknown): Map<string, string>;
  /**
   * The objects of an answer whose field order a client sees, as key paths below the root (`[]` is the root):
   * SOP signs the exact text of its response node and its SDKs cut that text out of the body between the node's
   * name and `"sign"`. None where clients read fields by name only.
   */
  orderedObjects?(real: unknown): string[][];
  /**
   * The platform's own "system busy" answer in the recording (`code "10099"`), or undefined: the platform did not
   * handle the request, so there is no behaviour to compare (the sandbox answers the same when its store is down).
   */
  busy?(line: RecordingLine, errorKindOf: (code: string) => string | undefined): string | undefined;
  /** Where the platform checks a request's timestamp against its clock (none for UserCenter, which sends none). */
  timestamp?: TimestampJudge;
  /** Whether a difference at this path is data of the real account (what no behaviour setting changes). */
  isAccountData(line: RecordingLine, path: string): boolean;
}
