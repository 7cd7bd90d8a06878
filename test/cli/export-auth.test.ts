import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { runCliAsync as cli } from '../helpers/cli.js';

describe('sandbox export against a sandbox that requires the admin token', () => {
  let t: TestSandbox;
  beforeAll(async () => {
    t = await startTestSandbox({ adminToken: 'export-secret' });
  });
  afterAll(() => t.close());

  test('without the token: exit 1 and a message that says to pass it', async () => {
    const r = await cli(['export', '--url', t.sb.url]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(
      /^sandbox: export failed: HTTP 401 from .*\/__sandbox\/export: .* \(pass the admin token the sandbox printed at start with --admin-token\)\n$/,
    );
  });

  test('with --admin-token: the scenario file', async () => {
    const r = await cli(['export', '--url', t.sb.url, '--admin-token', 'export-secret']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ $schema: expect.stringContaining('scenario.schema.json') });
  });
});
