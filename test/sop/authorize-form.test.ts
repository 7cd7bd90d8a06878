import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { APP, form, HEX32, REDIRECT_URI, USER } from '../helpers/sop.js';

let t: TestSandbox;
beforeAll(async () => {
  t = await startTestSandbox();
});
afterAll(() => t.close());

const authUrl = (query: Record<string, string>) => `/oauth2/appToAppAuth?${new URLSearchParams(query).toString()}`;

/** What a browser submits: the page's form fields (hidden ones as rendered), the typed credentials, to the resolved action. */
function browserSubmission(pageUrl: string, html: string, typed: Record<string, string>): { action: string; body: string } {
  const formTag = /<form method="post" action="([^"]+)">/.exec(html);
  if (!formTag) throw new Error(`no form in ${html}`);
  const unescape = (v: string) =>
    v
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
  const fields = new URLSearchParams();
  for (const m of html.matchAll(/<input type="(hidden|text|password)"[^>]*?name="([^"]+)"(?: value="([^"]*)")?/g)) {
    const [, type, name, value] = m;
    fields.append(name, type === 'hidden' ? unescape(value ?? '') : (typed[name] ?? ''));
  }
  const action = new URL(formTag[1], new URL(pageUrl, 'http://sandbox.test')).pathname;
  return { action, body: fields.toString() };
}

async function openAndSubmit(pageUrl: string, typed: Record<string, string>) {
  const page = await t.http.get(pageUrl);
  const { action, body } = browserSubmission(pageUrl, page.text, typed);
  return t.http.post(action).set('content-type', 'application/x-www-form-urlencoded').send(body);
}

