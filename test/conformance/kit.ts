import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type TestAgent from 'supertest/lib/agent.js';
import { keyEntries } from '../../src/cli/commands/keys.js';
import { signFromArgs } from '../../src/cli/commands/sign.js';
import { refuse } from '../../src/core/errors/protocol-error.js';
import { validateFixtureFile } from '../../src/core/fixtures/file-schema.js';
import { fixturesJsonSchema } from '../../src/core/fixtures/json-schema.js';
import type { PlatformRequest } from '../../src/core/platform.js';
import { loadValidators } from '../../src/core/validation/lazy-schemas.js';
import type { SandboxOptions } from '../../src/sandbox.js';
import { runCliAsync } from '../helpers/cli.js';
import { workerRedis } from '../helpers/redis.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import type { Subject, Tokens } from './subjects.js';

/**
 * The platform conformance kit: what every platform must do, driven by its own definition (error
 * catalogue, endpoints, signing, keys, fixture schema) and one client flow (subjects.ts). A platform
 * registered tomorrow gets every check by adding its flow.
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BOGUS = '0123456789abcdef0123456789abcdef';

/** What a world holds, as the control plane lists it: every token's value, kind and state. */
async function tokenStates(http: TestAgent): Promise<string[]> {
  const { tokens } = (await http.get('/__sandbox/tokens')).body as { tokens: { value: string; kind: string; state: string }[] };
  return tokens.map((t) => `${t.kind}:${t.value}:${t.state}`).sort();
}

/** The journal as the control plane lists it: which requests of the platform were answered how. */
async function journal(http: TestAgent): Promise<string[]> {
  const { requests } = (await http.get('/__sandbox/requests')).body as { requests: { platform: string; endpoint: string; status: number }[] };
  return requests.map((e) => `${e.platform} ${e.endpoint} ${e.status}`);
}

/** A login, a call, a refresh where the platform has one, a call with the new token, and the old refresh token again. */
async function flow(s: Subject, t: TestSandbox): Promise<{ tokens: Tokens; answers: unknown[] }> {
  const now = () => t.sb.clock.now();
  const first = await s.flow.login(t.http, now);
  const answers: unknown[] = [await s.flow.resource(t.http, now, first)];
  // The answer depends on the token: a made-up one is answered otherwise (the flow cannot pass on a refusal).
  expect(await s.flow.resource(t.http, now, { ...first, access: BOGUS })).not.toEqual(answers[0]);
  if (!s.flow.refresh) return { tokens: first, answers: [...answers, await journal(t.http)] };
  const second = await s.flow.refresh(t.http, now, first);
  answers.push(await s.flow.resource(t.http, now, second));
  expect(answers[1]).toEqual(answers[0]);
  answers.push(
    await s.flow.refresh(t.http, now, first).then(
      () => 'the spent refresh token was accepted again',
      () => 'the spent refresh token was refused',
    ),
  );
  answers.push(await journal(t.http));
  return { tokens: second, answers };
}

/** The answers that show a world's state: a call with the token, and every token's state. */
const check = async (s: Subject, t: TestSandbox, tokens: Tokens) => [await s.flow.resource(t.http, () => t.sb.clock.now(), tokens), await tokenStates(t.http)];

/** The files a platform's fixtures come from: its built-in file, if any, and the subject's own. */
const fixtureFiles = (s: Subject, own: string[]) => [join(ROOT, 'fixtures', `${s.platform.id}.json`), ...own].filter((f) => existsSync(f));

type Run = { status: number | null; stdout: string; stderr: string };

/**
 * The real CLI's answers for every subject it knows, spawned side by side once (each spawn costs a few
 * hundred ms): `sandbox validate` of the built-in fixtures, `sandbox keys --json`, and each `sandbox sign`.
 */
