import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Sandbox } from '../../src/sandbox.js';
import { LoadError } from '../../src/core/validation.js';
import { startTestSandbox } from '../helpers/sandbox.js';
import { APP, form, USER } from '../helpers/mantun.js';

/** A fixture file holding this `mantun` section, laid over the built-in fixtures. */
function mantunFixture(section: Record<string, unknown>): string {
  const file = join(mkdtempSync(join(tmpdir(), 'mantun-fixture-')), 'mantun.json');
  writeFileSync(file, JSON.stringify({ mantun: section }));
  return file;
}

async function refusal(section: Record<string, unknown>): Promise<string[]> {
  const file = mantunFixture(section);
  try {
    await Sandbox.create({ fixtures: [file] });
  } catch (e) {
    expect(e).toBeInstanceOf(LoadError);
    return (e as LoadError).message.split('\n').map((line) => line.slice(file.length + 2));
  }
  throw new Error('the fixture was accepted');
}

describe('authverifyFailureSuccess: the type of "success" in authverify2.as refusals', () => {
  test('"string" restores "success":"false" (the type of its success answer); other endpoints keep the boolean', async () => {
    const t = await startTestSandbox({ fixtures: [mantunFixture({ authverifyFailureSuccess: 'string' })] });
    try {
      const params = { response_type: 'code', client_id: APP.appKey, redirect_uri: APP.redirectUri, uname: USER.uname, passwd: 'wrong' };
      expect((await t.http.post('/oauth/authverify2.as').type('form').send(form(params))).body).toEqual({ success: 'false', code: '10004', message: 'uname or passwd is incorrect' });
      const token = { client_id: APP.appKey, client_secret: 'x', grant_type: 'authorization_code', redirect_uri: APP.redirectUri, code: 'c' };
      expect((await t.http.post('/oauth/token.as').type('form').send(form(token))).body.success).toBe(false);
    } finally {
      await t.close();
    }
  });

  test('any other value is refused at load', async () => {
    expect(await refusal({ authverifyFailureSuccess: 'number' })).toEqual(['mantun.authverifyFailureSuccess: expected "boolean" (false) or "string" ("false") (got "number")']);
  });
});

describe('error overrides that would read as success are refused', () => {
  test('an error code a client could take for success ("0") or for an authorization code (32 hex) is refused', async () => {
    const why = 'an error code must not be "0" (the success code) nor 32 hex characters (an authorization code): clients would read the refusal as a success';
    expect(await refusal({ errors: { invalid_credentials: { code: '0' } } })).toEqual([`mantun.errors.invalid_credentials.code: ${why}`]);
    expect(await refusal({ errors: { invalid_code: { code: '5198a7417068bd560d9ec86bdf4eb9e7' } } })).toEqual([`mantun.errors.invalid_code.code: ${why}`]);
  });
});
