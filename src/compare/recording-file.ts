import { readFileSync } from 'node:fs';
import { UsageError } from '../core/errors/usage-error.js';
import { RECORDING_FORMAT, RECORDING_VERSION, type RecordingLine } from '../upstream/recording.js';

/**
 * The lines of a recording, checked before anything is replayed: a file that is not a recording, or one of a
 * later version, is bad input (exit 2), named with the line that is wrong.
 */
export function readRecording(file: string): RecordingLine[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(
      `cannot read the recording ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'a folder, not a file' : (e as Error).message}`,
    );
  }
  const lines: RecordingLine[] = [];
  text.split('\n').forEach((raw, i) => {
    if (raw.trim() === '') return;
    const where = `${file}:${i + 1}`;
    let line: unknown;
    try {
      line = JSON.parse(raw);
    } catch {
      throw new UsageError(`${where}: not a JSON line; a recording is what "sandbox start --record FILE" writes (docs/parity.md)`);
    }
    const l = line as Partial<RecordingLine>;
    if (l?.format !== RECORDING_FORMAT)
      throw new UsageError(`${where}: "format" must be "${RECORDING_FORMAT}"; this is not a recording written by "sandbox start --record"`);
    if (l.version !== RECORDING_VERSION)
      throw new UsageError(`${where}: recording version ${String(l.version)} is not one this sandbox reads (it reads version ${RECORDING_VERSION})`);
    if (typeof l.platform !== 'string' || typeof l.endpoint !== 'string' || typeof l.at !== 'string' || Number.isNaN(Date.parse(l.at)) || !l.request)
      throw new UsageError(`${where}: a recording line needs "platform", "endpoint", "at" (ISO 8601) and "request"`);
    const broken = brokenField(l);
    if (broken) throw new UsageError(`${where}: ${broken} (the recording format is in docs/parity.md)`);
    lines.push(l as RecordingLine);
  });
  if (lines.length === 0) throw new UsageError(`${file} holds no exchange: record a flow first with "sandbox start --upstream ... --record ${file}"`);
  return lines;
}

const isPairs = (v: unknown) => Array.isArray(v) && v.every((p) => Array.isArray(p) && p.length === 2 && p.every((s) => typeof s === 'string'));

/** What a replay reads of a line, checked: a hand-edited line that breaks it is named, not met with a crash. */
function brokenField(l: Partial<RecordingLine>): string | undefined {
  const { request, response } = l;
  if (typeof request?.method !== 'string' || typeof request.path !== 'string' || !request.path.startsWith('/'))
    return '"request" needs "method" and "path" (starting with /)';
  if (!isPairs(request.query) || !isPairs(request.headers)) return '"request.query" and "request.headers" must be lists of [name, value] pairs';
  if (request.body && 'form' in request.body && !isPairs(request.body.form)) return '"request.body.form" must be a list of [name, value] pairs';
  if (response !== undefined) {
    if (!Number.isInteger(response.status) || !isPairs(response.headers)) return '"response" needs "status" (a number) and "headers" ([name, value] pairs)';
  }
  if (typeof l.seq !== 'number' || typeof l.upstream !== 'object' || l.upstream === null) return 'a line needs "seq" and "upstream"';
  return undefined;
}