function cliRuns(subjects: readonly Subject[]): () => Promise<{ validate: Run; keys: Run; sign: Map<string, Run> }> {
  let runs: Promise<{ validate: Run; keys: Run; sign: Map<string, Run> }> | undefined;
  return () =>
    (runs ??= (async () => {
      const signers = subjects.filter((s) => s.inCli && s.platform.signing && s.sign);
      const [validate, keys, ...signed] = await Promise.all([
        runCliAsync(['validate', join(ROOT, 'fixtures')]),
        runCliAsync(['keys', '--json']),
        ...signers.map((s) => runCliAsync(['sign', s.platform.id, ...s.sign!, '--json'])),
      ]);
      return { validate, keys, sign: new Map(signers.map((s, i) => [s.platform.id, signed[i]])) };
    })());
}

/** The kit over each subject, its real-CLI checks shared. */
export function conformanceKit(subjects: readonly Subject[]): void {
  const cli = cliRuns(subjects);
  for (const s of subjects) conformance(s, cli);
}

function conformance(s: Subject, cli: ReturnType<typeof cliRuns>): void {
  const id = s.platform.id;
  describe(`platform conformance: ${id}`, () => {
    let fixtures: string[];
    const open: TestSandbox[] = [];
    const start = async (opts: SandboxOptions = {}) => {
      const t = await startTestSandbox({ platforms: s.platforms, fixtures, ...opts });
      open.push(t);
      return t;
    };
    beforeAll(() => {
      fixtures = s.fixtures();
    });
    afterEach(async () => {
      await Promise.all(open.splice(0).map((t) => t.close()));
    });

    test('has a client flow (test/conformance/subjects.ts)', () => {
      if (!s.flow) throw new Error(`no conformance flow for platform "${id}": add one to FLOWS in test/conformance/subjects.ts`);
    });

    test('every error kind of its catalogue renders, at every endpoint and outside any: a status and a body, without throwing', async () => {
      const t = await start();
      const world = t.sb.sandbox.world;
      const base = { world, fixture: world.fixture(id), index: world.index(id) };
      const request = (path: string, method: string): PlatformRequest => ({
        method: method === '*' ? 'POST' : method,
        path,
        query: {},
        headers: {},
        contentType: '',
        rawBody: undefined,
        baseUrl: `${t.sb.url}`,
      });
      const places = [undefined, ...s.platform.endpoints];
      expect(s.platform.errors.kinds.length).toBeGreaterThan(0);
      // The core raises these on every platform (core/errors): each catalogue must hold them.
      expect(s.platform.errors.kinds).toEqual(expect.arrayContaining(['body_too_large', 'unreadable_body', 'service_unavailable']));
      for (const kind of s.platform.errors.kinds) {
        for (const endpoint of places) {
          const where = `${id} ${kind} at ${endpoint?.name ?? '(no endpoint)'}`;
          const ctx = endpoint ? { ...base, endpoint, request: request(endpoint.path, endpoint.method) } : base;
          let reply;
          try {
            reply = s.platform.errors.render(refuse(kind, 'conformance'), ctx);
          } catch (e) {
            throw new Error(`${where}: render threw ${(e as Error).message}`);
          }
          expect([where, Number.isInteger(reply.status) && reply.status >= 200 && reply.status <= 599]).toEqual([where, true]);
          expect([where, typeof reply.body, reply.body.length > 0]).toEqual([where, 'string', true]);
          if (/json/.test(reply.contentType ?? '')) expect(() => JSON.parse(reply.body)).not.toThrow();
        }
      }
    });

    test('a flow gives the same answers in memory and on Redis', async () => {
      const memory = await flow(s, await start());
      const { url, prefix } = workerRedis();
      const onRedis = await start({ store: url, storePrefix: prefix });
      // The world keeps its tokens in the shared store, not in this process.
      expect(() => onRedis.sb.sandbox.world.store).toThrow('shared store');
      const redis = await flow(s, onRedis);
      expect(redis.answers).toEqual(memory.answers);
    });

    test('export, then import into a fresh sandbox: the same answers (memory to Redis, and back)', async () => {
      const a = await start();
      const { tokens } = await flow(s, a);
      const before = await check(s, a, tokens);
      const { url, prefix } = workerRedis();
      const b = await start({ seed: 'another-seed', store: url, storePrefix: prefix });
      await b.http
        .put('/__sandbox/scenario')
        .send((await a.http.get('/__sandbox/export')).body)
        .expect(200);
      expect(await check(s, b, tokens)).toEqual(before);
      const c = await start({ seed: 'a-third-seed' });
      await c.http
        .put('/__sandbox/scenario')
        .send((await b.http.get('/__sandbox/export')).body)
        .expect(200);
      expect(await check(s, c, tokens)).toEqual(before);
    });

    test('state survives a --db restart', async () => {
      const dir = mkdtempSync(join(tmpdir(), `conformance-${id}-`));
      try {
        const db = join(dir, 'state.json');
        const a = await start({ db });
        const { tokens } = await flow(s, a);
        const before = await check(s, a, tokens);
        await a.close();
        open.splice(open.indexOf(a), 1);
        const b = await start({ db });
        expect(await check(s, b, tokens)).toEqual(before);
        await b.close();
        open.splice(open.indexOf(b), 1);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    test('`sandbox validate` and the fixture JSON schema accept its fixtures', async () => {
      const files = fixtureFiles(s, fixtures);
      expect(files.length).toBeGreaterThan(0);
      if (s.inCli) {
        const { validate } = await cli();
        expect(validate.status).toBe(0);
        expect(validate.stdout.trim().split('\n')).toEqual(expect.arrayContaining(files.map((f) => `ok  ${f}`)));
      } else {
        // Not in the real CLI's registry: the very function `sandbox validate` runs, with the platform list that has it.
        const { fixtureFile } = await loadValidators(s.platforms);
        for (const f of files) expect(() => fixtureFile.validateFixtureFile(s.platforms, JSON.parse(readFileSync(f, 'utf8')), f)).not.toThrow();
      }
      for (const f of files) expect(() => validateFixtureFile(s.platforms, JSON.parse(readFileSync(f, 'utf8')), f)).not.toThrow();
      const validate = jsonSchemaValidator(fixturesJsonSchema(s.platforms));
      for (const f of files) expect([f, validate(JSON.parse(readFileSync(f, 'utf8')))]).toEqual([f, true]);
    });

    test('`sandbox sign` and `sandbox keys` speak for it, where it signs or has keys', async () => {
      if (s.platform.signing) {
        if (!s.sign) throw new Error(`platform "${id}" signs requests: give its \`sandbox sign\` arguments in SIGN, test/conformance/subjects.ts`);
        const signed = s.inCli
          ? await cli().then(({ sign }) => {
              const r = sign.get(id)!;
              expect([r.status, r.stderr]).toEqual([0, '']);
              return JSON.parse(r.stdout);
            })
          : await signFromArgs({ platform: id, url: 'http://127.0.0.1:8848', json: true, param: [], fixtures, 'builtin-fixtures': true }, s.platforms);
        expect(signed.platform).toBe(id);
        expect(Object.keys(signed.values).length).toBeGreaterThan(0);
        for (const v of Object.values(signed.values)) expect(v).toEqual(expect.any(String));
      }
      if (s.platform.keys) {
        const keys = s.inCli
          ? await cli().then(({ keys: r }) => {
              expect([r.status, r.stderr]).toEqual([0, '']);
              return JSON.parse(r.stdout);
            })
          : await keyEntries({ fixtures, 'builtin-fixtures': true }, s.platforms);
        expect(keys.filter((k: { platform: string }) => k.platform === id).length).toBeGreaterThan(0);
      }
    });
  });
}

/**
 * A JSON Schema check independent of the zod schema it was generated from. Ajv 6 speaks draft-07; the
 * generated schema says 2020-12 but uses only keywords the two drafts read alike, which is checked first.
 */
function jsonSchemaValidator(schema: Record<string, unknown>): (data: unknown) => boolean {
  const text = JSON.stringify(schema);
  for (const keyword of ['$ref', '$defs', 'prefixItems', 'unevaluatedProperties', 'unevaluatedItems', 'dependentSchemas'])
    if (text.includes(`"${keyword}"`)) throw new Error(`the fixture schema uses ${keyword}, which draft-07 reads otherwise: check it with a 2020-12 validator`);
  const Ajv = createRequire(import.meta.url)('ajv') as new (o: object) => { compile(s: object): (d: unknown) => boolean };
  const { $schema: _draft, ...rest } = schema;
  return new Ajv({ allErrors: true }).compile(rest);
}
