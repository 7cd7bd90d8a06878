import { APP, form, tokenParams, USER } from '../helpers/mantun.js';
import { raw } from './hostile.js';

/** A Mantun code → token flow against any base URL (another process, a session prefix), with deadlines. */
export async function getTokensAt(base: string): Promise<{ accessToken: string; refreshToken: string }> {
  const url = new URL(base);
  const post = async (path: string, params: Record<string, string>) => {
    const res = await raw(
      url.origin,
      {
        method: 'POST',
        path: `${url.pathname.replace(/\/$/, '')}${path}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: form(params),
      },
      5000,
    );
    return JSON.parse(res.text) as Record<string, any>;
  };
  const code = (
    await post('/oauth/authverify2.as', { response_type: 'code', client_id: APP.appKey, redirect_uri: APP.redirectUri, uname: USER.uname, passwd: USER.passwd })
  ).code as string;
  const token = await post('/oauth/token.as', tokenParams(code));
  if (token.success !== true && token.success !== 'true') throw new Error(`no tokens: ${JSON.stringify(token)}`);
  return { accessToken: token.data.accessToken, refreshToken: token.data.refreshToken };
}
