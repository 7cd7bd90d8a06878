import { postOnce } from '../helpers/http-post.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { form, getTokens, refreshParams, tokenParams } from '../helpers/mantun.js';
import { closeAgent } from './fuzz-http.js';
import { mantunCode } from './pooled-codes.js';

let t: TestSandbox;
beforeAll(async () => {
  t = await startTestSandbox();
});
afterAll(async () => {
  closeAgent();
  await t.close();
});

async function post(path: string, params: Record<string, string>): Promise<Record<string, any>> {
  const res = await postOnce(`${t.sb.url}${path}`, form(params), 'application/x-www-form-urlencoded');
  return JSON.parse(res.text) as Record<string, any>;
}

describe('concurrency on the shared token lifecycle', () => {
  test('1 000 concurrent exchanges of distinct codes: all succeed, no token issued twice', async () => {
    // The codes are material: they come over pooled connections; the racing exchanges keep a connection each.
    const codes = await Promise.all(Array.from({ length: 1000 }, () => mantunCode(t.sb.url)));
    expect(new Set(codes).size).toBe(1000);
    const results = await Promise.all(codes.map((code) => post('/oauth/token.as', tokenParams(code))));
    expect(results.filter((r) => r.success !== true)).toEqual([]);
    const access = new Set(results.map((r) => r.data.accessToken));
    const refresh = new Set(results.map((r) => r.data.refreshToken));
    expect(access.size).toBe(1000);
    expect(refresh.size).toBe(1000);
  }, 60_000);

  test('100 concurrent refreshes of one refresh token under single-use rotation: exactly one success', async () => {
    const { refreshToken } = await getTokens(t.http);
    const results = await Promise.all(Array.from({ length: 100 }, () => post('/oauth/refresh.as', refreshParams(refreshToken))));
    expect(results.filter((r) => r.success === true)).toHaveLength(1);
    expect(results.filter((r) => r.code === '10021')).toHaveLength(99);
  });
});
