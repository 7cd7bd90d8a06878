import { execFile } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { columns } from '../../src/cli/output/colour.js';
import { BIN, eventually, sandboxEnv, startSandbox } from './support/cli.js';

/** What a person sees at start: 80 columns, the dashboard, what to do next; colour only on a terminal. */

let dir: string;
let env: NodeJS.ProcessEnv;
beforeEach(() => {
  ({ dir, env } = sandboxEnv());
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const ESC = '\u001b[';

test('piped (a CI log): every line fits 80 columns, no colour; the dashboard, next steps, docs and how to stop are named', async () => {
  const sb = await startSandbox(['--port', '0', '--quiet'], { cwd: dir, env });
  try {
    const banner = sb.output();
    expect(banner.split('\n').filter((l) => columns(l) > 80)).toEqual([]);
    expect(banner).not.toContain(ESC);
    expect(banner).toContain(`\ndashboard      ${sb.url}/__sandbox/\n               open it in a browser: requests live, tokens, the clock, scenarios\n`);
    expect(banner).toContain('\nnext steps     point your app at a base URL above and sign in with a test\n');
    expect(banner).toContain('\n  https://github.com/oauth-platform-sandbox/oauth-platform-sandbox#readme\n');
    expect(banner).toContain('\nstop           Ctrl-C\n');
    expect(banner.trimEnd().split('\n').pop()).toBe(`Sandbox ready at ${sb.url}`);
  } finally {
    await sb.stop();
  }
});

test('bound to 0.0.0.0: the dashboard link carries the generated admin token', async () => {
  const sb = await startSandbox(['--host', '0.0.0.0', '--port', '0', '--quiet'], { cwd: dir, env });
  try {
    const token = /^admin token {4}([0-9a-f]{32})$/m.exec(sb.output())![1];
    expect(sb.output()).toContain(`\ndashboard      open this link in a browser:\n  ${sb.url}/__sandbox/?token=${token}\n`);
    expect((await fetch(`${sb.url}/__sandbox/?token=${token}`, { redirect: 'manual' })).status).toBeLessThan(400);
    expect(
      sb
        .output()
        .split('\n')
        .filter((l) => columns(l) > 80),
    ).toEqual([]);
  } finally {
    await sb.stop();
  }
});

/** `script` gives the sandbox a real pseudo-terminal, 80 columns wide, as a person's terminal would. */
async function inTerminal(extraEnv: NodeJS.ProcessEnv): Promise<string> {
  const log = join(dir, `tty-${extraEnv.NO_COLOR ? 'no-colour' : 'colour'}.log`);
  const cmd = `stty cols 80; exec node ${BIN} start --port 0 --quiet`;
  const child = execFile('script', ['-qfec', cmd, log], { cwd: dir, env: { ...env, TERM: 'xterm-256color', ...extraEnv } });
  const done = new Promise((r) => child.once('exit', r));
  try {
    return await eventually('the readiness line on the terminal', () => {
      const text = existsSync(log) ? readFileSync(log, 'utf8') : '';
      return text.includes('Sandbox ready at') ? text : undefined;
    });
  } finally {
    child.kill('SIGTERM');
    await done;
  }
}

test('on a terminal: colour; with NO_COLOR set: none', async () => {
  const coloured = await inTerminal({});
  expect(coloured).toContain(`${ESC}1mOAuth platform sandbox`);
  // eslint-disable-next-line no-control-regex -- the colour sequences themselves are under test
  expect(coloured).toMatch(/\u001b\[32mSandbox ready at http:\/\/127\.0\.0\.1:\d+\u001b\[39m/);
  const plain = await inTerminal({ NO_COLOR: '1' });
  expect(plain).toContain('Sandbox ready at');
  expect(plain).not.toContain(ESC);
});

test('a fixture of 150 000 users: the banner lists the first ones and says where the rest are (it used to overflow the stack)', async () => {
  const users = Array.from({ length: 150_000 }, (_, i) => ({ userId: `u${i}`, userCode: `user${i}`, userName: `User ${i}`, password: 'sandbox123' }));
  const fixture = join(dir, 'usercenter.json');
  writeFileSync(fixture, JSON.stringify({ usercenter: { clients: [{ clientId: '23', sysid: 'aaaa' }], users } }));
  const sb = await startSandbox(['--port', '0', '--fixtures', fixture], { cwd: dir, env });
  try {
    const text = sb.output();
    const section = text.slice(text.indexOf('usercenter —'), text.indexOf('sop —'));
    const credentialLines = section.split('\n').filter((l) => /^ {2}\S|^ {4}\S/.test(l) && !l.includes('base URL') && !l.startsWith('  …'));
    expect(credentialLines.length).toBeLessThanOrEqual(24);
    expect(credentialLines[credentialLines.length - 1]).toMatch(/^ {4}shapassword/);
    // Every user is 3 lines (user, md5password, shapassword), and the client one: what is not shown is counted.
    expect(section).toContain(`  … ${1 + 3 * 150_000 - credentialLines.length} more credentials: ${sb.url}/__sandbox/platforms lists them all`);
    const health = await fetch(`${sb.url}/__sandbox/health`);
    expect(health.status).toBe(200);
  } finally {
    await sb.stop();
  }
}, 60_000);
