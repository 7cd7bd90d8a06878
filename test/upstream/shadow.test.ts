import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Sandbox } from '../../src/sandbox.js';
import { APP, USER, tokenParams } from '../helpers/mantun.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

/**
 * `--shadow` (docs/parity.md): a second sandbox plays the real platform; the sandbox under test forwards to it
 * and answers each exchange in a shadow world too. The client must get the real answer; GET /__sandbox/parity
 * must list exactly what the real platform does otherwise.
 */

function mantunFixture(section: Record<string, unknown>): string {
  const file = join(mkdtempSync(join(tmpdir(), 'shadow-real-')), 'mantun.json');
  writeFileSync(file, JSON.stringify({ mantun: section }));
  return file;
}

/** A form post as the Mantun Python client sends it; the answer's bytes and its JSON, parsed as that client does. */
async function post(base: string, path: string, params: Record<string, string>): Promise<{ status: number; bytes: Buffer; json: Record<string, unknown> }> {
  const res = await fetch(`${base.replace(/\/$/, '')}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params).toString(),
    signal: AbortSignal.timeout(10_000),
  });
  const bytes = Buffer.from(await res.arrayBuffer());
  return { status: res.status, bytes, json: JSON.parse(bytes.toString('utf8')) as Record<string, unknown> };
}

const login = (passwd: string) => ({ response_type: 'code', client_id: APP.appKey, redirect_uri: APP.redirectUri, uname: USER.uname, passwd });

interface Parity {
  count: number;
  compared: number;
  differences: Record<string, unknown>[];
}

/** The parity list once `compared` exchanges have been compared (the comparison runs after each answer is sent). */
async function parityAfter(front: TestSandbox, compared: number): Promise<Parity> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const res = await front.http.get('/__sandbox/parity');
    expect(res.status).toBe(200);
    const body = res.body as Parity;
    if (body.compared >= compared || Date.now() > deadline) return body;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A Mantun login flow through the shadowing sandbox: a code, a token, a refused password. */
async function flow(real: TestSandbox, front: TestSandbox): Promise<void> {
  const code = await post(front.sb.url, '/oauth/authverify2.as', login(USER.passwd));
  expect(code.json.success).toBe('true');
  const token = await post(front.sb.url, '/oauth/token.as', tokenParams(code.json.code as string));
  expect(token.status).toBe(200);
  expect(token.json.success).toBe(true);
  // The code and the token are the real platform's, not the shadow's.
  const realTokens = ((await real.http.get('/__sandbox/tokens')).body as { tokens: { value: string }[] }).tokens.map((t) => t.value);
  expect(realTokens).toEqual(expect.arrayContaining([(token.json.data as { accessToken: string }).accessToken]));
  expect(((await front.http.get('/__sandbox/tokens')).body as { count: number }).count).toBe(0);
  // The refusal, byte for byte what the real platform answers the same request.
  const refused = await post(front.sb.url, '/oauth/authverify2.as', login('wrong'));
  const direct = await post(real.sb.url, '/oauth/authverify2.as', login('wrong'));
  expect(refused.status).toBe(direct.status);
  expect(refused.bytes.equals(direct.bytes)).toBe(true);
}

describe('--shadow against a real platform whose authverify2.as refusal says "success":"false"', () => {
  let real: TestSandbox;
  let front: TestSandbox;
  beforeAll(async () => {
    real = await startTestSandbox({ seed: 'the-real-platform', fixtures: [mantunFixture({ authverifyFailureSuccess: 'string' })] });
    front = await startTestSandbox({ upstream: [`mantun=${real.sb.url}`], shadow: true });
  });
  afterAll(async () => {
    await front?.close();
    await real?.close();
  });

  test('the client gets the real answers; /parity and the journal list exactly that difference, with the setting that fixes it', async () => {
    await flow(real, front);
    const parity = await parityAfter(front, 3);
    expect(parity.compared).toBe(3);
    expect(parity.differences).toEqual([
      {
        kind: 'behaviour',
        platform: 'mantun',
        endpoint: 'authverify2.as',
        path: '$.success',
        real: '"false" (string)',
        sandbox: 'false (boolean)',
        setting: { path: ['mantun', 'authverifyFailureSuccess'], value: 'string' },
        request: expect.any(Number),
        time: expect.any(Number),
        session: 'default',
        text: 'mantun authverify2.as $.success: real "false" (string), sandbox false (boolean) — fixture mantun.authverifyFailureSuccess: "string"',
      },
    ]);
    const entries = (await front.http.get('/__sandbox/requests?platform=mantun')).body as {
      requests: { id: number; endpoint: string; status: number; upstream: { parity?: { differences: { path: string }[] } } }[];
    };
    expect(entries.requests.map((e) => [e.endpoint, e.upstream.parity?.differences.map((d) => d.path)])).toEqual([
      ['authverify2.as', ['$.success']],
      ['token.as', []],
      ['authverify2.as', []],
    ]);
    expect(parity.differences[0].request).toBe(entries.requests[0].id);
  });
});

describe('--shadow against a real platform that answers as the sandbox does', () => {
  test('the same flow lists no difference', async () => {
    const real = await startTestSandbox({ seed: 'the-real-platform' });
    const front = await startTestSandbox({ upstream: [`mantun=${real.sb.url}`], shadow: true });
    try {
      await flow(real, front);
      const parity = await parityAfter(front, 3);
      expect(parity).toEqual({ count: 0, compared: 3, differences: [] });
    } finally {
      await front.close();
      await real.close();
    }
  });
});

describe('--shadow without --upstream', () => {
  test('is refused, saying what it needs', async () => {
    await expect(Sandbox.create({ shadow: true })).rejects.toThrow(
      '--shadow works with --upstream <platform>=<base URL> only: it concerns the exchanges forwarded to a real platform.',
    );
  });

  test('without --shadow, /parity is empty', async () => {
    const real = await startTestSandbox({ seed: 'the-real-platform' });
    const front = await startTestSandbox({ upstream: [`mantun=${real.sb.url}`] });
    try {
      await post(front.sb.url, '/oauth/authverify2.as', login('wrong'));
      expect((await front.http.get('/__sandbox/parity')).body).toEqual({ count: 0, compared: 0, differences: [] });
    } finally {
      await front.close();
      await real.close();
    }
  });
});

describe('--shadow maps the real platform’s codes to the shadow’s own', () => {
  test('a longer access-token lifetime shows on token.as, whose code the shadow had to map; nothing else differs', async () => {
    const real = await startTestSandbox({ seed: 'the-real-platform', fixtures: [mantunFixture({ policy: { lifetimes: { access: 7200 } } })] });
    const front = await startTestSandbox({ upstream: [`mantun=${real.sb.url}`], shadow: true });
    try {
      await flow(real, front);
      const parity = await parityAfter(front, 3);
      expect(parity.compared).toBe(3);
      expect(parity.differences.map((d) => d.text)).toEqual([
        'mantun token.as $.data.expiresIn: real 7200, sandbox 3600 — fixture mantun.policy.lifetimes.access: 7200',
      ]);
    } finally {
      await front.close();
      await real.close();
    }
  });
});
