import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { APP, form, gatewayParams, HEX32, sopFixtureFile } from '../helpers/sop.js';

const STORY = 'alipay_story_get_response';
const OK = { code: '10000', msg: 'Success', name: '葫芦娃', id: '1', request_id: expect.stringMatching(HEX32) };
const MISSING_METHOD = { code: '40001', msg: '缺少必选参数', sub_code: 'isv.missing-method', sub_msg: '缺少方法名参数' };

/** Alipay-protocol clients put the public params in the URL and biz_content in the body. */
function split(params: Record<string, string>): { query: Record<string, string>; body: Record<string, string> } {
  const { biz_content, ...query } = params;
  return { query, body: biz_content === undefined ? {} : { biz_content } };
}

describe('gateway transport (docs/platforms/sop.md#gateway)', () => {
  let t: TestSandbox;
  beforeAll(async () => {
    t = await startTestSandbox();
  });
  afterAll(() => t.close());

  test.each(['/', '/api', '/gateway.do', '/sop', '/sop/gateway.do'])('POST form to %s', async (path) => {
    const res = await t.http
      .post(path)
      .type('form')
      .send(form(gatewayParams('alipay.story.get', t.sb.clock.now())));
    expect(res.body[STORY]).toEqual(OK);
  });

  test('GET reads the query', async () => {
    const res = await t.http.get('/').query(gatewayParams('alipay.story.get', t.sb.clock.now()));
    expect(res.body[STORY]).toEqual(OK);
  });

  test('POST with a JSON body (Content-Type says json)', async () => {
    const res = await t.http
      .post('/')
      .set('content-type', 'application/json;charset=utf-8')
      .send(JSON.stringify(gatewayParams('alipay.story.get', t.sb.clock.now())));
    expect(res.body[STORY]).toEqual(OK);
  });

  test("a POST's query string is merged with its body (public params in the URL)", async () => {
    const { query, body } = split(gatewayParams('alipay.story.get', t.sb.clock.now(), { biz_content: '{"id":"1"}' }));
    const res = await t.http.post('/').query(query).type('form').send(form(body));
    expect(res.body[STORY]).toEqual(OK);
  });

  test('a body that is neither form nor JSON carries no params', async () => {
    const res = await t.http
      .post('/')
      .set('content-type', 'text/plain')
      .send(form(gatewayParams('alipay.story.get', t.sb.clock.now())));
    expect(res.body).toEqual({ error_response: MISSING_METHOD });
  });

  test('malformed JSON is a request without params, not a crash', async () => {
    const res = await t.http.post('/').set('content-type', 'application/json').send('{"method":');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ error_response: MISSING_METHOD });
  });
});

describe('strictSopTransport: true (real SOP ignores a POST query string)', () => {
  let t: TestSandbox;
  beforeAll(async () => {
    t = await startTestSandbox({ fixtures: [sopFixtureFile({ strictSopTransport: true })] });
  });
  afterAll(() => t.close());

  test('public params in the query of a POST are not seen', async () => {
    const { query, body } = split(gatewayParams('alipay.story.get', t.sb.clock.now(), { biz_content: '{"id":"1"}' }));
    const res = await t.http.post('/').query(query).type('form').send(form(body));
    expect(res.body).toEqual({ error_response: MISSING_METHOD });
  });

  test('everything in the body still works, and GET still reads the query', async () => {
    const params = gatewayParams('alipay.story.get', t.sb.clock.now());
    expect((await t.http.post('/').type('form').send(form(params))).body[STORY]).toEqual(OK);
    expect((await t.http.get('/').query(params)).body[STORY]).toEqual(OK);
  });
});

describe('signErrors: false', () => {
  test('gateway errors come without sign; routed answers keep theirs', async () => {
    const t = await startTestSandbox({ fixtures: [sopFixtureFile({ signErrors: false })] });
    try {
      // A known app_id: without the setting this answer would be signed.
      const err = await t.http
        .post('/')
        .type('form')
        .send(form({ app_id: APP.appId }));
      expect(err.text).toBe('{"error_response":{"code":"40001","msg":"缺少必选参数","sub_code":"isv.missing-method","sub_msg":"缺少方法名参数"}}');
      const ok = await t.http
        .post('/')
        .type('form')
        .send(form(gatewayParams('alipay.story.get', t.sb.clock.now())));
      expect(ok.body.sign).toEqual(expect.any(String));
    } finally {
      await t.close();
    }
  });
});

describe('a body over the limit', () => {
  test('gets the error_response shape, not a stack trace', async () => {
    const t = await startTestSandbox({ bodyLimit: 100 });
    try {
      const res = await t.http
        .post('/')
        .type('form')
        .send(form(gatewayParams('alipay.story.get', t.sb.clock.now())));
      expect(res.body).toEqual({
        error_response: { code: '20000', msg: '服务不可用', sub_code: 'isp.unknown-error', sub_msg: '服务暂不可用' },
        sign: expect.any(String),
      });
    } finally {
      await t.close();
    }
  });
});
