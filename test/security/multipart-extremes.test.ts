import fc from 'fast-check';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { healthAnswers, json, raw, stateOf } from './hostile.js';

/**
 * Extreme multipart bodies at the SOP gateway (issue 24, Medium 1): many file parts with one name, many
 * names, huge fields and files, `__proto__` names, up to a 4 MiB body limit. Every gateway request is
 * journaled, token or not, and journaling n parts of one name used to cost O(n²): 4 MiB of empty parts
 * held the event loop 42 s. While each input is served, /__sandbox/health is probed; afterwards it must
 * answer, the world must be unchanged (these bodies carry no method), and the journal entry must stay small,
 * with the parts past the cap counted. Seeded: FUZZ_SEED and FUZZ_MULTIPART_RUNS replay or lengthen a run.
 */

const SEED = Number(process.env.FUZZ_SEED ?? 24);
const RUNS = Number(process.env.FUZZ_MULTIPART_RUNS ?? 14);
const LIMIT = 4 * 1024 * 1024;
const BOUNDARY = 'XyZfuzz';
/** A frozen event loop answers nothing; a busy shared machine can delay a sound one by a few hundred ms. */
const HEALTH_MS = 2000;
const CAP = 64;

const filePart = (name: string, filename = 'a', bytes = '') =>
  `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"; filename="${filename}"\r\n\r\n${bytes}\r\n`;
const fieldPart = (name: string, value: string) => `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
const END = `--${BOUNDARY}--\r\n`;

type Shape = 'one name' | 'many names' | '__proto__ names' | 'many fields, one name' | 'many fields' | 'huge field' | 'huge file' | 'mixed';

/** A body of about `bytes` bytes (always under the limit) of the given shape, and how many file parts it holds. */
function body(shape: Shape, bytes: number): { text: string; files: number } {
  const parts: string[] = [];
  let size = END.length;
  let files = 0;
  const add = (p: string, isFile: boolean) => {
    if (size + p.length > bytes) return false;
    parts.push(p);
    size += p.length;
    if (isFile) files++;
    return true;
  };
  const big = (n: number) => 'x'.repeat(Math.max(0, n));
  switch (shape) {
    case 'one name':
      while (add(filePart('f'), true));
      break;
    case 'many names':
      for (let i = 0; add(filePart(`f${i}`), true); i++);
      break;
    case '__proto__ names':
      for (let i = 0; add(filePart(i % 2 ? '__proto__' : 'constructor'), true); i++);
      add(fieldPart('__proto__', '{"polluted":"yes"}'), false);
      break;
    case 'many fields, one name':
      while (add(fieldPart('biz_content', '{}'), false));
      break;
    case 'many fields':
      for (let i = 0; add(fieldPart(`k${i}`, 'v'), false); i++);
      break;
    case 'huge field':
      // busboy holds a field to the body limit; the journal cuts its text.
      add(fieldPart('biz_content', big(bytes - 200)), false);
      break;
    case 'huge file':
      add(filePart('file', 'big.bin', big(bytes - 200)), true);
      break;
    case 'mixed':
      for (let i = 0; ; i++) {
        const ok = i % 3 === 0 ? add(fieldPart(`k${i % 50}`, big(i % 700)), false) : add(filePart(i % 2 ? 'f' : `f${i % 90}`, `n${i}`, big(i % 300)), true);
        if (!ok) break;
      }
      break;
  }
  return { text: parts.join('') + END, files };
}

let t: TestSandbox;
const measured = { inputs: 0, slowestAnswerMs: 0, slowestProbeMs: 0, largestEntryChars: 0 };

beforeAll(async () => {
  // Every input is read through to the journal: the held limit (fields, part headers and 128 bytes a part) is
  // raised past what 4 MiB of empty parts charges, so the journaling path, not the limit, meets each extreme.
  // With the default limits such a body is refused at once (test/reliability/limits.test.ts).
  t = await startTestSandbox({ bodyLimit: 4 * LIMIT, uploadLimit: LIMIT });
});
afterAll(async () => {
  await t.close();
  process.stdout.write(`multipart-extremes: ${JSON.stringify(measured)}\n`);
});

/** Probe health every 20 ms until `done` settles; fails if one probe gets no answer within HEALTH_MS. */
async function probeWhile<T>(done: Promise<T>): Promise<T> {
  let settled = false;
  const result = done.finally(() => (settled = true));
  const probes = (async () => {
    while (!settled) {
      measured.slowestProbeMs = Math.max(measured.slowestProbeMs, Math.round(await healthAnswers(t.sb.url, HEALTH_MS)));
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  const [value] = await Promise.all([result, probes]);
  return value;
}

async function lastSopEntry(): Promise<{ request: { body: Record<string, unknown> } }> {
  const res = await raw(t.sb.url, { path: '/__sandbox/requests?platform=sop&limit=1' });
  expect(res.status).toBe(200);
  return (json(res) as { requests: { request: { body: Record<string, unknown> } }[] }).requests[0]!;
}

async function send(text: string) {
  const started = performance.now();
  const res = await probeWhile(
    raw(t.sb.url, { method: 'POST', path: '/', headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` }, body: text }, 15_000),
  );
  measured.slowestAnswerMs = Math.max(measured.slowestAnswerMs, Math.round(performance.now() - started));
  return res;
}

