import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { APP, GATEWAY } from '../helpers/zjrc.js';

let t: TestSandbox;
beforeAll(async () => {
  t = await startTestSandbox();
});
afterAll(() => t.close());

describe('what the banner and /__sandbox/platforms tell a ZJRC user', () => {
  test('base URLs and the built-in test credentials; the authorize link opens the login page', async () => {
    const res = await t.http.get('/__sandbox/platforms');
    const zjrc = (res.body.platforms as { id: string }[]).find((p) => p.id === 'zjrc');
    const base = t.sb.url;
    const authorizeUrl = `${base}/zjrc/oauth/authorize?appId=${APP.appId}&redirectUri=${encodeURIComponent(APP.redirectUri)}&scope=get_nor_user_info&state=xyz`;
    expect(zjrc).toEqual({
      id: 'zjrc',
      title: 'Zhejiang Rural Credit 丰收互联 OIP open platform',
      baseUrls: [base, `${base}/zjrc`],
      credentials: [
        { label: 'gateway', value: `${base}${GATEWAY}` },
        { label: 'appId', value: APP.appId },
        { label: 'client_secret (clientSign key)', value: APP.clientSecret },
        { label: 'app private key (TEST ONLY)', value: 'npx sandbox keys' },
        { label: 'authorize', value: authorizeUrl },
        { label: 'platform public key', value: 'npx sandbox keys' },
        { label: 'user (username / password)', value: '13900000000 / sandbox123' },
      ],
      timestampUtcOffsetMinutes: 480,
    });
    const page = await t.http.get(authorizeUrl.slice(base.length));
    expect(page.status).toBe(200);
    expect(page.text).toContain('<input type="hidden" name="state" value="xyz">');
  });
});
