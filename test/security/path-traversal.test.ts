import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

/**
 * Names given over the control plane reach only the configured scenario folders: a scenario file
 * that sits next to the folder (valid, and readable by the process) can never be loaded by a name
 * that climbs out of it, however the climb is spelled. The dashboard's static files stay in ui/.
 */
let root: string;
let t: TestSandbox;
const PACKAGE_NAME = '"name": "oauth-platform-sandbox"';

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'sandbox-traversal-'));
  mkdirSync(join(root, 'mine'));
  const scenario = (name: string) => JSON.stringify({ name, policy: { lifetimes: { access: 5 } } });
  writeFileSync(join(root, 'mine', 'inside.json'), scenario('inside'));
  writeFileSync(join(root, 'outside.json'), scenario('outside'));
  t = await startTestSandbox({ scenarioDirs: [join(root, 'mine')] });
});
afterAll(async () => {
  await t.close();
  rmSync(root, { recursive: true, force: true });
});

const CLIMBS = [
  '../outside',
  '../outside.json',
  'inside/../../outside',
  '..\\outside',
  '..%2Foutside',
  '%2e%2e%2foutside',
  '..%252Foutside',
  '....//outside',
  '.%2e/outside',
  '..',
  '.',
  '',
  ' ../outside',
  'outside\u0000',
  '/etc/passwd',
  'file:///etc/passwd',
  'C:\\Windows\\win.ini',
  '~/outside',
];

async function active(): Promise<string[]> {
  return (await t.http.get('/__sandbox/scenario')).body.active.map((a: { name: string }) => a.name);
}

test('a name in the folder loads; the same file system one level up does not', async () => {
  const ok = await t.http.put('/__sandbox/scenario').send({ name: 'inside' });
  expect(ok.status).toBe(200);
  expect(await active()).toEqual(['inside']);
  await t.http.delete('/__sandbox/scenario');
  expect(readFileSync(join(root, 'outside.json'), 'utf8')).toContain('"outside"');
});

test.each(CLIMBS)('PUT /scenario {"name": %j} is refused and loads nothing', async (name) => {
  for (const body of [{ name }, { scenarios: [name] }, { scenario: name }, { name, add: true }]) {
    const res = await t.http.put('/__sandbox/scenario').send(body);
    expect([400, 404]).toContain(res.status);
    expect(res.body.error).toMatch(/^(invalid_request|invalid_scenario|unknown_scenario)$/);
    expect(res.text).not.toContain('lifetimes');
    expect(res.text).not.toContain('root:x:0:0');
  }
  expect(await active()).toEqual([]);
});

test.each(CLIMBS.filter((n) => n !== ''))('POST /sessions {"scenario": %j} is refused and opens no session', async (name) => {
  const res = await t.http.post('/__sandbox/sessions').send({ scenario: name });
  expect([400, 404]).toContain(res.status);
  expect(res.text).not.toContain('lifetimes');
  expect((await t.http.get('/__sandbox/sessions')).body.count).toBe(0);
});

test('a path is refused over HTTP even when it names a real scenario file, and says how to do it instead', async () => {
  const library = ((await t.http.get('/__sandbox/scenarios')).body.scenarios as { name: string }[]).map((s) => s.name);
  expect(library).toContain('inside');
  const file = join(root, 'outside.json');
  const res = await t.http.put('/__sandbox/scenario').send({ name: file });
  const message = `scenario files are read only from the command line or the in-process API; over the control plane name one of the library (${library.join(', ')}) or send the scenario inline`;
  expect(res.status).toBe(400);
  expect(res.body).toEqual({ error: 'invalid_scenario', message: `${file}: ${message}`, issues: [{ file, path: '', message }] });
  expect(await active()).toEqual([]);
});

test.each([
  '/__sandbox/ui/../../package.json',
  '/__sandbox/ui/%2e%2e/%2e%2e/package.json',
  '/__sandbox/ui/..%2f..%2fpackage.json',
  '/__sandbox/ui/..%5c..%5cpackage.json',
  '/__sandbox/ui/%252e%252e/%252e%252e/package.json',
  '/__sandbox/ui/....//....//package.json',
  '/__sandbox/ui//etc/passwd',
  '/__sandbox/ui/%2fetc%2fpasswd',
  '/__sandbox/ui/.%00./package.json',
])('GET %s does not serve a file outside ui/', async (path) => {
  const res = await t.http.get(path);
  expect(res.status).not.toBe(200);
  expect(res.status).toBeLessThan(500);
  expect(res.text).not.toContain(PACKAGE_NAME);
  expect(res.text).not.toContain('root:x:0:0');
});

test('route parameters that climb are plain (unknown) ids', async () => {
  for (const path of ['/__sandbox/sessions/..%2F..%2Fetc%2Fpasswd', '/__sandbox/faults/..%2F..%2Fpackage.json', '/__sandbox/sessions/%2e%2e']) {
    const res = await t.http.get(path);
    const del = await t.http.delete(path);
    for (const r of [res, del]) {
      expect(r.status).toBeGreaterThanOrEqual(400);
      expect(r.status).toBeLessThan(500);
      expect(r.text).not.toContain(PACKAGE_NAME);
    }
  }
});
