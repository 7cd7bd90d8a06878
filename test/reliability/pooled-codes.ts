import { APP as M_APP, form as mantunForm, USER as M_USER } from '../helpers/mantun.js';
import { APP as S_APP, form as sopForm, REDIRECT_URI as S_REDIRECT_URI, USER as S_USER } from '../helpers/sop.js';
import { APP as Z_APP, USER as Z_USER } from '../helpers/zjrc.js';
import { sendRaw } from './fuzz-http.js';

/**
 * Authorization codes fetched over the pooled keep-alive connections of fuzz-http.ts (closeAgent() when done),
 * for tests that need hundreds of codes as material and test something else with them: a new connection per
 * code (supertest, postOnce) cost twice the CPU. The forms are those of the test/helpers flows.
 */
async function post(base: string, path: string, formText: string) {
  // Queued behind the pool's sockets, a request of a thousand-code burst may wait long before it is sent.
  return sendRaw(base, { method: 'POST', path, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: Buffer.from(formText) }, 60_000);
}

async function redirectCode(base: string, path: string, formText: string): Promise<string> {
  const res = await post(base, path, formText);
  if (res.status !== 302) throw new Error(`authorize failed: ${res.status} ${res.text}`);
  const code = new URL(String(res.headers.location)).searchParams.get('code');
  if (!code) throw new Error(`no code in ${String(res.headers.location)}`);
  return code;
}

const ZJRC_FORM = new URLSearchParams({ appId: Z_APP.appId, redirectUri: Z_APP.redirectUri, scope: 'get_core_user_info', state: 's1', ...Z_USER }).toString();
const SOP_FORM = sopForm({ response_type: 'code', client_id: S_APP.appId, redirect_uri: S_REDIRECT_URI, username: S_USER.username, password: S_USER.password });
const MANTUN_FORM = mantunForm({ response_type: 'code', client_id: M_APP.appKey, redirect_uri: M_APP.redirectUri, uname: M_USER.uname, passwd: M_USER.passwd });

export const zjrcCode = (base: string): Promise<string> => redirectCode(base, '/zjrc/oauth/authorize', ZJRC_FORM);
export const sopCode = (base: string): Promise<string> => redirectCode(base, '/oauth2/authorize', SOP_FORM);

/** Mantun answers authverify2.as with JSON, success "true" and the code. */
export async function mantunCode(base: string): Promise<string> {
  const res = await post(base, '/oauth/authverify2.as', MANTUN_FORM);
  const body = JSON.parse(res.text) as { success?: unknown; code?: unknown };
  if (res.status !== 200 || body.success !== 'true' || typeof body.code !== 'string') throw new Error(`authverify2.as failed: ${res.status} ${res.text}`);
  return body.code;
}
