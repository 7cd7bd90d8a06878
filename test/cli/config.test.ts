import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { configJsonSchemaText } from '../../src/cli/options/config-schema.js';
import { CONFIG_KEYS } from '../../src/cli/options/config-file.js';
import { cli, freePort, ROOT, sandboxEnv, startSandbox } from './support/cli.js';

/** Every option of `sandbox start` from a flag, a SANDBOX_* variable or sandbox.config.json; flag > env > file > default. */

const SCHEMA = join(ROOT, 'schemas', 'config.schema.json');
// Regenerate after changing an option (src/core/config/option-table.ts):
//   UPDATE_SCHEMAS=1 node --experimental-vm-modules node_modules/jest/bin/jest.js test/cli/config.test.ts
if (process.env.UPDATE_SCHEMAS === '1') writeFileSync(SCHEMA, configJsonSchemaText());

let dir: string;
let env: NodeJS.ProcessEnv;
beforeEach(() => {
  ({ dir, env } = sandboxEnv());
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const portOf = (url: string) => Number(new URL(url).port);
const config = (values: Record<string, unknown>, file = join(dir, 'sandbox.config.json')) => writeFileSync(file, JSON.stringify(values));

test('the port from the flag, else SANDBOX_PORT, else sandbox.config.json', async () => {
  const [flag, fromEnv, fromFile] = [await freePort(), await freePort(), await freePort()];
  config({ port: fromFile });
  for (const [args, extra, expected] of [
    [['--port', String(flag)], { SANDBOX_PORT: String(fromEnv) }, flag],
    [[], { SANDBOX_PORT: String(fromEnv) }, fromEnv],
    [[], {}, fromFile],
  ] as const) {
    const sb = await startSandbox([...args, '--quiet'], { cwd: dir, env: { ...env, ...extra } });
    try {
      expect(portOf(sb.url)).toBe(expected);
    } finally {
      expect(await sb.stop()).toBe(0);
    }
  }
});

test('every kind of option from the environment: lists split at commas, booleans as true/false/1/0', async () => {
  mkdirSync(join(dir, 'scenarios'));
  writeFileSync(join(dir, 'scenarios', 'mine.json'), JSON.stringify({ name: 'mine', description: 'x' }));
  writeFileSync(
    join(dir, 'apps.json'),
    JSON.stringify({ mantun: { apps: [{ appKey: 'O000000077', appSecret: '0123456789ABCDEF0123456789ABCDEF', redirectUri: 'https://app.example/cb' }] } }),
  );
  const sb = await startSandbox([], {
    cwd: dir,
    env: {
      ...env,
      SANDBOX_PORT: '0',
      SANDBOX_FIXTURES: 'apps.json',
      SANDBOX_SCENARIO: 'expiry-fast,mine',
      SANDBOX_SCENARIOS_DIR: 'scenarios',
      SANDBOX_QUIET: '1',
      SANDBOX_PORT_FILE: 'port',
    },
  });
  try {
    expect(sb.output()).toContain('O000000077');
    expect(sb.output()).toContain('scenarios      expiry-fast, mine\n');
    expect(readFileSync(join(dir, 'port'), 'utf8')).toBe(`${portOf(sb.url)}\n`);
  } finally {
    await sb.stop();
  }
});

test('paths in a config file named with --config are relative to that file', async () => {
  mkdirSync(join(dir, 'ci'));
  writeFileSync(
    join(dir, 'ci', 'apps.json'),
    JSON.stringify({ mantun: { apps: [{ appKey: 'O000000078', appSecret: '0123456789ABCDEF0123456789ABCDEF', redirectUri: 'https://app.example/cb' }] } }),
  );
  config({ $schema: '../schemas/config.schema.json', port: 0, fixtures: ['apps.json'], 'port-file': 'port' }, join(dir, 'ci', 'sandbox.json'));
  const sb = await startSandbox(['--config', 'ci/sandbox.json'], { cwd: dir, env });
  try {
    expect(sb.output()).toContain('O000000078');
    expect(readFileSync(join(dir, 'ci', 'port'), 'utf8')).toBe(`${portOf(sb.url)}\n`);
  } finally {
    await sb.stop();
  }
});

test('--help states the precedence, names each variable, and shows what is in effect from the environment and the file', async () => {
  config({ seed: 'from-file', 'journal-size': 50 });
  const r = await cli(['start', '--help'], { cwd: dir, env: { ...env, SANDBOX_SEED: 'from-env', COLUMNS: '200' } });
  expect(r.code).toBe(0);
  const help = r.stdout.replace(/\s+/g, ' ');
  expect(help).toContain('A flag wins over the environment, which wins over the file, which wins over the default.');
  for (const name of CONFIG_KEYS) expect(help).toContain(`[env SANDBOX_${name.toUpperCase().replace(/-/g, '_')}]`);
  expect(r.stdout).toContain(
    'In effect from the environment and sandbox.config.json:\n  --seed from-env  (from SANDBOX_SEED)\n  --journal-size 50  (from sandbox.config.json)\n',
  );
});

test.each([
  [{ SANDBOX_PORT: 'eighty' }, {}, 'SANDBOX_PORT=eighty: expected a port number from 0 to 65535 (0 picks a free one)'],
  [{ SANDBOX_QUIET: 'maybe' }, {}, 'SANDBOX_QUIET=maybe: expected true or false (or 1/0, yes/no, on/off)'],
  [{}, { port: '8848' }, 'sandbox.config.json: "port": "8848": expected a port number from 0 to 65535 (0 picks a free one)'],
  [{}, { fixtures: 'a.json' }, 'sandbox.config.json: "fixtures": "a.json": expected an array of strings'],
  [{}, { prot: 9000 }, 'sandbox.config.json: unknown option "prot"; did you mean "port"? (the keys are the option names of "sandbox start --help")'],
  [{}, { 'log-format': 'jsn' }, 'sandbox.config.json: "log-format": "jsn": expected one of pretty, json; did you mean json?'],
  [{ SANDBOX_CONFIG: 'nope.json' }, undefined, 'SANDBOX_CONFIG=nope.json: no such file'],
])('a bad value from the environment %j or the file %j says where it came from: %s', async (extra, file, message) => {
  if (file) config(file);
  const r = await cli(['start'], { cwd: dir, env: { ...env, ...extra } });
  expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 2, stdout: '' });
  expect(r.stderr.startsWith(`sandbox: ${message}`)).toBe(true);
});