describe('app-to-app authorization page (docs/platforms/sop.md#authorization)', () => {
  test('GET renders the login form with the hidden fields and the 登录并授权 button', async () => {
    const res = await t.http.get(authUrl({ app_id: APP.appId, redirect_uri: REDIRECT_URI }));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html;charset=UTF-8');
    expect(res.text).toContain('<form method="post" action="authorize">');
    expect(res.text).toContain('<input type="hidden" name="response_type" value="code">');
    expect(res.text).toContain(`<input type="hidden" name="client_id" value="${APP.appId}">`);
    expect(res.text).toContain(`<input type="hidden" name="redirect_uri" value="${REDIRECT_URI}">`);
    expect(res.text).toContain('name="username"');
    expect(res.text).toContain('<input type="password" id="password" name="password"');
    expect(res.text).toContain('<button type="submit">登录并授权</button>');
    expect(res.text).not.toContain('class="error"');
  });

  test('values are HTML-escaped in the page', async () => {
    const res = await t.http.get(authUrl({ app_id: APP.appId, redirect_uri: 'http://x/cb?a=1&b="<script>' }));
    expect(res.text).toContain('value="http://x/cb?a=1&amp;b=&quot;&lt;script&gt;"');
    expect(res.text).not.toContain('<script>');
  });

  test('a browser filling in the form lands on redirect_uri?app_id=..&code=.. (302)', async () => {
    const res = await openAndSubmit(authUrl({ app_id: APP.appId, redirect_uri: REDIRECT_URI }), { username: USER.username, password: USER.password });
    expect(res.status).toBe(302);
    expect(res.headers.location).toMatch(new RegExp(`^http://localhost:3000/callback\\?app_id=${APP.appId}&code=[0-9a-f]{32}$`));
    expect(res.text).toBe('');
  });

  test('a redirect_uri with a query keeps it and gets app_id and code appended', async () => {
    const res = await openAndSubmit(authUrl({ app_id: APP.appId, redirect_uri: 'http://localhost:3000/cb?state=xyz' }), {
      username: USER.username,
      password: USER.password,
    });
    expect(res.status).toBe(302);
    const location = new URL(res.headers.location);
    expect(`${location.origin}${location.pathname}`).toBe('http://localhost:3000/cb');
    expect([...location.searchParams.keys()]).toEqual(['state', 'app_id', 'code']);
    expect(location.searchParams.get('state')).toBe('xyz');
    expect(location.searchParams.get('code')).toMatch(HEX32);
  });

  test('the page works under the /sop prefix, posting to /sop/oauth2/authorize', async () => {
    const res = await openAndSubmit(`/sop${authUrl({ app_id: APP.appId, redirect_uri: REDIRECT_URI })}`, { username: USER.username, password: USER.password });
    expect(res.status).toBe(302);
    expect(t.sb.requests({ platform: 'sop', endpoint: 'authorize', limit: 1 })[0].path).toBe('/sop/oauth2/authorize');
  });

  test.each([
    ['empty username', { username: '', password: USER.password }],
    ['empty password', { username: USER.username, password: '' }],
  ])('%s → the form again with 用户名密码不能为空', async (_name, typed) => {
    const res = await openAndSubmit(authUrl({ app_id: APP.appId, redirect_uri: REDIRECT_URI }), typed);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html;charset=UTF-8');
    expect(res.text).toContain('<p class="error" role="alert">用户名密码不能为空</p>');
    expect(res.text).toContain(`<input type="hidden" name="client_id" value="${APP.appId}">`);
    expect(res.text).toContain(`<input type="hidden" name="redirect_uri" value="${REDIRECT_URI}">`);
  });

  test.each([
    ['wrong password', { username: USER.username, password: 'nope' }],
    ['unknown user', { username: 'nobody', password: USER.password }],
  ])('%s → the form again with 用户名密码不正确, username kept', async (_name, typed) => {
    const res = await openAndSubmit(authUrl({ app_id: APP.appId, redirect_uri: REDIRECT_URI }), typed);
    expect(res.status).toBe(200);
    expect(res.text).toContain('<p class="error" role="alert">用户名密码不正确</p>');
    expect(res.text).toContain(`name="username" value="${typed.username}"`);
  });

  test('unknown app → 400 {"error":"invalid_client","error_description":"invalid_client"}', async () => {
    const res = await openAndSubmit(authUrl({ app_id: '2000000000000000', redirect_uri: REDIRECT_URI }), { username: USER.username, password: USER.password });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toBe('application/json;charset=UTF-8');
    expect(res.text).toBe('{"error":"invalid_client","error_description":"invalid_client"}');
  });

  test('missing redirect_uri → "OAuth redirectUri needs to be provided by client!!!"', async () => {
    const res = await openAndSubmit(authUrl({ app_id: APP.appId }), { username: USER.username, password: USER.password });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toBe('text/plain;charset=UTF-8');
    expect(res.text).toBe('OAuth redirectUri needs to be provided by client!!!');
  });

  test('a post without response_type, or with another one, is sent back to redirect_uri with an OAuth error', async () => {
    const base = { client_id: APP.appId, redirect_uri: REDIRECT_URI, username: USER.username, password: USER.password };
    const missing = await t.http.post('/oauth2/authorize').type('form').send(form(base));
    expect(missing.status).toBe(302);
    expect(missing.headers.location).toBe(`${REDIRECT_URI}?error=invalid_request&error_description=Missing+response_type+parameter+value`);
    const token = await t.http
      .post('/oauth2/authorize')
      .type('form')
      .send(form({ ...base, response_type: 'token' }));
    expect(token.headers.location).toBe(`${REDIRECT_URI}?error=unsupported_response_type&error_description=Invalid+response_type+parameter+value`);
  });

  test('the journal masks the password', async () => {
    await openAndSubmit(authUrl({ app_id: APP.appId, redirect_uri: REDIRECT_URI }), { username: USER.username, password: USER.password });
    const entry = t.sb.requests({ platform: 'sop', endpoint: 'authorize', limit: 1 })[0];
    expect(entry.request.body).toMatchObject({ username: USER.username, client_id: APP.appId });
    expect(JSON.stringify(entry.request.body)).not.toContain(USER.password);
  });
});
