import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { INTERNAL_ERROR_HEADER } from '../../src/core/http/dispatcher.js';
import type { PlatformDefinition } from '../../src/core/platform.js';
import { startSandbox, type RunningSandbox } from '../../src/index.js';
import { acme } from '../fifth-platform/acme/index.js';

/**
 * A bug in the sandbox (an endpoint that throws something that is not a protocol error) reaches the
 * client as a 500 with the platform's own system error, as a real platform's failing server answers, never as a stack trace
 * or a shape the client cannot parse; the journal and a header say it was a sandbox bug.
 */

// Acme's `me` endpoint, broken: it throws a TypeError, as a bug would.
const broken = {
  ...acme,
  endpoints: acme.endpoints.map((e) =>
    e.name === 'me' ? { ...e, handle: () => Promise.reject(new TypeError("Cannot read properties of undefined (reading 'subject')")) } : e,
  ),
} as PlatformDefinition;

let dir: string;
let sb: RunningSandbox;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sandbox-internal-failure-'));
  const fixtures = join(dir, 'acme.json');
  writeFileSync(fixtures, JSON.stringify({ acme: { clients: [{ id: 'c1', secret: 's3cret' }] } }));
  sb = await startSandbox({ platforms: [broken], fixtures: [fixtures], builtinFixtures: false, seed: 'bug' });
});
afterAll(async () => {
  await sb.close();
  rmSync(dir, { recursive: true, force: true });
});

test("the client reads a 500 with the platform's system error; the header and the journal name the bug; the server keeps serving", async () => {
  const http = request(sb.url);
  const res = await http.get('/acme/me?token=whatever');
  expect([res.status, res.body]).toEqual([500, { ok: false, err: 'E0', why: 'try again' }]);
  expect(decodeURIComponent(res.headers[INTERNAL_ERROR_HEADER])).toBe("Cannot read properties of undefined (reading 'subject')");
  expect(res.text).not.toMatch(/\n\s+at /);
  const [entry] = (await http.get('/__sandbox/requests')).body.requests;
  expect(entry).toMatchObject({
    endpoint: 'me',
    status: 500,
    note: "the sandbox failed on this request (a sandbox bug, please report it with the request): Cannot read properties of undefined (reading 'subject')",
  });
  expect((await http.get('/__sandbox/health')).status).toBe(200);
  const token = await http.post('/acme/token').send({ client: 'c1', secret: 's3cret' });
  expect([token.status, token.body.ok]).toEqual([200, true]);
});
