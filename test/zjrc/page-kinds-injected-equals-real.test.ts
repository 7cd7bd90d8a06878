import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { APP, AUTHORIZE, fixtureFile, removeFixtureFiles, USER } from '../helpers/zjrc.js';

/**
 * The authorization page's refusals are kinds of the ZJRC catalogue: a fixture that rewords one changes
 * the page's real answer, and a fault rule asking for that kind answers with the very same bytes.
 */
let t: TestSandbox;
beforeAll(async () => {
  t = await startTestSandbox({
    fixtures: [fixtureFile({ errors: { unknown_app: { message: '没有这个应用: {detail}' }, bad_credentials: { message: '账号或密码不对', status: 401 } } })],
  });
});
afterAll(async () => {
  await t.close();
  removeFixtureFiles();
});

const query = (over: Record<string, string> = {}) =>
  new URLSearchParams({ appId: APP.appId, redirectUri: APP.redirectUri, scope: 'get_nor_user_info', state: 'st', ...over }).toString();
const login = (password: string) =>
  t.http
    .post(AUTHORIZE)
    .type('form')
    .send(
      new URLSearchParams({
        appId: APP.appId,
        redirectUri: APP.redirectUri,
        scope: 'get_nor_user_info',
        state: 'st',
        username: USER.username,
        password,
      }).toString(),
    );
const arm = (rule: object) =>
  t.http
    .post('/__sandbox/faults')
    .send({ platform: 'zjrc', first: 1, ...rule })
    .expect(201);
const answer = (res: { status: number; headers: Record<string, string>; text: string }) => [res.status, res.headers['content-type'], res.text];
const lastEntry = async () => (await t.http.get('/__sandbox/requests?limit=1')).body.requests[0];

test("unknown_app: the page says the fixture's text, and a fault rule asking for it answers the same page", async () => {
  const real = await t.http.get(`${AUTHORIZE}?${query({ appId: 'NOPE' })}`);
  expect(real.status).toBe(400);
  expect(real.text).toContain('<p class="error" id="error">没有这个应用: NOPE</p>');
  expect((await lastEntry()).rule).toBeUndefined();

  await arm({ id: 'page-unknown-app', endpoint: 'authorize', respond: { error: 'unknown_app', detail: 'NOPE' } });
  const injected = await t.http.get(`${AUTHORIZE}?${query({ appId: 'NOPE' })}`);
  expect(answer(injected)).toEqual(answer(real));
  expect(await lastEntry()).toMatchObject({ endpoint: 'authorize', status: 400, rule: 'page-unknown-app' });
});

test("bad_credentials: the login form again with the fixture's text and status, real or injected alike", async () => {
  const real = await login('wrong');
  expect(real.status).toBe(401);
  expect(real.text).toContain('<p class="error" id="error">账号或密码不对</p>');
  expect(real.text).toContain(`value="${USER.username}" autocomplete="username"`);

  // The injected one fires on a login that would have succeeded: no code, the same form.
  await arm({ id: 'login-refused', endpoint: 'authorize.login', respond: { error: 'bad_credentials' } });
  const injected = await login(USER.password);
  expect(answer(injected)).toEqual(answer(real));
  expect(injected.headers.location).toBeUndefined();
  expect(await lastEntry()).toMatchObject({ endpoint: 'authorize.login', status: 401, rule: 'login-refused' });
  expect((await login(USER.password)).status).toBe(302);
});
