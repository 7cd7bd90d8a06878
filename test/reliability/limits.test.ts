import http from 'node:http';
import { verifySopResponse, zjrcVerifyResponse } from '../../src/index.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { PLATFORM_PUBLIC_KEY as SOP_KEY } from '../helpers/sop.js';
import { GATEWAY, PLATFORM_PUBLIC_KEY as ZJRC_KEY } from '../helpers/zjrc.js';
import { closeAgent, sendRaw } from './fuzz-http.js';
import { mantunCode, sopCode, zjrcCode } from './pooled-codes.js';

const JSON_UTF8 = 'application/json;charset=UTF-8';
const MiB = 1024 * 1024;

/** One POST with a body of exactly `size` bytes, by Content-Length or chunked (no length announced). */
function postBody(base: string, path: string, size: number, type: string, chunked = false): Promise<{ status: number; type?: string; text: string }> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { 'content-type': type };
    if (!chunked) headers['content-length'] = size;
    const req = http.request({ host: url.hostname, port: url.port, path, method: 'POST', headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'], text }));
    });
    // The server may answer and stop reading before the whole body is out.
    req.on('error', (e: NodeJS.ErrnoException) => (e.code === 'EPIPE' || e.code === 'ECONNRESET' ? undefined : reject(e)));
    const chunk = Buffer.alloc(64 * 1024, 'a');
    let left = size;
    const write = () => {
      while (left > 0) {
        const n = Math.min(left, chunk.length);
        left -= n;
        if (!req.write(chunk.subarray(0, n))) return void req.once('drain', write);
      }
      req.end();
    };
    write();
  });
}

/** What each platform answers for a body over the limit: its own shape, HTTP 413. */
function expectTooLarge(platform: string, r: { status: number; type?: string; text: string }): void {
  expect({ platform, status: r.status }).toEqual({ platform, status: 413 });
  if (platform === 'mantun') expect([r.type, JSON.parse(r.text)]).toEqual([JSON_UTF8, { success: false, code: '10050', message: 'request body is too large' }]);
  if (platform === 'usercenter') expect([r.type, JSON.parse(r.text)]).toEqual([JSON_UTF8, { status: 0, msg: 'request body is too large' }]);
  if (platform === 'sop') {
    expect([r.type, JSON.parse(r.text)]).toEqual([
      JSON_UTF8,
      { error_response: { code: '20000', msg: '服务不可用', sub_code: 'isp.unknown-error', sub_msg: '服务暂不可用' }, sign: expect.any(String) },
    ]);
    expect(verifySopResponse(r.text, SOP_KEY, 'RSA2').valid).toBe(true);
  }
  if (platform === 'zjrc') {
    const body = JSON.parse(r.text);
    expect([r.type, body]).toEqual([JSON_UTF8, { code: '100011', msg: '请求报文过大', sign: expect.any(String) }]);
    expect(zjrcVerifyResponse(body, ZJRC_KEY)).toBe(true);
  }
}

const API = [
  ['mantun', '/oauth/token.as', 'application/x-www-form-urlencoded'],
  ['usercenter', '/oauth/token', 'application/json'],
  ['sop', '/gateway.do', 'application/x-www-form-urlencoded'],
  ['zjrc', GATEWAY, 'application/json'],
] as const;

describe('the default body limit, 1 MiB', () => {
  let t: TestSandbox;
  beforeAll(async () => {
    t = await startTestSandbox();
  });
  afterAll(() => t.close());

  test.each(API)('%s: 1 MiB + 1 byte → 413 in its shape; exactly 1 MiB is read and answered as usual', async (platform, path, type) => {
    expectTooLarge(platform, await postBody(t.sb.url, path, MiB + 1, type));
    const atLimit = await postBody(t.sb.url, path, MiB, type);
    expect(atLimit.status).not.toBe(413);
    expect(atLimit.status).toBeLessThan(500);
  });
});

