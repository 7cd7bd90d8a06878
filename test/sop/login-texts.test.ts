import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { APP, form, REDIRECT_URI, sopFixtureFile, USER } from '../helpers/sop.js';

/**
 * The login form's refusals are catalogue kinds (`empty_credentials`, `bad_credentials`): a fixture changes their
 * text (`sop.errors.<kind>.message`), and a fault rule asking for one answers the page a real refusal answers.
 */

const EMPTY = '请输入用户名和密码';
const WRONG = '账号或密码错误，请重试';

let t: TestSandbox;
beforeAll(async () => {
  t = await startTestSandbox({ fixtures: [sopFixtureFile({ errors: { empty_credentials: { message: EMPTY }, bad_credentials: { message: WRONG } } })] });
});
afterAll(() => t.close());

const login = (fields: Record<string, string>) =>
  t.http
    .post('/oauth2/authorize')
    .type('form')
    .send(form({ response_type: 'code', client_id: APP.appId, redirect_uri: REDIRECT_URI, ...fields }));

/** The text of the page's alert, as a person reads it. */
const alertOf = (html: string) => /<p class="error" role="alert">([^<]*)<\/p>/.exec(html)?.[1];

test("the fixture's texts show on the form, which keeps the user name", async () => {
  const empty = await login({ username: USER.username, password: '' });
  expect([empty.status, empty.headers['content-type'], alertOf(empty.text)]).toEqual([200, 'text/html;charset=UTF-8', EMPTY]);
  expect(empty.text).not.toContain('用户名密码不能为空');

  const wrong = await login({ username: USER.username, password: 'nope' });
  expect([wrong.status, alertOf(wrong.text)]).toEqual([200, WRONG]);
  expect(wrong.text).toContain(`<input type="text" id="username" name="username" value="${USER.username}"`);
  expect(wrong.text).toContain(`<input type="hidden" name="client_id" value="${APP.appId}">`);
  expect(wrong.text).toContain(`<input type="hidden" name="redirect_uri" value="${REDIRECT_URI}">`);
});

test('a fault rule asking for bad_credentials answers the very page a wrong password gets', async () => {
  const real = await login({ username: USER.username, password: 'nope' });
  await t.http
    .post('/__sandbox/faults')
    .send({ id: 'no-login', platform: 'sop', endpoint: 'authorize', first: 1, respond: { error: 'bad_credentials' } })
    .expect(201);
  const injected = await login({ username: USER.username, password: USER.password });
  expect([injected.status, injected.headers['content-type'], injected.text]).toEqual([real.status, real.headers['content-type'], real.text]);
  // The rule fired once: the right password logs in again.
  expect((await login({ username: USER.username, password: USER.password })).status).toBe(302);
});

test('without an override the platform’s own texts show', async () => {
  const plain = await startTestSandbox();
  try {
    const post = (password: string) =>
      plain.http
        .post('/oauth2/authorize')
        .type('form')
        .send(form({ response_type: 'code', client_id: APP.appId, redirect_uri: REDIRECT_URI, username: USER.username, password }));
    expect(alertOf((await post('')).text)).toBe('用户名密码不能为空');
    expect(alertOf((await post('nope')).text)).toBe('用户名密码不正确');
  } finally {
    await plain.close();
  }
});
