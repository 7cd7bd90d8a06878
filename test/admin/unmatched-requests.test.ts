import { request as httpRequest } from 'node:http';
import { PassThrough } from 'node:stream';
import { createLogger } from '../../src/core/log.js';
import { useSandbox } from '../helpers/sandbox.js';
import { APP, form } from '../helpers/mantun.js';
import { SseClient } from '../ui/sse-client.js';

const t = useSandbox();

/** One request as an SDK sends it (its own headers, a form body), on a connection of its own: status, headers and text. */
function send(
  method: string,
  path: string,
  body?: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, unknown>; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${t().sb.url}${path}`,
      { method, agent: false, headers: { ...headers, ...(body !== undefined ? { 'content-length': Buffer.byteLength(body) } : {}) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const unmatched = async (query = 'matched=false') => (await t().http.get(`/__sandbox/requests?${query}`)).body.requests;
const FORM = 'application/x-www-form-urlencoded; charset=UTF-8';

describe('a request no endpoint serves is answered as before, and journaled with what was meant', () => {
  test('a typo in a Mantun path: 404 as always, and the journal names /oauth/token.as', async () => {
    const body = form({ client_id: APP.appKey, client_secret: 'S3CRET', grant_type: 'authorization_code', code: 'abc' });
    const res = await send('POST', '/oauth/tokn.as?trace=1', body, {
      'content-type': FORM,
      'user-agent': 'okhttp/4.12.0',
      cookie: 'JSESSIONID=abc123; lang=zh',
    });
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(res.text)).toEqual({
      error: 'not_found',
      message: 'No platform endpoint at POST /oauth/tokn.as. Platforms: /mantun, /usercenter, /sop, /zjrc; control plane: /__sandbox/.',
    });
    const [entry] = await unmatched();
    expect(entry).toMatchObject({
      matched: false,
      platform: '',
      endpoint: '',
      method: 'POST',
      path: '/oauth/tokn.as',
      status: 404,
      hint: 'no endpoint at /oauth/tokn.as: did you mean POST /oauth/token.as (mantun token.as)?',
      request: {
        query: { trace: '1' },
        rawQuery: 'trace=1',
        contentType: 'application/x-www-form-urlencoded',
        bodySize: Buffer.byteLength(body),
        headers: { 'user-agent': 'okhttp/4.12.0', cookie: 'JSESSIONID=***; lang=***', 'content-type': FORM },
      },
    });
    // The body is there to read, its secret masked.
    expect(entry.request.body).toContain('client_id=O000000049');
    expect(entry.request.body).toContain('client_secret=***');
    expect(JSON.stringify(entry)).not.toContain('S3CRET');
  });

  test('GET where only POST is served: 405 with Allow, as always, and the hint says POST', async () => {
    const res = await send('GET', '/oauth/token.as');
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('POST');
    expect(JSON.parse(res.text)).toEqual({ error: 'method_not_allowed', message: 'GET is not served at /oauth/token.as; use POST.' });
    const [entry] = await unmatched();
    expect(entry).toMatchObject({
      matched: false,
      platform: '',
      endpoint: '',
      status: 405,
      hint: 'GET is not served at /oauth/token.as: mantun token.as takes POST',
    });
  });

  test("SOP's gateway under a wrong base path: the hint names the gateway's paths and SOP's base paths", async () => {
    const res = await send('POST', '/api/gateway.do', 'app_id=2019032617262200001&method=open.auth.token.app', { 'content-type': FORM });
    expect(res.status).toBe(404);
    const [entry] = await unmatched();
    expect(entry.hint).toBe(
      "no endpoint at /api/gateway.do: sop gateway answers GET or POST at /, /api, /gateway.do, under sop's base paths /, /sop (did you mean /gateway.do?)",
    );
    expect(entry.platform).toBe('');
  });

  test('under a platform prefix, the journal names that platform; a path far from every endpoint says where platforms are', async () => {
    await send('POST', '/mantun/oauth/tokenn.as');
    await send('GET', '/zjrc/nothing/like/this/at/all');
    const [far, near] = await unmatched();
    expect(near).toMatchObject({
      platform: 'mantun',
      hint: 'no endpoint at /mantun/oauth/tokenn.as: did you mean POST /mantun/oauth/token.as (mantun token.as)?',
    });
    expect(far).toMatchObject({
      platform: 'zjrc',
      hint: 'no endpoint at /zjrc/nothing/like/this/at/all or near it: platforms answer at their own paths and under /mantun, /usercenter, /sop, /zjrc (GET /__sandbox/platforms lists every base URL)',
    });
  });

  test("in a session, the entry is that session's; answered requests say matched: true and carry their headers too", async () => {
    const created = await t().http.post('/__sandbox/sessions').send({ id: 'miss-1' });
    expect(created.status).toBe(201);
    await send('POST', '/s/miss-1/oauth/refesh.as', '', { authorization: 'Bearer abc.def', 'x-sandbox-admin-token': 'letmein' });
    const [entry] = await unmatched('matched=false&session=miss-1');
    expect(entry).toMatchObject({
      session: 'miss-1',
      hint: 'no endpoint at /oauth/refesh.as: did you mean POST /oauth/refresh.as (mantun refresh.as)?',
      request: { bodySize: 0, headers: { authorization: 'Bearer ***', 'x-sandbox-admin-token': '***' } },
    });
    await send('POST', '/oauth/authverify2.as', form({ client_id: APP.appKey }), { 'content-type': FORM, 'user-agent': 'okhttp/4.12.0' });
    const [served] = (await t().http.get('/__sandbox/requests?matched=true')).body.requests;
    expect(served).toMatchObject({ matched: true, endpoint: 'authverify2.as', request: { headers: { 'user-agent': 'okhttp/4.12.0' } } });
    expect(served.hint).toBeUndefined();
  });

  test('the event stream delivers an unmatched request with its hint', async () => {
    const stream = await SseClient.open(`${t().sb.url}/__sandbox/events`);
    try {
      await stream.nth('hello');
      await send('GET', '/oauth/token.as');
      const message = await stream.nth('request');
      expect(message.data).toMatchObject({ matched: false, status: 405, hint: 'GET is not served at /oauth/token.as: mantun token.as takes POST' });
    } finally {
      stream.close();
    }
  });

  test('a hostile path (8 000 characters) is answered at once and journaled, without an edit distance over it', async () => {
    const path = `/${'x'.repeat(8_000)}`;
    const res = await send('GET', path);
    expect(res.status).toBe(404);
    const [entry] = await unmatched();
    expect(entry.hint).toMatch(/^no endpoint at \/x+ or near it/);
    expect((await t().http.get('/__sandbox/health')).status).toBe(200);
  });

  test('"matched" must be true or false', async () => {
    const res = await t().http.get('/__sandbox/requests?matched=no');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: 'invalid_request',
      message: '"matched" must be true (requests an endpoint served) or false (requests no endpoint matched), got "no".',
    });
  });
});

test('the log line of an unmatched request says so and carries the hint', async () => {
  const out = new PassThrough();
  let text = '';
  out.on('data', (c: Buffer) => (text += c.toString()));
  const logger = await createLogger('pretty', 'info', out);
  logger.request({
    session: 'default',
    platform: '',
    endpoint: '',
    method: 'GET',
    path: '/oauth/token.as',
    status: 405,
    ms: 1.25,
    hint: 'GET is not served at /oauth/token.as: mantun token.as takes POST',
  });
  expect(text).toBe('GET /oauth/token.as → 405 unmatched 1.3ms — GET is not served at /oauth/token.as: mantun token.as takes POST\n');
});