describe('a configured limit (--body-limit 2000)', () => {
  let t: TestSandbox;
  beforeAll(async () => {
    t = await startTestSandbox({ bodyLimit: 2000 });
  });
  afterAll(() => t.close());

  test.each(API)('%s: 2001 bytes → 413 in its shape, announced or chunked', async (platform, path, type) => {
    expectTooLarge(platform, await postBody(t.sb.url, path, 2001, type));
    expectTooLarge(platform, await postBody(t.sb.url, path, 200_000, type, true));
    expect((await postBody(t.sb.url, path, 2000, type)).status).not.toBe(413);
  });

  test("the platforms' browser pages answer in their own way: SOP plain text, ZJRC its error page", async () => {
    const sop = await postBody(t.sb.url, '/oauth2/authorize', 5000, 'application/x-www-form-urlencoded');
    expect([sop.status, sop.type, sop.text]).toEqual([413, 'text/plain;charset=UTF-8', 'request body is too large']);
    const zjrc = await postBody(t.sb.url, '/zjrc/oauth/authorize', 5000, 'application/x-www-form-urlencoded');
    expect([zjrc.status, zjrc.type]).toEqual([413, 'text/html;charset=UTF-8']);
    expect(zjrc.text).toContain('<p class="error" id="error">请求报文过大</p>');
  });

  test('the control plane: 413 {"error","message"} naming the limit', async () => {
    const r = await postBody(t.sb.url, '/__sandbox/clock', 2001, 'application/json');
    expect([r.status, JSON.parse(r.text)]).toEqual([413, { error: 'payload_too_large', message: 'The body is larger than the limit of 2000 bytes.' }]);
  });

  test("a request head over 16 KiB gets Node's bare 431 before any route, and the server keeps serving", async () => {
    const res = await fetch(`${t.sb.url}/oauth/token.as?x=${'a'.repeat(20_000)}`, { method: 'POST' }).catch((e: Error) => e);
    expect(res instanceof Response ? res.status : res.message).toBe(431);
    expect((await fetch(`${t.sb.url}/__sandbox/health`)).status).toBe(200);
  });
});

/**
 * A multipart/form-data body of one file part of `fileBytes` bytes, written in 64 KiB pieces as it is sent (never
 * built whole), with `fields` before it and `emptyFiles` empty file parts after it; the length is announced
 * unless `chunked`. The parts are laid out as the SOP Go SDK's mime/multipart writes them.
 */
function postMultipart(
  base: string,
  path: string,
  opts: { fileBytes: number; fields?: Record<string, string>; emptyFiles?: number; chunked?: boolean },
): Promise<{ status: number; type?: string; text: string }> {
  const boundary = 'a3f1c0de9b7e5d2c4a6b8e0f1d3c5b7a';
  const head = Buffer.from(
    Object.entries(opts.fields ?? {})
      .map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`)
      .join('') + `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  const empty = `\r\n--${boundary}\r\nContent-Disposition: form-data; name="f"; filename="a"\r\nContent-Type: application/octet-stream\r\n\r\n`;
  const tail = Buffer.from(empty.repeat(opts.emptyFiles ?? 0) + `\r\n--${boundary}--\r\n`);
  const size = head.length + opts.fileBytes + tail.length;
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { 'content-type': `multipart/form-data; boundary=${boundary}` };
    if (!opts.chunked) headers['content-length'] = size;
    const req = http.request({ host: url.hostname, port: url.port, path, method: 'POST', headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'], text }));
    });
    req.on('error', (e: NodeJS.ErrnoException) => (e.code === 'EPIPE' || e.code === 'ECONNRESET' ? undefined : reject(e)));
    const chunk = Buffer.alloc(64 * 1024, 0x5a);
    let left = opts.fileBytes;
    let done = false;
    req.once('response', () => (done = true));
    req.write(head);
    const write = () => {
      while (left > 0 && !done) {
        const n = Math.min(left, chunk.length);
        left -= n;
        if (!req.write(chunk.subarray(0, n))) return void req.once('drain', write);
      }
      req.end(done ? undefined : tail);
    };
    write();
  });
}

