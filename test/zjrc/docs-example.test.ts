import { readFileSync } from 'node:fs';
import { startSandbox, zjrcClientSign, zjrcRequest, zjrcVerifyResponse } from '../../src/index.js';

/** The Node example of docs/platforms/zjrc.md, run as written (package import → src, fixture path → repo). */
test('the documented Node example runs end to end', async () => {
  const fx = JSON.parse(readFileSync(new URL('../../fixtures/zjrc.json', import.meta.url), 'utf8')).zjrc;
  const app = fx.apps[0];
  const sb = await startSandbox({ port: 0, seed: 'docs' });
  try {
    const gateway = `${sb.url}/oip-gateway-server/zjrcuoip/gateway.do`;

    const login = await fetch(`${sb.url}/zjrc/oauth/authorize`, {
      method: 'POST',
      redirect: 'manual',
      body: new URLSearchParams({
        appId: app.appId,
        redirectUri: app.redirectUris[0],
        scope: 'get_nor_user_info',
        state: 'xyz',
        username: '13900000000',
        password: 'sandbox123',
      }),
    });
    const code = new URL(login.headers.get('location') as string).searchParams.get('code') as string;

    const call = async (method: string, bizContent: Record<string, unknown>) => {
      const body = zjrcRequest({ appId: app.appId, privateKey: app.privateKey, method, bizContent, timestamp: sb.clock.now() });
      const res = await (await fetch(gateway, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json();
      if (!zjrcVerifyResponse(res, fx.platformKeys.publicKey)) throw new Error('bad platform signature');
      if (res.code !== '000000' || res.bizCode !== '0') throw new Error(`${res.code} ${res.msg} ${res.bizCode ?? ''} ${res.bizMsg ?? ''}`);
      return JSON.parse(res.bizContent);
    };
    const tokens = await call('zjrcuoip.oauth.get.openId.new', { code, clientSign: zjrcClientSign(code, app.clientSecret) });

    const user = await call('zjrcuoip.system.oauth.userinfo.query.new', {
      openId: tokens.openId,
      accessToken: tokens.accessToken,
      scopeList: [{ scopeName: 'get_nor_user_info' }],
    });
    expect(user).toEqual({ openId: tokens.openId, nickname: '丰收测试用户', avatar: 'https://sandbox.invalid/avatar/13900000000.png' });

    sb.clock.advance('2h');
    await expect(call('zjrcuoip.system.oauth.userinfo.query.new', { openId: tokens.openId, accessToken: tokens.accessToken })).rejects.toThrow(
      '000000 成功 200013 访问令牌已过期',
    );
    const next = await call('zjrcuoip.system.base.oauth.token.refresh.new', {
      openId: tokens.openId,
      refreshToken: tokens.refreshToken,
      clientSign: zjrcClientSign(tokens.refreshToken, app.clientSecret),
    });
    expect(next).toEqual({ accessToken: expect.stringMatching(/^[0-9a-f]{32}$/), expiresIn: '7200', refreshToken: expect.stringMatching(/^[0-9a-f]{32}$/) });
  } finally {
    await sb.close();
  }
});
