// The same package from a CommonJS project: require() by package name loads the CommonJS build
// ("require" condition of exports); start, log a UserCenter user in with the exported password helpers.
const { startSandbox, usercenterMd5Password, usercenterShaPassword, VERSION } = require('oauth-platform-sandbox');

async function main() {
  const sb = await startSandbox({ port: 0 });
  try {
    const post = async (path, body) => {
      const res = await fetch(`${sb.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return res.json();
    };
    const login = await post('/oauth/token', {
      sysid: 'aaaa',
      username: 'test',
      client_id: '23',
      md5password: usercenterMd5Password('sandbox123'),
      shapassword: usercenterShaPassword('sandbox123'),
    });
    const { accessToken } = JSON.parse(login.result);
    const user = await post('/user/getUserByToken', { accessToken });
    sb.clock.advance('86401s');
    const expired = await post('/user/getUserByToken', { accessToken });
    console.log(
      JSON.stringify({ version: VERSION, status: login.status, userCode: user.user.userCode, expired, tokens: sb.requests({ platform: 'usercenter' }).length }),
    );
  } finally {
    await sb.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