describe('multipart uploads: the body up to --upload-limit (32 MiB), what is held of it to --body-limit (1 MiB)', () => {
  let t: TestSandbox;
  beforeAll(async () => {
    t = await startTestSandbox();
  });
  afterAll(() => t.close());
  const lastNote = async () => (await fetch(`${t.sb.url}/__sandbox/requests?limit=1`).then((r) => r.json())).requests[0].note;

  test('a 2 MiB file part is read (SOP answers for itself); a 2 MiB form body is still 413', async () => {
    const upload = await postMultipart(t.sb.url, '/gateway.do', { fileBytes: 2 * MiB });
    expect([upload.status, JSON.parse(upload.text).error_response.sub_code]).toEqual([200, 'isv.missing-method']);
    expectTooLarge('sop', await postBody(t.sb.url, '/gateway.do', 2 * MiB, 'application/x-www-form-urlencoded'));
    expect(await lastNote()).toBe('the body is larger than --body-limit (bodyLimit), 1048576 bytes');
  });

  test.each(API)('%s: a multipart body announced over 32 MiB → 413 in its shape, answered before the body is read', async (platform, path) => {
    expectTooLarge(platform, await postMultipart(t.sb.url, path, { fileBytes: 32 * MiB }));
    expect(await lastNote()).toBe('the multipart body is larger than --upload-limit (uploadLimit), 33554432 bytes');
  });

  test('streamed with no length, it is cut off once past 32 MiB: 413 in the SOP shape, and the sandbox serves on', async () => {
    expectTooLarge('sop', await postMultipart(t.sb.url, '/gateway.do', { fileBytes: 40 * MiB, chunked: true }));
    expect(await lastNote()).toBe('the multipart body is larger than --upload-limit (uploadLimit), 33554432 bytes');
    expect((await fetch(`${t.sb.url}/__sandbox/health`)).status).toBe(200);
  });

  test('fields over 1 MiB in a small upload → 413: fields are held, so --body-limit bounds them', async () => {
    expectTooLarge('sop', await postMultipart(t.sb.url, '/gateway.do', { fileBytes: 10, fields: { biz_content: 'x'.repeat(MiB) } }));
    expect(await lastNote()).toBe(
      "the multipart body's fields and part headers are larger than --body-limit (bodyLimit), 1048576 bytes (each part counts 128 bytes besides its name, filename, type and value)",
    );
    // Many small fields add up the same way.
    const many = Object.fromEntries(Array.from({ length: 600 }, (_, i) => [`k${i}`, 'v'.repeat(2000)]));
    expectTooLarge('sop', await postMultipart(t.sb.url, '/gateway.do', { fileBytes: 10, fields: many }));
  });

  test('20 000 empty file parts (2.7 MB on the wire) → 413: each part kept counts toward --body-limit', async () => {
    expectTooLarge('sop', await postMultipart(t.sb.url, '/gateway.do', { fileBytes: 0, emptyFiles: 20_000 }));
    expect(await lastNote()).toMatch(/^the multipart body's fields and part headers are larger than --body-limit/);
    // 2 000 of them fit: served as usual.
    const fits = await postMultipart(t.sb.url, '/gateway.do', { fileBytes: 0, emptyFiles: 2000 });
    expect([fits.status, JSON.parse(fits.text).error_response.sub_code]).toEqual([200, 'isv.missing-method']);
  });
});

describe('a long run stays bounded', () => {
  test('the journal keeps the newest N exchanges (--journal-size 50) through 1 500 requests', async () => {
    const t = await startTestSandbox({ journalSize: 50 });
    try {
      // Over pooled connections: the journal counts exchanges, whatever connection they came on.
      const login = Buffer.from(JSON.stringify({ client_id: '23', username: 'test', md5password: 'x', shapassword: 'y' }));
      for (let i = 0; i < 1500; i += 50) {
        await Promise.all(
          Array.from({ length: 50 }, () =>
            sendRaw(t.sb.url, { method: 'POST', path: '/oauth/token', headers: { 'content-type': 'application/json' }, body: login }, 60_000),
          ),
        );
      }
      const res = await t.http.get('/__sandbox/requests?limit=1000');
      expect(res.body.count).toBe(50);
      expect(res.body.requests[0].id).toBe(1500);
      expect(res.body.requests[49].id).toBe(1451);
      expect(t.sb.sandbox.journal.size).toBe(50);
    } finally {
      closeAgent();
      await t.close();
    }
  }, 60_000);

  test("codes nobody redeems leave the store a day after they expire: 30 days of 60 codes a day, never more than one day's worth", async () => {
    const t = await startTestSandbox();
    try {
      const sizes: number[] = [];
      for (let day = 0; day < 30; day++) {
        // 1 800 codes one after another: over a pooled connection, not a new one each.
        for (let i = 0; i < 20; i++) {
          await mantunCode(t.sb.url);
          await sopCode(t.sb.url);
          await zjrcCode(t.sb.url);
        }
        sizes.push(t.sb.sandbox.world.store.size);
        // SOP codes live 24 h, so a day and a bit past expiry is two days and a bit.
        t.sb.clock.advance('49h');
      }
      // Without pruning the store would hold 1 800 codes by the last day.
      expect(sizes).toEqual(Array.from({ length: 30 }, () => 60));
    } finally {
      closeAgent();
      await t.close();
    }
  }, 60_000);
});
