import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import { zjrcClientSign } from '../../src/index.js';
import { spawnSandbox, type Spawned } from '../helpers/cli.js';
import * as mantun from '../helpers/mantun.js';
import * as sop from '../helpers/sop.js';
import * as usercenter from '../helpers/usercenter.js';
import * as zjrc from '../helpers/zjrc.js';

/**
 * With --db and rotation-strict (a replayed refresh token revokes its whole family), the revocation a
 * refusal makes is on disk before the refusal is answered: killed right after that answer, the
 * sandbox comes back with the family still revoked.
 */

interface Flow {
  platform: string;
  /** Log in, refresh once, then replay the first refresh token (refused); returns the refresh token the replay must have killed. */
  run(http: TestAgent): Promise<string>;
}

const FLOWS: Flow[] = [
  {
    platform: 'mantun',
    async run(http) {
      const first = await mantun.getTokens(http);
      const refresh = (token: string) =>
        http
          .post('/oauth/refresh.as')
          .type('form')
          .send(mantun.form(mantun.refreshParams(token)));
      const second = (await refresh(first.refreshToken)).body.data as mantun.MantunTokens;
      expect((await refresh(first.refreshToken)).body).toMatchObject({ success: false, code: '10021' });
      return second.refreshToken;
    },
  },
  {
    platform: 'usercenter',
    async run(http) {
      const first = await usercenter.login(http);
      // UserCenter refreshes only once the access token has expired.
      await http.post('/__sandbox/clock').send({ advance: '86401s' }).expect(200);
      const refresh = (token: string) => http.post('/oauth/refreshAccessToken').send({ refresh_token: token });
      const second = usercenter.parseResult((await refresh(first.refreshToken)).body);
      expect((await refresh(first.refreshToken)).body).toEqual({ status: 0, msg: usercenter.REFRESH_USED });
      return second.refreshToken;
    },
  },
  {
    platform: 'sop',
    async run(http) {
      const first = await sop.getTokens(http, Date.now());
      const refresh = async (token: string) =>
        (await sop.postGateway(http, sop.gatewayParams('open.auth.token.app', Date.now(), sop.tokenBiz({ grant_type: 'refresh_token', refresh_token: token }))))
          .body.open_auth_token_app_response;
      const second = (await refresh(first.app_refresh_token)) as sop.SopTokens;
      expect(await refresh(first.app_refresh_token)).toMatchObject({ code: '10000', error: 'invalid_token' });
      return second.app_refresh_token;
    },
  },
  {
    platform: 'zjrc',
    async run(http) {
      const first = await zjrc.getTokens(http, Date.now);
      const refresh = (token: string) =>
        zjrc.call(
          http,
          zjrc.body(zjrc.M.refresh, { openId: first.openId, refreshToken: token, clientSign: zjrcClientSign(token, zjrc.APP.clientSecret) }, Date.now()),
        );
      const second = zjrc.bizOf(await refresh(first.refreshToken));
      expect((await refresh(first.refreshToken)).body.bizCode).toBe('200009');
      return second.refreshToken as string;
    },
  },
];

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sandbox-durable-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function killed(sb: Spawned): Promise<void> {
  sb.proc.kill('SIGKILL');
  if (sb.proc.exitCode === null && sb.proc.signalCode === null) await new Promise((r) => sb.proc.once('exit', r));
}

describe.each(FLOWS)('--db, rotation-strict, $platform', ({ platform, run }) => {
  test('a replayed refresh token revokes the family on disk before the refusal leaves: a kill right after it keeps the family revoked', async () => {
    const db = join(dir, `${platform}.json`);
    const first = await spawnSandbox(['start', '--port', '0', '--quiet', '--db', db, '--scenario', 'rotation-strict']);
    let killedFamily: string;
    try {
      killedFamily = await run(request(first.url));
    } finally {
      // At once after the refusal: nothing else (no later request, no clean stop) may have written it.
      await killed(first);
    }
    const again = await spawnSandbox(['start', '--port', '0', '--quiet', '--db', db]);
    try {
      const tokens = await request(again.url).get(`/__sandbox/tokens?platform=${platform}&kind=refresh`);
      const survivor = (tokens.body.tokens as { value: string; state: string; revokedReason?: string }[]).find((t) => t.value === killedFamily);
      expect(survivor).toMatchObject({ state: 'revoked', revokedReason: 'family-reuse' });
    } finally {
      expect(await again.stop()).toBe(0);
    }
  }, 30_000);
});
