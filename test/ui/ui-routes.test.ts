import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { UI_DIR } from '../../src/admin/ui-routes.js';

let t: TestSandbox;
beforeEach(async () => {
  t = await startTestSandbox();
});
afterEach(() => t.close());

const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'";

describe('serving the dashboard', () => {
  test('GET /__sandbox/ is the page, with a policy that only allows its own files and origin', async () => {
    const res = await t.http.get('/__sandbox/');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['content-security-policy']).toBe(CSP);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.text).toBe(readFileSync(join(UI_DIR, 'index.html'), 'utf8'));
  });

  test('without the trailing slash it redirects, keeping the query, relative to where it was asked', async () => {
    const res = await t.http.get('/__sandbox').redirects(0);
    expect([res.status, res.headers.location]).toEqual([301, './__sandbox/']);
    const q = await t.http.get('/__sandbox?x=1').redirects(0);
    expect(q.headers.location).toBe('./__sandbox/?x=1');
    await t.http.post('/__sandbox/sessions').send({ id: 'w1' });
    const s = await t.http.get('/s/w1/__sandbox').redirects(0);
    expect([s.status, s.headers.location]).toEqual([301, './__sandbox/']);
  });

  test('a session has the same page under its prefix; a session that does not exist gets 404 unknown_session', async () => {
    await t.http.post('/__sandbox/sessions').send({ id: 'w1' });
    const page = await t.http.get('/s/w1/__sandbox/');
    expect([page.status, page.headers['content-type']]).toEqual([200, 'text/html; charset=utf-8']);
    const script = await t.http.get('/s/w1/__sandbox/ui/app.js');
    expect(script.status).toBe(200);
    const gone = await t.http.get('/s/gone/__sandbox/');
    expect([gone.status, gone.body.error]).toEqual([404, 'unknown_session']);
  });

  test('scripts are served as JavaScript modules, styles as CSS, with the same policy', async () => {
    const js = await t.http.get('/__sandbox/ui/app.js');
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.text).toBe(readFileSync(join(UI_DIR, 'app.js'), 'utf8'));
    const panel = await t.http.get('/__sandbox/ui/panels/tokens.js');
    expect([panel.status, panel.headers['content-type']]).toEqual([200, 'text/javascript; charset=utf-8']);
    const css = await t.http.get('/__sandbox/ui/style.css');
    expect([css.status, css.headers['content-type'], css.headers['content-security-policy']]).toEqual([200, 'text/css; charset=utf-8', CSP]);
  });

  test("anything else under /ui is the control plane's 404, never a file outside ui/", async () => {
    for (const path of [
      '/__sandbox/ui/missing.js',
      '/__sandbox/ui/%2e%2e/package.json',
      '/__sandbox/ui/..%2fpackage.json',
      '/__sandbox/ui/',
      '/__sandbox/ui/.hidden',
    ]) {
      const res = await t.http.get(path);
      expect([path, res.status, res.body.error]).toEqual([path, 404, 'not_found']);
    }
  });
});

/** Every file the page loads, found by walking ui/. */
function assets(dir = UI_DIR): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? assets(path) : [path];
  });
}

describe('what ships in ui/', () => {
  test('no script ever parses data as markup or code', () => {
    for (const file of assets().filter((f) => f.endsWith('.js'))) {
      const source = readFileSync(file, 'utf8');
      expect([
        relative(UI_DIR, file),
        source.match(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function|setTimeout\(\s*['"`]/g),
      ]).toEqual([relative(UI_DIR, file), null]);
    }
  });

  test('nothing is loaded from another origin (no CDN): every URL in the page and its files is relative', () => {
    for (const file of assets()) {
      const source = readFileSync(file, 'utf8');
      expect([relative(UI_DIR, file), source.match(/(src|href)\s*=\s*["'](https?:)?\/\/|@import\s+url\(\s*["']?https?:|from\s+['"]https?:/g)]).toEqual([
        relative(UI_DIR, file),
        null,
      ]);
    }
  });

  test('every module the page imports exists', () => {
    for (const file of assets().filter((f) => f.endsWith('.js'))) {
      for (const [, spec] of readFileSync(file, 'utf8').matchAll(/from\s+'(\.[^']+)'/g)) {
        expect(statSync(join(file, '..', spec)).isFile()).toBe(true);
      }
    }
  });
});
