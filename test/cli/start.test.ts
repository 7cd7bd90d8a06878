import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mantunClientSecret, mantunSign, mantunTimestamp } from '../../src/index.js';
import { APP, form, USER } from '../helpers/mantun.js';
import { eventually, runCli, spawnSandbox } from '../helpers/cli.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sandbox-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function post(url: string, params: Record<string, string>) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form(params) });
  return (await res.json()) as Record<string, any>;
}

async function mantunTokens(base: string) {
  const auth = await post(`${base}/oauth/authverify2.as`, {
    response_type: 'code',
    client_id: APP.appKey,
    redirect_uri: APP.redirectUri,
    uname: USER.uname,
    passwd: USER.passwd,
  });
  const code = auth.code as string;
  const tok = await post(`${base}/oauth/token.as`, {
    client_id: APP.appKey,
    client_secret: mantunClientSecret(APP.appKey, 'authorization_code', APP.redirectUri, code, APP.appSecret),
    grant_type: 'authorization_code',
    redirect_uri: APP.redirectUri,
    code,
  });
  return tok.data as { accessToken: string; refreshToken: string };
}

async function projects(base: string, token: string) {
  const params: Record<string, string> = { client_id: APP.appKey, method: 'GET_PROJECTS', access_token: token, timestamp: mantunTimestamp(Date.now()) };
  params.sign = mantunSign(params, APP.appSecret);
  return post(`${base}/invoke/router.as`, params);
}

describe('sandbox start (the real bin)', () => {
  test('--port 0 picks a free port, prints the credentials, writes --port-file, serves the flow, stops on SIGTERM with 0', async () => {
    const portFile = join(dir, 'port');
    const sb = await spawnSandbox(['start', '--port', '0', '--port-file', portFile]);
    try {
      const port = new URL(sb.url).port;
      expect(Number(port)).toBeGreaterThan(0);
      expect(readFileSync(portFile, 'utf8')).toBe(`${port}\n`);
      expect(new URL(sb.url).hostname).toBe('127.0.0.1');
      for (const text of [`${sb.url}/mantun`, APP.appKey, APP.appSecret, APP.redirectUri, `${USER.uname} / ${USER.passwd}`])
        expect(sb.output()).toContain(text);
      expect((await fetch(`${sb.url}/__sandbox/health`)).status).toBe(200);
      const { accessToken } = await mantunTokens(sb.url);
      expect((await projects(sb.url, accessToken)).success).toBe(true);
      expect(sb.output()).toMatch(/POST \/invoke\/router\.as → 200 mantun\/router\.as/);
    } finally {
      expect(await sb.stop()).toBe(0);
    }
  });

  test('--log-format json prints one JSON line per request without secrets', async () => {
    const sb = await spawnSandbox(['start', '--port', '0', '--log-format', 'json']);
    try {
      await mantunTokens(sb.url);
      await eventually('two JSON request lines', () =>
        sb
          .output()
          .split('\n')
          .filter((l) => l.includes('"msg":"request"')).length >= 2
          ? true
          : undefined,
      );
      const lines = sb
        .output()
        .split('\n')
        .filter((l) => l.startsWith('{'));
      const requests = lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'request');
      expect(requests.map((r) => r.endpoint)).toEqual(['authverify2.as', 'token.as']);
      expect(requests[0]).toMatchObject({ level: 30, platform: 'mantun', status: 200, method: 'POST' });
      expect(sb.output()).not.toContain(`passwd=${USER.passwd}`);
    } finally {
      await sb.stop();
    }
  });

  test('--db keeps tokens across a restart', async () => {
    const db = join(dir, 'state.json');
    const first = await spawnSandbox(['start', '--port', '0', '--quiet', '--db', db]);
    const tokens = await mantunTokens(first.url);
    expect(await first.stop()).toBe(0);
    expect(readFileSync(db, 'utf8')).toContain(tokens.accessToken);

    const second = await spawnSandbox(['start', '--port', '0', '--quiet', '--db', db]);
    try {
      expect((await projects(second.url, tokens.accessToken)).success).toBe(true);
      const refreshed = await post(`${second.url}/oauth/refresh.as`, {
        client_id: APP.appKey,
        client_secret: mantunClientSecret(APP.appKey, 'refresh_token', APP.redirectUri, tokens.refreshToken, APP.appSecret),
        grant_type: 'refresh_token',
        redirect_uri: APP.redirectUri,
        refresh_token: tokens.refreshToken,
      });
      expect(refreshed.success).toBe(true);
    } finally {
      await second.stop();
    }
  });

  test('a token is on disk before its response leaves (no graceful stop)', async () => {
    const db = join(dir, 'killed.json');
    const first = await spawnSandbox(['start', '--port', '0', '--quiet', '--db', db]);
    const tokens = await mantunTokens(first.url);
    first.proc.kill('SIGKILL');
    await new Promise((r) => first.proc.once('exit', r));
    const second = await spawnSandbox(['start', '--port', '0', '--quiet', '--db', db]);
    try {
      expect((await projects(second.url, tokens.accessToken)).success).toBe(true);
    } finally {
      await second.stop();
    }
  });
});

describe('start-up refusals are one clear line and a non-zero exit', () => {
  test('a port in use', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as { port: number }).port;
    try {
      const r = runCli(['start', '--port', String(port)]);
      expect(r.status).toBe(1);
      expect(r.stderr).toBe(`sandbox: cannot listen: port ${port} on 127.0.0.1 is already in use (pick another with --port, or --port 0 for a free one)\n`);
    } finally {
      blocker.close();
    }
  });

  test('a broken fixture file', () => {
    const file = new URL('../fixtures/broken/secret-wrong-type.json', import.meta.url).pathname;
    const r = runCli(['start', '--port', '0', '--fixtures', file]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`sandbox: invalid fixture or scenario: ${file}: mantun.apps[0].appSecret: expected string, got 123\n`);
  });

  test('an unknown option: exit 2 and the nearest one', () => {
    const r = runCli(['start', '--prot', '0']);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('sandbox: unknown option --prot for "sandbox start"; did you mean --port? ("sandbox start --help" lists every option)\n');
  });
});

describe('help', () => {
  test('sandbox --help names the commands; start --help explains every option', () => {
    const top = runCli(['--help']);
    expect(top.status).toBe(0);
    expect(top.stdout).toContain('sandbox start');
    expect(top.stdout).toContain('sandbox validate');
    const start = runCli(['start', '--help']);
    for (const option of ['--port', '--host', '--port-file', '--db', '--fixtures', '--seed', '--log-format', '--quiet', '--body-limit', '--journal-size']) {
      expect(start.stdout).toContain(option);
    }
  });
});

describe('sandbox validate', () => {
  test('accepts good files and the built-in fixtures', () => {
    const r = runCli([
      'validate',
      new URL('../fixtures/mantun-short-tokens.json', import.meta.url).pathname,
      new URL('../../fixtures/mantun.json', import.meta.url).pathname,
    ]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(
      r.stdout
        .split('\n')
        .filter(Boolean)
        .every((l) => l.startsWith('ok  ')),
    ).toBe(true);
  });

  test('reports each broken file with path and expectation, exit 1', () => {
    const dirPath = new URL('../fixtures/broken/', import.meta.url).pathname;
    const r = runCli(['validate', dirPath]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${dirPath}lifetime-as-string.json: mantun.policy.lifetimes.access: expected number, got "3600"`);
    expect(r.stderr).toContain(`${dirPath}unknown-error-kind.json: mantun.errors: unknown field "token_expired"`);
    expect(r.stderr).toMatch(/8 of 8 file\(s\) invalid\n$/);
  });
});
