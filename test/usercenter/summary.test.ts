import { banner } from '../../src/cli/output/banner.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

let t: TestSandbox;
beforeAll(async () => {
  t = await startTestSandbox();
});
afterAll(() => t.close());

test('GET /__sandbox/platforms and the start banner show base URLs, clients and test users with both hashes and codes', async () => {
  const res = await t.http.get('/__sandbox/platforms');
  const summary = res.body.platforms.find((p: { id: string }) => p.id === 'usercenter');
  const base = t.sb.url;
  expect(summary).toEqual({
    id: 'usercenter',
    title: 'Yonyou 友户通 UserCenter OAuth2',
    baseUrls: [base, `${base}/usercenter`, `${base}/cas`, `${base}/rest`],
    credentials: [
      { label: 'client_id / sysid', value: '23 / aaaa  (access 86400 s, refresh 259200 s)' },
      { label: 'client_id / sysid', value: '37 / yht  (access 60 s, refresh 180 s)' },
      { label: 'user (username / password)', value: 'test | 18812342841 | test@example.com / sandbox123' },
      { label: '  md5password', value: '6c0e1925dd6e8c994eeff5472c60a2a6' },
      { label: '  shapassword', value: 'bffe974187985ef50507ae39e140e860db1d7282' },
      { label: '  validateCode', value: '2233' },
      { label: 'user (username / password)', value: 'zhangsan | 13900001234 | zhangsan@example.com / Passw0rd!' },
      { label: '  md5password', value: '47b7bfb65fa83ac9a71dcb0f6296bb6e' },
      { label: '  shapassword', value: 'f4a69973e7b0bf9d160f9f60e3c3acd2494beb0d' },
    ],
  });
  const text = banner('0.0.0', base, [summary]);
  expect(text).toContain(
    `usercenter — Yonyou 友户通 UserCenter OAuth2\n  base URL   ${base}\n${' '.repeat(13)}${base}/usercenter\n${' '.repeat(13)}${base}/cas\n${' '.repeat(13)}${base}/rest\n`,
  );
  expect(text).toContain(`\n    md5password${' '.repeat(15)}6c0e1925dd6e8c994eeff5472c60a2a6\n`);
});
