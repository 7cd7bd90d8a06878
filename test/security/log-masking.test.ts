import { eventually, spawnSandbox, type Spawned } from '../helpers/cli.js';
import { APP as M_APP, USER as M_USER, form } from '../helpers/mantun.js';
import { APP as S_APP, REDIRECT_URI } from '../helpers/sop.js';
import { APP as Z_APP, GATEWAY } from '../helpers/zjrc.js';

/**
 * The request log (both formats) carries no params at all: secrets sent in query strings, forms and
 * JSON bodies, accepted or refused, never reach stdout or stderr.
 */
const SECRETS = {
  mantunPasswd: 'log-secret-passwd-1',
  mantunClientSecret: 'log-secret-client-2',
  mantunSign: 'log-secret-sign-3',
  ucMd5: 'log-secret-md5-4',
  ucSha: 'log-secret-sha-5',
  ucValidate: 'log-secret-vcode-6',
  sopPassword: 'log-secret-sop-7',
  sopSign: 'log-secret-sopsign-8',
  zjrcPassword: 'log-secret-zjrc-9',
  zjrcClientSign: 'log-secret-clientsign-10',
};

async function sendSecrets(base: string): Promise<void> {
  const s = SECRETS;
  const post = (path: string, body: string, type = 'application/x-www-form-urlencoded') =>
    fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': type }, body });
  await post(
    `/oauth/authverify2.as?passwd=${s.mantunPasswd}`,
    form({ response_type: 'code', client_id: M_APP.appKey, redirect_uri: M_APP.redirectUri, uname: M_USER.uname, passwd: s.mantunPasswd }),
  );
  await post('/oauth/token.as', JSON.stringify({ client_secret: s.mantunClientSecret }), 'application/json');
  await post('/invoke/router.as', form({ client_id: M_APP.appKey, method: 'GET_PROJECTS', access_token: 'x', timestamp: '1', sign: s.mantunSign }));
  await post('/oauth/token', JSON.stringify({ client_id: '23', username: 'test', md5password: s.ucMd5, shapassword: s.ucSha }), 'application/json');
  await post(`/cas/oauth/token?validateCode=${s.ucValidate}`, '{', 'application/json');
  await post(
    '/oauth2/authorize',
    form({ response_type: 'code', client_id: S_APP.appId, redirect_uri: REDIRECT_URI, username: 'sandbox', password: s.sopPassword }),
  );
  await fetch(`${base}/gateway.do?sign=${s.sopSign}&method=alipay.story.get`);
  await post('/zjrc/oauth/authorize', form({ appId: Z_APP.appId, redirectUri: Z_APP.redirectUri, username: '13900000000', password: s.zjrcPassword }));
  await post(
    GATEWAY,
    JSON.stringify({ appId: Z_APP.appId, bizContent: JSON.stringify({ code: 'c', clientSign: s.zjrcClientSign }), sign: s.mantunSign }),
    'application/json',
  );
}

async function loggedOutput(format: 'pretty' | 'json'): Promise<string> {
  const sb: Spawned = await spawnSandbox(['start', '--port', '0', '--log-format', format]);
  try {
    await sendSecrets(sb.url);
    // Log lines are written asynchronously: wait until the last request's line is out.
    await eventually('the log line of the last request', () =>
      /POST \/oip-gateway-server\S* →|"path":"\/oip-gateway-server/.test(sb.output()) ? true : undefined,
    );
  } finally {
    await sb.stop();
  }
  return sb.output();
}

test.each(['pretty', 'json'] as const)(
  '--log-format %s: every request is logged, no secret is',
  async (format) => {
    const out = await loggedOutput(format);
    if (format === 'pretty') {
      for (const endpoint of [
        'mantun/authverify2.as',
        'mantun/token.as',
        'mantun/router.as',
        'usercenter/token',
        'sop/authorize',
        'sop/gateway',
        'zjrc/authorize.login',
        'zjrc/gateway.do',
      ])
        expect(out).toContain(` ${endpoint} `);
    } else {
      expect(out.split('\n').filter((l) => l.includes('"msg":"request"'))).toHaveLength(9);
    }
    // The banner prints the built-in test credentials on purpose; what clients send is never printed.
    for (const secret of Object.values(SECRETS)) expect({ secret, logged: out.includes(secret) }).toEqual({ secret, logged: false });
  },
  30_000,
);
