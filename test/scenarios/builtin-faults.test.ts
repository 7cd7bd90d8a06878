import { MantunClient } from '../helpers/mantun.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { mantunFailure, PROJECTS, tokenBody, networkError } from './support.js';

let t: TestSandbox;
let mantun: MantunClient;
afterEach(() => t?.close());

async function start(scenario?: string | string[]) {
  t = await startTestSandbox(scenario ? { scenario } : {});
  mantun = new MantunClient(t.http);
}

const lastEntry = async () => (await t.http.get('/__sandbox/requests?limit=1')).body.requests[0];

const TOMCAT_500 =
  '<!doctype html><html lang="en"><head><title>HTTP Status 500 – Internal Server Error</title></head><body><h1>HTTP Status 500 – Internal Server Error</h1></body></html>';
const CALLBACK = 'OAuth callback url needs to be provided!';

describe('token-endpoint-500', () => {
  test('token.as and refresh.as answer a Tomcat 500 page; authverify2.as and router.as are untouched', async () => {
    await start();
    const tokens = await mantun.tokens();
    await t.http.put('/__sandbox/scenario').send({ name: 'token-endpoint-500' }).expect(200);

    const code = await mantun.code();
    const exchange = await mantun.exchange(code);
    expect(exchange.status).toBe(500);
    expect(exchange.headers['content-type']).toBe('text/html;charset=utf-8');
    expect(exchange.text).toBe(TOMCAT_500);
    expect(await lastEntry()).toMatchObject({ endpoint: 'token.as', status: 500, rule: 'token-endpoint-500' });

    const refresh = await mantun.refresh(tokens.refreshToken);
    expect(refresh.status).toBe(500);
    expect(refresh.text).toBe(TOMCAT_500);
    expect((await mantun.call(tokens.accessToken, 'GET_PROJECTS', t.sb.clock.now())).body).toEqual(PROJECTS);
    expect((await lastEntry()).rule).toBeUndefined();

    // The platform never saw the exchange: once the fault is gone, the code is still good.
    await t.http.delete('/__sandbox/scenario').expect(200);
    expect((await mantun.exchange(code)).body).toEqual(tokenBody());
  });
});

describe('token-endpoint-slow', () => {
  test('a client with a 300 ms timeout gives up; the platform did issue the tokens', async () => {
    await start('token-endpoint-slow');
    const code = await mantun.code();
    const err = await networkError(mantun.exchange(code).timeout(300));
    expect(err).toBe('ECONNABORTED');
    const entry = await lastEntry();
    expect(entry).toMatchObject({ endpoint: 'token.as', status: 200, rule: 'token-endpoint-slow' });
    expect(entry.response.body).toEqual(tokenBody());
  });
});

describe('flaky', () => {
  async function run(): Promise<number[]> {
    await start();
    const { accessToken } = await mantun.tokens();
    await t.http.put('/__sandbox/scenario').send({ name: 'flaky' }).expect(200);
    const statuses: number[] = [];
    for (let i = 0; i < 60; i++) statuses.push((await mantun.call(accessToken, 'GET_PROJECTS', t.sb.clock.now())).status);
    await t.close();
    return statuses;
  }

  test('about 20 % of calls fail with an nginx 502, and the same calls fail on every run', async () => {
    const first = await run();
    const second = await run();
    expect(second).toEqual(first);
    const failures = first.filter((s) => s === 502).length;
    expect(first.every((s) => s === 200 || s === 502)).toBe(true);
    expect(failures).toBeGreaterThanOrEqual(5);
    expect(failures).toBeLessThanOrEqual(20);
  });

  test('the failure is the proxy page, recorded in the journal under the rule', async () => {
    await start();
    await t.http
      .put('/__sandbox/scenario')
      .send({ scenarios: ['flaky'] })
      .expect(200);
    let res;
    for (let i = 0; i < 50; i++) {
      res = await mantun.authverify();
      if (res.status === 502) break;
    }
    expect(res!.status).toBe(502);
    expect(res!.headers['content-type']).toBe('text/html');
    expect(res!.text).toBe(
      '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n',
    );
    expect((await lastEntry()).rule).toBe('flaky');
  });
});

describe('callback-url-missing', () => {
  test('every Mantun OAuth call answers the callback-url text, whatever it sends', async () => {
    await start();
    const tokens = await mantun.tokens();
    await t.http.put('/__sandbox/scenario').send({ name: 'callback-url-missing' }).expect(200);
    for (const res of [await mantun.authverify(), await mantun.exchange('0'.repeat(32)), await mantun.refresh(tokens.refreshToken)]) {
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toBe('text/plain;charset=UTF-8');
      expect(res.text).toBe(CALLBACK);
    }
    expect((await lastEntry()).rule).toBe('callback-url-missing');
    expect((await mantun.call(tokens.accessToken, 'GET_PROJECTS', t.sb.clock.now())).body).toEqual(PROJECTS);
  });
});

describe('invalid-signature', () => {
  test('every signed Mantun call (router.as) is refused with the sign error; OAuth calls still work', async () => {
    await start('invalid-signature');
    const tokens = await mantun.tokens();
    const res = await mantun.call(tokens.accessToken, 'GET_PROJECTS', t.sb.clock.now());
    expect(res.status).toBe(200);
    expect(res.body).toEqual(mantunFailure('10040', 'sign is wrong: expected md5(values of all other params sorted by name + appSecret)'));
    expect((await lastEntry()).rule).toBe('invalid-signature');
  });
});

describe('connection-reset', () => {
  test('token.as drops the connection; the code was not spent, so the retry after the outage works', async () => {
    await start('connection-reset');
    const code = await mantun.code();
    expect(await networkError(mantun.exchange(code))).toBe('ECONNRESET');
    const entry = await lastEntry();
    expect(entry).toMatchObject({ endpoint: 'token.as', status: 0, rule: 'connection-reset', response: { body: '(reset)' } });
    await t.http.delete('/__sandbox/scenario').expect(200);
    expect((await mantun.exchange(code)).body).toEqual(tokenBody());
  });
});

describe('refresh-response-lost', () => {
  test('the first refresh is processed but its answer is lost; the retry with the old token fails', async () => {
    await start('refresh-response-lost');
    const first = await mantun.tokens();
    expect(await networkError(mantun.refresh(first.refreshToken))).toBe('ECONNRESET');
    expect((await mantun.refresh(first.refreshToken)).body).toEqual(mantunFailure('10021', 'refresh_token has already been used'));
  });

  test('with rotation-strict under it, the retry revokes the whole login', async () => {
    await start(['rotation-strict', 'refresh-response-lost']);
    const first = await mantun.tokens();
    await networkError(mantun.refresh(first.refreshToken));
    await mantun.refresh(first.refreshToken);
    expect((await mantun.call(first.accessToken, 'GET_PROJECTS', t.sb.clock.now())).body).toEqual(mantunFailure('10032', 'access_token has been revoked'));
  });
});
