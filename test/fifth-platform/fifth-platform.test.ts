import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { banner } from '../../src/cli/output/banner.js';
import { keyEntries } from '../../src/cli/commands/keys.js';
import { signFromArgs } from '../../src/cli/commands/sign.js';
import { startSandbox, type RunningSandbox } from '../../src/index.js';
import { PLATFORMS } from '../../src/platforms/index.js';
import { acme } from './acme/index.js';

/**
 * "A fifth platform is one folder": a made-up platform defined wholly in ./acme gets the banner,
 * /__sandbox/platforms, `sandbox sign`, `sandbox keys`, the journal, fault rules and the OpenAPI
 * document, with no file of the sandbox changed for it.
 */

const platforms = [...PLATFORMS, acme];
let dir: string;
let fixtures: string;
let sb: RunningSandbox;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sandbox-acme-'));
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  fixtures = join(dir, 'acme.json');
  writeFileSync(fixtures, JSON.stringify({ acme: { clients: [{ id: 'c1', secret: 's3cret' }], keys: { privateKey, publicKey } } }));
  sb = await startSandbox({ platforms, fixtures: [fixtures], seed: 'acme' });
});
afterAll(async () => {
  await sb.close();
  rmSync(dir, { recursive: true, force: true });
});

test('the start banner and /__sandbox/platforms present it', async () => {
  const summaries = (await request(sb.url).get('/__sandbox/platforms')).body.platforms as { id: string; credentials: unknown[] }[];
  expect(summaries.map((s) => s.id)).toEqual(['mantun', 'usercenter', 'sop', 'zjrc', 'acme']);
  expect(summaries[4]).toMatchObject({ id: 'acme', baseUrls: [`${sb.url}/acme`], credentials: [{ label: 'client / secret', value: 'c1 / s3cret' }] });
  expect(banner(sb.sandbox.version, sb.url, sb.sandbox.summaries(sb.url))).toContain(
    `acme — Acme (a platform of a test)\n  base URL   ${sb.url}/acme\n  client / secret  c1 / s3cret`,
  );
});

test('its endpoints serve, its business method and refusals reach the journal', async () => {
  const http = request(sb.url);
  const ok = await http.post('/acme/token').send({ client: 'c1', secret: 's3cret', op: 'login' });
  expect(ok.body).toEqual({ ok: true, token: expect.stringMatching(/^[0-9a-f]{32}$/), refresh: expect.stringMatching(/^[0-9a-f]{32}$/) });
  expect((await http.get(`/acme/me?token=${ok.body.token}`)).body).toEqual({ ok: true, subject: 'someone' });
  const refused = await http.post('/acme/token').send({ client: 'nobody', secret: 'x' });
  expect([refused.status, refused.body]).toEqual([418, { ok: false, err: 'E1', why: 'unknown client nobody' }]);
  const journal = sb.requests({ platform: 'acme' });
  expect(journal.map((e) => [e.endpoint, e.apiMethod, e.status])).toEqual([
    ['token', undefined, 418],
    ['me', undefined, 200],
    ['token', 'login', 200],
  ]);
  expect((journal[2].request.body as Record<string, unknown>).secret).toBe('***');
});

test('fault rules reach it by endpoint, by its business method and tag, and render its own errors', async () => {
  const http = request(sb.url);
  sb.scenario.fault({ id: 'acme-bad', platform: 'acme', method: 'rotate', first: 1, respond: { error: 'bad_token' } });
  const faulted = await http.post('/acme/token').send({ client: 'c1', secret: 's3cret', op: 'rotate' });
  expect([faulted.status, faulted.body]).toEqual([418, { ok: false, err: 'E3', why: 'token not valid' }]);
  sb.scenario.fault({ id: 'acme-tag', tag: 'refresh', first: 1, respond: { status: 503 } });
  expect((await http.post('/acme/token').send({ client: 'c1', secret: 's3cret', op: 'rotate' })).status).toBe(503);
  const bad = await http.post('/__sandbox/faults').send({ platform: 'acme', respond: { error: 'no_such_kind' } });
  expect(bad.status).toBe(400);
  expect(bad.body.message).toContain(
    '"no_such_kind" is not in acme\'s error catalogue; kinds: bad_client, bad_secret, bad_token, body_too_large, unreadable_body, service_unavailable',
  );
  await sb.scenario.clear();
});

test('sandbox sign and sandbox keys speak for it', async () => {
  const signed = await signFromArgs(
    { platform: 'acme', url: sb.url, json: false, param: [], fixtures: [fixtures], 'builtin-fixtures': true, client: 'c1' },
    platforms,
  );
  expect(signed).toMatchObject({
    platform: 'acme',
    action: 'token',
    values: { secret: 's3cret' },
    request: { path: '/acme/token', json: { client: 'c1', secret: 's3cret' } },
  });
  expect(signed.curl).toContain(`${sb.url}/acme/token`);
  const keys = await keyEntries({ fixtures: [fixtures], 'builtin-fixtures': true }, platforms);
  expect(keys.filter((k) => k.platform === 'acme').map((k) => [k.owner, k.kind])).toEqual([
    ['platform', 'public'],
    ['platform', 'private'],
  ]);
});

test('its admin route is mounted, validated, described in OpenAPI, and listed by the 404', async () => {
  const http = request(sb.url);
  expect((await http.post('/__sandbox/acme/hit').send({})).body).toEqual({ hits: 1 });
  const doc = (await http.get('/__sandbox/openapi.json')).body as { paths: Record<string, Record<string, { operationId: string }>> };
  expect(doc.paths['/acme/hit'].post.operationId).toBe('acmePostHit');
  expect((await http.get('/__sandbox/nope')).body.message).toContain('POST /acme/hit');
});
