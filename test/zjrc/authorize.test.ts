import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { APP, AUTHORIZE, HEX32, USER } from '../helpers/zjrc.js';

let t: TestSandbox;
beforeAll(async () => {
  t = await startTestSandbox();
});
afterAll(() => t.close());

const query = (over: Record<string, string> = {}) =>
  new URLSearchParams({ appId: APP.appId, redirectUri: APP.redirectUri, scope: 'get_nor_user_info', state: 'st-42', ...over }).toString();
const login = (fields: Record<string, string>) =>
  t.http
    .post(AUTHORIZE)
    .type('form')
    .send(new URLSearchParams({ appId: APP.appId, redirectUri: APP.redirectUri, scope: 'get_nor_user_info', state: 'st-42', ...fields }).toString());
const errorText = (html: string) => /<p class="error" id="error">([^<]*)<\/p>/.exec(html)?.[1];

describe('ZJRC authorization page: GET shows the login form', () => {
  test('a login form for fixture users that carries appId, redirectUri, scope and state', async () => {
    const res = await t.http.get(`${AUTHORIZE}?${query()}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html;charset=UTF-8');
    expect(res.text).toContain('<form method="post" action="authorize">');
    expect(res.text).toContain(`<input type="hidden" name="appId" value="${APP.appId}">`);
    expect(res.text).toContain(`<input type="hidden" name="redirectUri" value="${APP.redirectUri}">`);
    expect(res.text).toContain('<input type="hidden" name="scope" value="get_nor_user_info">');
    expect(res.text).toContain('<input type="hidden" name="state" value="st-42">');
    expect(res.text).toContain('name="username"');
    expect(res.text).toContain('name="password"');
    expect(res.text).toContain('<li>get_nor_user_info</li>');
    expect(errorText(res.text)).toBeUndefined();
  });

  test('the page is served on the root too (/oauth/authorize)', async () => {
    const res = await t.http.get(`/oauth/authorize?${query()}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('登录并授权');
  });

  test('without scope the minimal scope is asked for', async () => {
    const res = await t.http.get(`${AUTHORIZE}?${new URLSearchParams({ appId: APP.appId, redirectUri: APP.redirectUri }).toString()}`);
    expect(res.text).toContain('<input type="hidden" name="scope" value="get_default_user_info">');
    expect(res.text).toContain('<input type="hidden" name="state" value="">');
  });

  test('values are HTML-escaped', async () => {
    const res = await t.http.get(`${AUTHORIZE}?${query({ state: '"><script>x</script>' })}`);
    expect(res.text).toContain('<input type="hidden" name="state" value="&quot;&gt;&lt;script&gt;x&lt;/script&gt;">');
    expect(res.text).not.toContain('<script>x');
  });

  test.each([
    ['missing appId', { appId: '' }, '缺少参数 appId'],
    ['unknown appId', { appId: 'NOPE' }, '应用不存在: NOPE'],
    ['missing redirectUri', { redirectUri: '' }, '缺少参数 redirectUri'],
    ['redirectUri not registered', { redirectUri: 'http://evil.example/cb' }, 'redirectUri 未登记: http://evil.example/cb'],
    ['unknown scope', { scope: 'get_nor_user_info get_everything' }, '授权范围不存在: get_everything'],
  ])('%s → 400 page with the reason, never a redirect', async (_name, over, message) => {
    const res = await t.http.get(`${AUTHORIZE}?${query(over)}`);
    expect(res.status).toBe(400);
    expect(res.headers.location).toBeUndefined();
    expect(res.headers['content-type']).toBe('text/html;charset=UTF-8');
    expect(errorText(res.text)).toBe(message);
  });
});

describe('ZJRC authorization page: POST logs in', () => {
  test('good credentials → 302 to redirectUri?code=<32 hex>&state=<state>', async () => {
    const res = await login({ username: USER.username, password: USER.password });
    expect(res.status).toBe(302);
    const location = new URL(res.headers.location as string);
    expect(`${location.origin}${location.pathname}`).toBe(APP.redirectUri);
    expect([...location.searchParams.keys()]).toEqual(['code', 'state']);
    expect(location.searchParams.get('code')).toMatch(HEX32);
    expect(location.searchParams.get('state')).toBe('st-42');
  });

  test('no state → only the code', async () => {
    const res = await login({ username: USER.username, password: USER.password, state: '' });
    expect(res.status).toBe(302);
    expect(res.headers.location).toMatch(new RegExp(`^${APP.redirectUri}\\?code=[0-9a-f]{32}$`));
  });

  test('as a browser does it: GET the page, post its form back (hidden fields + credentials) to its action', async () => {
    const pagePath = `${AUTHORIZE}?${query({ scope: 'get_core_user_info', state: 'browser' })}`;
    const page = await t.http.get(pagePath);
    const hidden = Object.fromEntries([...page.text.matchAll(/<input type="hidden" name="(\w+)" value="([^"]*)">/g)].map((m) => [m[1], m[2]]));
    const action = /<form method="post" action="([^"]+)">/.exec(page.text)?.[1] as string;
    const target = new URL(action, `${t.sb.url}${pagePath}`);
    const res = await t.http
      .post(target.pathname)
      .type('form')
      .send(new URLSearchParams({ ...hidden, username: USER.username, password: USER.password }).toString());
    expect(target.pathname).toBe(AUTHORIZE);
    expect(res.status).toBe(302);
    expect(res.headers.location).toMatch(new RegExp(`^${APP.redirectUri}\\?code=[0-9a-f]{32}&state=browser$`));
  });

  test('each login gives a new code', async () => {
    const a = await login({ username: USER.username, password: USER.password });
    const b = await login({ username: USER.username, password: USER.password });
    expect(a.headers.location).not.toBe(b.headers.location);
  });

  test.each([
    ['wrong password', { username: USER.username, password: 'nope' }, '用户名或密码错误'],
    ['unknown user', { username: 'nobody', password: 'sandbox123' }, '用户名或密码错误'],
    ['empty password', { username: USER.username, password: '' }, '用户名和密码不能为空'],
    ['empty username', { username: '', password: 'sandbox123' }, '用户名和密码不能为空'],
  ])('%s → the form again (200) with the error, no code', async (_name, fields, message) => {
    const res = await login(fields);
    expect(res.status).toBe(200);
    expect(res.headers.location).toBeUndefined();
    expect(errorText(res.text)).toBe(message);
    expect(res.text).toContain('<form method="post" action="authorize">');
    expect(res.text).toContain(`value="${fields.username}" autocomplete="username"`);
  });

  test('a bad appId in the post is refused like the page', async () => {
    const res = await login({ appId: 'NOPE', username: USER.username, password: USER.password });
    expect(res.status).toBe(400);
    expect(errorText(res.text)).toBe('应用不存在: NOPE');
  });

  test('the journal keeps the login but masks the password', async () => {
    await login({ username: USER.username, password: USER.password });
    const [entry] = t.sb.requests({ platform: 'zjrc', endpoint: 'authorize.login', limit: 1 });
    expect(entry.request.body).toMatchObject({ username: USER.username, password: '***' });
  });
});