test('a config file that is not JSON: the line and column of the mistake', async () => {
  writeFileSync(join(dir, 'sandbox.config.json'), '{\n  "port": 9000,\n  fixtures: []\n}\n');
  const r = await cli(['start'], { cwd: dir, env });
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/^sandbox: sandbox\.config\.json: not valid JSON at line 3, column 3: .+\n$/);
});

test('an empty variable counts as unset (as ${VAR:-} leaves it in shells and compose files)', async () => {
  const sb = await startSandbox(['--port', '0', '--quiet'], { cwd: dir, env: { ...env, SANDBOX_SEED: '', SANDBOX_LOG_FORMAT: '' } });
  try {
    expect(sb.output()).toContain('Sandbox ready at http://');
  } finally {
    await sb.stop();
  }
});

describe('schemas/config.schema.json', () => {
  test('is exactly what the option table generates', () => {
    expect(readFileSync(SCHEMA, 'utf8')).toBe(configJsonSchemaText());
  });

  test('has every option of sandbox start, with its type, and refuses other keys', () => {
    const schema = JSON.parse(readFileSync(SCHEMA, 'utf8'));
    expect(Object.keys(schema.properties)).toEqual(['$schema', ...CONFIG_KEYS]);
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.port).toMatchObject({ type: 'integer', minimum: 0, maximum: 65535, default: 8848 });
    expect(schema.properties.fixtures).toMatchObject({ type: 'array', items: { type: 'string' } });
    expect(schema.properties['log-format']).toMatchObject({ enum: ['pretty', 'json'], default: 'pretty' });
    expect(schema.properties.port.description).toContain('environment SANDBOX_PORT');
  });
});