test('4 MiB of empty file parts with one name: answered while health keeps answering; 64 parts journaled, the rest counted', async () => {
  const { text, files } = body('one name', LIMIT - 1024);
  expect(files).toBeGreaterThan(50_000);
  const before = await stateOf(t.sb.sandbox);
  const res = await send(text);
  expect(res.status).toBe(200);
  expect((json(res) as { error_response: unknown }).error_response).toEqual({
    code: '40001',
    msg: '缺少必选参数',
    sub_code: 'isv.missing-method',
    sub_msg: '缺少方法名参数',
  });
  const entry = await lastSopEntry();
  expect(entry.request.body['(file parts)']).toBe(`${files - CAP} more file parts not journaled (${files} in all)`);
  expect(entry.request.body.f).toHaveLength(CAP);
  expect((entry.request.body.f as unknown[])[0]).toEqual({ filename: 'a', contentType: 'text/plain', size: 0 });
  expect(await stateOf(t.sb.sandbox)).toBe(before);
});

test('parts named __proto__ and constructor are journaled as fields, never as a prototype', async () => {
  const res = await send(filePart('__proto__', 'p.txt', 'x') + filePart('constructor', 'c.txt') + END);
  expect(res.status).toBe(200);
  const entry = await lastSopEntry();
  expect(Object.keys(entry.request.body)).toEqual(['__proto__', 'constructor']);
  expect(entry.request.body.constructor).toEqual({ filename: 'c.txt', contentType: 'text/plain', size: 0 });
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});

test(`extreme multipart bodies (${RUNS} runs, seed ${SEED}): health answers throughout, nothing changes, the journal entry stays small`, async () => {
  const shapes: Shape[] = ['one name', 'many names', '__proto__ names', 'many fields, one name', 'many fields', 'huge field', 'huge file', 'mixed'];
  const input = fc.record({ shape: fc.constantFrom(...shapes), bytes: fc.constantFrom(1024, 64 * 1024, 1024 * 1024, LIMIT - 1024) });
  await fc.assert(
    fc.asyncProperty(input, async ({ shape, bytes }) => {
      measured.inputs++;
      const { text, files } = body(shape, bytes);
      const before = await stateOf(t.sb.sandbox);
      const res = await send(text);
      const what = `${shape}, ${text.length} bytes, ${files} file parts`;
      if (res.status !== 200) throw new Error(`${what}: HTTP ${res.status} ${res.text.slice(0, 300)}`);
      if ((json(res) as { error_response?: { sub_code?: string } }).error_response?.sub_code !== 'isv.missing-method')
        throw new Error(`${what}: not the gateway's own error: ${res.text.slice(0, 300)}`);
      await healthAnswers(t.sb.url, HEALTH_MS);
      if ((await stateOf(t.sb.sandbox)) !== before) throw new Error(`${what}: the world changed`);
      const entry = await lastSopEntry();
      const chars = JSON.stringify(entry).length;
      measured.largestEntryChars = Math.max(measured.largestEntryChars, chars);
      // The journal's per-entry budget is 32 KiB of text plus field names and structure.
      if (chars > 64 * 1024) throw new Error(`${what}: a journal entry of ${chars} characters`);
      const note = entry.request.body['(file parts)'];
      if (files > CAP && note !== `${files - CAP} more file parts not journaled (${files} in all)`) throw new Error(`${what}: note ${String(note)}`);
      if (files <= CAP && note !== undefined) throw new Error(`${what}: a note with nothing left out: ${String(note)}`);
    }),
    { seed: SEED, numRuns: RUNS, endOnFailure: true },
  );
}, 180_000);
