import { TOKEN_EXAMPLE } from '../../src/admin/route-table.js';
import { VERSION } from '../../src/sandbox.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

type Schema = Record<string, any>;
type Doc = { openapi: string; info: Schema; servers: Schema[]; paths: Record<string, Record<string, Schema>>; components: Schema };
type Layer = { route?: { path: string; methods: Record<string, boolean> }; handle: { stack?: Layer[] }; rawPath?: unknown };

/** A token the tests seed, so operations on one token have one to act on. */
const SEEDED = { platform: 'mantun', kind: 'access', value: TOKEN_EXAMPLE, appId: 'O000000049', subject: '13800000000' };

let t: TestSandbox;
let doc: Doc;

beforeAll(async () => {
  t = await startTestSandbox();
  const res = await t.http.get('/__sandbox/openapi.json');
  expect(res.status).toBe(200);
  doc = res.body;
});
afterAll(() => t.close());

/** Every METHOD path the control-plane router (and the platform routers mounted in it) serves, OpenAPI-style. */
async function servedRoutes(): Promise<string[]> {
  const app = (await t.sb.sandbox.controlApp()) as unknown as { router: { stack: Layer[] } };
  const admin = app.router.stack.find((l) => Array.isArray(l.rawPath) && l.rawPath.includes('/__sandbox'));
  if (!admin?.handle.stack) throw new Error('the /__sandbox router is not mounted on the app');
  const walk = (stack: Layer[], prefix: string): string[] =>
    stack.flatMap((layer) => {
      if (layer.route)
        return Object.keys(layer.route.methods)
          .filter((m) => m !== '_all')
          .map((m) => `${m.toUpperCase()} ${prefix}${layer.route!.path.replace(/:(\w+)/g, '{$1}')}`);
      if (layer.handle.stack && typeof layer.rawPath === 'string' && layer.rawPath !== '/') return walk(layer.handle.stack, prefix + layer.rawPath);
      return [];
    });
  return walk(admin.handle.stack, '').sort();
}

function describedRoutes(): string[] {
  return Object.entries(doc.paths)
    .flatMap(([path, item]) => Object.keys(item).map((m) => `${m.toUpperCase()} ${path}`))
    .sort();
}

