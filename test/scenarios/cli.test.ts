import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, spawnSandbox, type Spawned } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'sandbox-scenario-cli-'));
const write = (name: string, content: unknown) => {
  const file = join(dir, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
};

let running: Spawned | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

describe('sandbox start --scenario', () => {
  test('built-in names and paths, repeatable, listed at start and active in the server', async () => {
    const bug = write('my-bug.json', { name: 'my-bug', policy: { lifetimes: { access: 42 } } });
    running = await spawnSandbox(['start', '--port', '0', '--quiet', '--scenario', 'expiry-fast', '--scenario', bug]);
    expect(running.output()).toContain('scenarios      expiry-fast, my-bug\n');
    const active = (await (await fetch(`${running.url}/__sandbox/scenario`)).json()) as {
      active: { name: string; source: string }[];
      policy: Record<string, unknown>;
    };
    expect(active.active.map((a) => [a.name, a.source])).toEqual([
      ['expiry-fast', 'builtin'],
      ['my-bug', bug],
    ]);
    expect(active.policy.mantun).toEqual({ lifetimes: { access: 42 } });
  });

  test('--scenarios-dir makes your files reachable by name over the control plane', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'sandbox-scenarios-'));
    writeFileSync(join(folder, 'team-bug.json'), JSON.stringify({ description: 'ours', policy: { codeSingleUse: false } }));
    running = await spawnSandbox(['start', '--port', '0', '--quiet', '--scenarios-dir', folder]);
    const res = await fetch(`${running.url}/__sandbox/scenario`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'team-bug' }),
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { active: unknown[] }).active).toEqual([{ name: 'team-bug', description: 'ours', source: join(folder, 'team-bug.json') }]);
  });

  test('an unknown name or an invalid file stops start-up with what and where, exit 1', () => {
    const unknown = runCli(['start', '--port', '0', '--scenario', 'rotation-strikt']);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toMatch(
      /^sandbox: unknown scenario "rotation-strikt" \(did you mean "rotation-strict"\?\); the library has callback-url-missing, .* \(or give a path to a \.json file\)\n$/,
    );
    const bad = write('bad.json', { faults: [{ respond: { status: '500' } }] });
    const invalid = runCli(['start', '--port', '0', '--scenario', bad]);
    expect(invalid.status).toBe(1);
    expect(invalid.stderr).toBe(`sandbox: invalid fixture or scenario: ${bad}: faults[0].respond.status: expected number, got "500"\n`);
  });
});

describe('sandbox export', () => {
  test('writes the running sandbox as a scenario file that start --scenario loads', async () => {
    running = await spawnSandbox(['start', '--port', '0', '--quiet', '--seed', 'cli', '--scenario', 'rotation-strict']);
    await fetch(`${running.url}/__sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'x', endpoint: 'token.as', nth: 5, respond: { status: 500 } }),
    });
    const out = join(dir, 'export.json');
    const exported = runCli(['export', '--url', running.url, '--name', 'ticket', '-o', out]);
    expect(exported.status).toBe(0);
    expect(exported.stderr).toBe(`wrote ${out}: 0 token(s), 1 fault rule(s); reproduce with: sandbox start --scenario ${out}\n`);
    const file = JSON.parse(readFileSync(out, 'utf8'));
    expect(file).toMatchObject({ name: 'ticket', random: { seed: 'cli', draws: 0 }, faults: [{ id: 'x', nth: 5, progress: { calls: 0, fired: 0 } }] });
    await running.stop();

    running = await spawnSandbox(['start', '--port', '0', '--quiet', '--scenario', out]);
    const active = (await (await fetch(`${running.url}/__sandbox/faults`)).json()) as { faults: { id: string }[] };
    expect(active.faults.map((f) => f.id)).toEqual(['x']);
  });

  test('to standard output, and a clear error when the sandbox is not there', async () => {
    running = await spawnSandbox(['start', '--port', '0', '--quiet']);
    const printed = runCli(['export', '--url', running.url]);
    expect(printed.status).toBe(0);
    expect(JSON.parse(printed.stdout).name).toBe('export-default');
    const missing = runCli(['export', '--url', `${running.url}`, '--session', 'nope']);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toBe(
      `sandbox: export failed: HTTP 404 from ${running.url}/s/nope/__sandbox/export: No session "nope": it was never created or has been ended; GET /__sandbox/sessions lists the open ones, POST /__sandbox/sessions creates one.\n`,
    );
    await running.stop();
    running = undefined;
    const down = runCli(['export', '--url', 'http://127.0.0.1:9']);
    expect(down.status).toBe(1);
    expect(down.stderr).toMatch(
      /^sandbox: cannot reach the sandbox at http:\/\/127\.0\.0\.1:9 \(.+\); is it running\? Start it with "sandbox start" or point --url at it\.\n$/,
    );
  });
});

describe('sandbox validate', () => {
  test('checks scenario files beside fixture files, telling them apart', () => {
    const ok = runCli(['validate', 'scenarios', 'fixtures/mantun.json']);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain('scenarios/rotation-strict.json (scenario)\n');
    expect(ok.stdout).toMatch(/ok {2}\S*fixtures\/mantun\.json\n/);
    expect(ok.stdout.match(/\(scenario\)/g)).toHaveLength(16);
  });

  test('a scenario error names the file, the JSON path and what was expected', () => {
    const file = write('typo.json', {
      $schema: '../schemas/scenario.schema.json',
      faults: [{ platform: 'mantun', respond: { error: 'code_usd' } }],
      clock: { skew: 'ahead' },
    });
    const res = runCli(['validate', file]);
    expect(res.status).toBe(1);
    expect(res.stderr).toBe(
      `${file}: clock.skew: expected a duration such as "5m", "+5m", "-5m", "250ms" or a number of seconds (got "ahead")\n1 of 1 file(s) invalid\n`,
    );
    const kind = write('kind.json', { faults: [{ platform: 'mantun', respond: { error: 'code_usd' } }] });
    const res2 = runCli(['validate', kind]);
    expect(res2.stderr.startsWith(`${kind}: faults[0].respond.error: "code_usd" is not in mantun's error catalogue; kinds: invalid_request, `)).toBe(true);
  });
});
