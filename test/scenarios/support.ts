import type TestAgent from 'supertest/lib/agent.js';
import { APP, form, refreshParams, routerParams, tokenParams, USER } from '../helpers/mantun.js';

/** Mantun calls through any base path (a session's `/s/<id>`) and with any extra headers (`X-Sandbox-Session`). */
export class MantunClient {
  constructor(
    private readonly http: TestAgent,
    private readonly prefix = '',
    private readonly headers: Record<string, string> = {},
  ) {}

  post(path: string, params: Record<string, string>) {
    return this.http.post(`${this.prefix}${path}`).set(this.headers).type('form').send(form(params));
  }

  authverify() {
    return this.post('/oauth/authverify2.as', { response_type: 'code', client_id: APP.appKey, redirect_uri: APP.redirectUri, uname: USER.uname, passwd: USER.passwd });
  }

  async code(): Promise<string> {
    const res = await this.authverify();
    if (res.body.success !== 'true') throw new Error(`authverify2.as failed: ${res.status} ${res.text}`);
    return res.body.code as string;
  }

  exchange(code: string) {
    return this.post('/oauth/token.as', tokenParams(code));
  }

  async tokens(): Promise<{ accessToken: string; refreshToken: string; expiresIn: number }> {
    const res = await this.exchange(await this.code());
    if (res.body.success !== true) throw new Error(`token.as failed: ${res.status} ${res.text}`);
    return res.body.data;
  }

  refresh(refreshToken: string) {
    return this.post('/oauth/refresh.as', refreshParams(refreshToken));
  }

  /** router.as, signed, with a timestamp at sandbox time `now`. */
  call(accessToken: string, method: string, now: number, extra: Record<string, string> = {}) {
    return this.post('/invoke/router.as', routerParams(accessToken, method, now, extra));
  }
}

export const HEX32 = /^[0-9a-f]{32}$/;

export const tokenBody = () => ({
  data: { tokenType: 'Bearer', accessToken: expect.stringMatching(HEX32), expiresIn: 3600, refreshToken: expect.stringMatching(HEX32) },
  success: true,
  code: '0',
});

export const mantunFailure = (code: string, message: string) => ({ success: false, code, message });

export const PROJECTS = { success: true, code: '0', data: [{ projectCode: 'P00000000009', projectName: 'Sandbox demo project' }] };

/** The error code of a call the sandbox did not answer (a reset or empty connection); fails if it was answered. */
export async function networkError(call: PromiseLike<unknown>): Promise<string> {
  try {
    await call;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code ?? (e as Error).message;
  }
  throw new Error('the call was answered');
}