function resolve(schema: Schema): Schema {
  if (!schema.$ref) return schema;
  const parts = (schema.$ref as string).replace(/^#\//, '').split('/');
  return resolve(parts.reduce((node: Schema, key) => node[key], doc as unknown as Schema));
}

/** A small structural check: required keys present, and types of what is there, following $ref. */
function conforms(schema: Schema, value: unknown, at: string): string[] {
  const s = resolve(schema);
  if (s.oneOf) return (s.oneOf as Schema[]).some((alt) => conforms(alt, value, at).length === 0) ? [] : [`${at}: matches none of oneOf`];
  const types: string[] = s.type === undefined ? [] : Array.isArray(s.type) ? s.type : [s.type];
  const typeOf = value === null ? 'null' : Array.isArray(value) ? 'array' : Number.isInteger(value) ? 'integer' : typeof value;
  if (types.length && !types.includes(typeOf) && !(typeOf === 'integer' && types.includes('number')))
    return [`${at}: expected ${types.join('|')}, got ${typeOf}`];
  if (s.const !== undefined && value !== s.const) return [`${at}: expected ${JSON.stringify(s.const)}`];
  if (s.enum && !s.enum.includes(value)) return [`${at}: ${JSON.stringify(value)} not in ${JSON.stringify(s.enum)}`];
  const problems: string[] = [];
  if (typeOf === 'object') {
    const obj = value as Record<string, unknown>;
    for (const key of (s.required as string[] | undefined) ?? []) if (!(key in obj)) problems.push(`${at}.${key}: missing`);
    for (const [key, sub] of Object.entries((s.properties as Record<string, Schema> | undefined) ?? {}))
      if (key in obj && obj[key] !== undefined) problems.push(...conforms(sub, obj[key], `${at}.${key}`));
  }
  if (typeOf === 'array' && s.items) (value as unknown[]).forEach((v, i) => problems.push(...conforms(s.items, v, `${at}[${i}]`)));
  return problems;
}

describe('GET /__sandbox/openapi.json', () => {
  test('is an OpenAPI 3.1 document of this version, with servers for the default world and a session', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info.version).toBe(VERSION);
    expect(doc.servers).toEqual([
      { url: `${t.sb.url}/__sandbox`, description: 'The default world' },
      {
        url: `${t.sb.url}/s/{session}/__sandbox`,
        description: 'A session (POST /sessions first)',
        variables: { session: { default: 'worker-1', description: 'Session id' } },
      },
    ]);
    const ids = Object.values(doc.paths).flatMap((item) => Object.values(item).map((op) => op.operationId));
    expect(new Set(ids).size).toBe(ids.length);
    const refs = [...new Set([...JSON.stringify(doc).matchAll(/"\$ref":"([^"]+)"/g)].map((m) => m[1]))];
    expect(refs.length).toBeGreaterThan(10);
    expect(
      refs.filter(
        (r) =>
          r
            .replace(/^#\//, '')
            .split('/')
            .reduce((node: Schema | undefined, key) => node?.[key], doc as unknown as Schema) === undefined,
      ),
    ).toEqual([]);
  });

  test('every route the control-plane router serves is described, and nothing else', async () => {
    const served = await servedRoutes();
    expect(served).toContain('GET /health');
    expect(served).toContain('POST /usercenter/validate-code');
    expect(describedRoutes()).toEqual(served);
  });

  test('is served under a session prefix too', async () => {
    await t.http.post('/__sandbox/sessions').send({ id: 'docs' }).expect(201);
    const res = await t.http.get('/s/docs/__sandbox/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.paths).toEqual(doc.paths);
    await t.http.delete('/__sandbox/sessions/docs').expect(204);
  });
});

describe('with an admin token in force', () => {
  test('every operation but /health and /health/live documents the 401 the token check answers, and the document itself needs the token', async () => {
    const secured = await startTestSandbox({ adminToken: 'ci-only-token' });
    try {
      const refused = await secured.http.get('/__sandbox/openapi.json');
      expect(refused.status).toBe(401);
      const sample = doc.paths['/openapi.json'].get.responses['401'];
      expect(conforms(sample.content['application/json'].schema, refused.body, 'body')).toEqual([]);
      expect(refused.body.error).toBe('unauthorized');
      expect((await secured.http.get('/__sandbox/health')).status).toBe(200);
      expect((await secured.http.get('/__sandbox/health/live')).status).toBe(200);

      const res = await secured.http.get('/__sandbox/openapi.json').set('authorization', 'Bearer ci-only-token');
      expect(res.status).toBe(200);
      expect(res.body.info.description).toContain('This sandbox requires the admin token on every route but /health and /health/live.');
      expect(res.body.security).toEqual([{}, { bearer: [] }, { adminTokenHeader: [] }, { adminTokenQuery: [] }]);
      for (const [path, item] of Object.entries(res.body.paths as Doc['paths'])) {
        for (const [method, op] of Object.entries(item)) {
          if (path === '/health' || path === '/health/live') expect([method, path, op.security, op.responses['401']]).toEqual([method, path, [{}], undefined]);
          else expect([method, path, op.responses['401'] !== undefined]).toEqual([method, path, true]);
        }
      }
    } finally {
      await secured.close();
    }
  });
});

describe('every described operation answers as described', () => {
  const operations = () => Object.entries(doc.paths).flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({ method, path, op })));

  // Computed lazily: the document is fetched in beforeAll.
  test('with its example body and path parameters, on a sandbox with one session and one armed rule', async () => {
    const checked: string[] = [];
    for (const { method, path, op } of operations()) {
      await t.http.delete('/__sandbox/sessions').expect(200);
      await t.http.delete('/__sandbox/scenario').expect(200);
      await t.http.post('/__sandbox/reset').expect(200);
      await t.http
        .put('/__sandbox/scenario')
        .send({ scenario: { state: { tokens: [SEEDED] } } })
        .expect(200);
      await t.http.post('/__sandbox/sessions').send({ id: 'worker-1' }).expect(201);
      await t.http
        .post('/__sandbox/faults')
        .send({ id: 'refresh-500', endpoint: 'refresh.as', nth: 2, respond: { status: 500 } })
        .expect(201);

      const params = ((op.parameters ?? []) as Schema[]).map(resolve).filter((p) => p.in === 'path');
      const url = params.reduce((u, p) => u.replace(`{${p.name}}`, encodeURIComponent(p.example)), path);
      expect(url).not.toContain('{');
      const expected = Object.keys(op.responses).filter((s) => s.startsWith('2'));
      expect(expected).toHaveLength(1);
      const described = op.responses[expected[0]];
      const type = described.content ? Object.keys(described.content)[0] : undefined;
      if (type === 'text/event-stream') {
        // A stream never ends: its status and type are the answer.
        const ac = new AbortController();
        const res = await fetch(`${t.sb.url}/__sandbox${url}`, { signal: ac.signal });
        expect([path, res.status, res.headers.get('content-type')]).toEqual([path, Number(expected[0]), 'text/event-stream; charset=utf-8']);
        ac.abort();
        checked.push(`${method.toUpperCase()} ${path}`);
        continue;
      }
      const example = op.requestBody?.content?.['application/json']?.example;
      let req = (t.http as any)[method](`/__sandbox${url}`);
      if (example !== undefined) req = req.send(example);
      const res = await req;
      const label = `${method.toUpperCase()} ${path} → ${res.status} ${(res.text ?? '').slice(0, 200)}`;
      expect(label).toBe(`${method.toUpperCase()} ${path} → ${expected[0]} ${(res.text ?? '').slice(0, 200)}`);
      if (type === 'application/json') {
        expect(res.headers['content-type']).toMatch(/^application\/json/);
        expect({ label, problems: conforms(described.content[type].schema, res.body, 'body') }).toEqual({ label, problems: [] });
      } else if (type) expect(res.headers['content-type']).toMatch(new RegExp(`^${type}`));
      else expect(res.text).toBe('');
      checked.push(`${method.toUpperCase()} ${path}`);
    }
    expect(checked.sort()).toEqual(describedRoutes());
  });

  test('documented error answers are in the documented shape', async () => {
    const cases: [string, string, unknown, number, string][] = [
      ['post', '/clock', { advance: 'soon' }, 400, 'invalid_request'],
      ['put', '/scenario', { name: 'no-such' }, 404, 'unknown_scenario'],
      ['put', '/scenario', { policy: { lifetimes: { access: 'x' } } }, 400, 'invalid_scenario'],
      ['get', '/sessions/none', undefined, 404, 'unknown_session'],
      ['delete', '/faults/none', undefined, 404, 'not_found'],
      ['get', '/requests?limit=x', undefined, 400, 'invalid_request'],
    ];
    for (const [method, url, body, status, error] of cases) {
      let req = (t.http as any)[method](`/__sandbox${url}`);
      if (body !== undefined) req = req.send(body);
      const res = await req;
      expect([url, res.status, res.body.error]).toEqual([url, status, error]);
      const path = url.split('?')[0].replace(/\/none$/, (m: string) => (url.startsWith('/faults') || url.startsWith('/sessions') ? '/{id}' : m));
      const described = doc.paths[path][method].responses[String(status)];
      expect(described).toBeDefined();
      expect(conforms(described.content['application/json'].schema, res.body, 'body')).toEqual([]);
    }
  });
});
