// A test suite's view of the package, as an ESM project would write it: import by package name,
// start on a free port, run the Mantun login, expire the token by moving the clock, use a session.
import { mantunClientSecret, mantunSign, mantunTimestamp, startSandbox, VERSION } from 'oauth-platform-sandbox';

const APP = { appKey: 'O000000049', appSecret: '3F2A9C4E8B1D7F6A0C5E9B2D4F8A1C3E', redirectUri: 'http://you-domain/xxx.jsp' };

const sb = await startSandbox({ port: 0 });
const post = async (base, path, params) => {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params),
  });
  return res.json();
};

async function login(base) {
  const { code } = await post(base, '/oauth/authverify2.as', {
    response_type: 'code',
    client_id: APP.appKey,
    redirect_uri: APP.redirectUri,
    uname: '13800000000',
    passwd: 'sandbox123',
  });
  const clientSecret = mantunClientSecret(APP.appKey, 'authorization_code', APP.redirectUri, code, APP.appSecret);
  return post(base, '/oauth/token.as', {
    client_id: APP.appKey,
    client_secret: clientSecret,
    grant_type: 'authorization_code',
    redirect_uri: APP.redirectUri,
    code,
  });
}

function boxes(base, accessToken, now) {
  const params = { client_id: APP.appKey, method: 'GET_BOXES', access_token: accessToken, timestamp: mantunTimestamp(now), projectCode: 'P00000000009' };
  return post(base, '/invoke/router.as', { ...params, sign: mantunSign(params, APP.appSecret) });
}

try {
  const token = await login(sb.url);
  const fresh = await boxes(sb.url, token.data.accessToken, sb.clock.now());
  sb.clock.advance('2h');
  const expired = await boxes(sb.url, token.data.accessToken, sb.clock.now());

  const session = await sb.sessions.create({ scenario: 'expiry-fast' });
  const sessionToken = await login(session.url);
  const sessionJournal = session.requests({ endpoint: 'token.as' }).length;
  await session.close();

  console.log(
    JSON.stringify({
      version: VERSION,
      expiresIn: token.data.expiresIn,
      fresh: { success: fresh.success, boxes: fresh.data.length },
      expired,
      sessionExpiresIn: sessionToken.data.expiresIn,
      journal: { all: sb.requests({ platform: 'mantun', endpoint: 'token.as' }).length, session: sessionJournal },
    }),
  );
} finally {
  await sb.close();
}
