import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { mantunClientSecret, mantunSign, mantunTimestamp } from '../../src/index.js';
import { APP, USER, form } from '../helpers/mantun.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

/** A fresh folder for one test's files (recordings, overlays). */
export const scratch = (prefix: string): string => mkdtempSync(join(tmpdir(), prefix));

/** A fixture overlay written to a file: what the stand-in for the real platform is started with. */
export function overlayFile(dir: string, name: string, overlay: Record<string, unknown>): string {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(overlay));
  return file;
}

/**
 * The stand-in real platform (a sandbox started with `overlay`), and a sandbox forwarding every platform to it
 * and recording to `file`: what a user with a real account runs.
 */
export async function recordingPair(
  dir: string,
  overlay: Record<string, unknown> | undefined,
  file: string,
): Promise<{ real: TestSandbox; front: TestSandbox }> {
  const real = await startTestSandbox({ seed: 'the-real-platform', ...(overlay ? { fixtures: [overlayFile(dir, 'real-platform.json', overlay)] } : {}) });
  const front = await startTestSandbox({ upstream: ['mantun', 'usercenter', 'sop', 'zjrc'].map((id) => `${id}=${real.sb.url}`), record: file });
  return { real, front };
}

/**
 * Mantun as its public clients drive it, by hand-built form posts: a mistyped password, then the code, the
 * token pair, a signed GET_PROJECTS call, and a refresh. Each client computes its own signatures.
 */
export async function mantunFlow(base: string, now: () => number): Promise<void> {
  const http = request(base);
  const login = (passwd: string) =>
    http
      .post('/oauth/authverify2.as')
      .type('form')
      .send(form({ response_type: 'code', client_id: APP.appKey, redirect_uri: APP.redirectUri, uname: USER.uname, passwd }));
  await login('wrong-password');
  const code = (await login(USER.passwd)).body.code as string;
  const token = await http
    .post('/oauth/token.as')
    .type('form')
    .send(
      form({
        client_id: APP.appKey,
        client_secret: mantunClientSecret(APP.appKey, 'authorization_code', APP.redirectUri, code, APP.appSecret),
        grant_type: 'authorization_code',
        redirect_uri: APP.redirectUri,
        code,
      }),
    );
  const { accessToken, refreshToken } = token.body.data as { accessToken: string; refreshToken: string };
  const router: Record<string, string> = { client_id: APP.appKey, method: 'GET_PROJECTS', access_token: accessToken, timestamp: mantunTimestamp(now()) };
  router.sign = mantunSign(router, APP.appSecret);
  await http.post('/invoke/router.as').type('form').send(form(router));
  await http
    .post('/oauth/refresh.as')
    .type('form')
    .send(
      form({
        client_id: APP.appKey,
        client_secret: mantunClientSecret(APP.appKey, 'refresh_token', APP.redirectUri, refreshToken, APP.appSecret),
        grant_type: 'refresh_token',
        redirect_uri: APP.redirectUri,
        refresh_token: refreshToken,
      }),
    );
}
