import { Sandbox } from '../../src/sandbox.js';
import { LoadError } from '../../src/core/validation/load-error.js';
import { testFixture } from '../helpers/sandbox.js';

const broken = (name: string) => testFixture(`broken/${name}`);

/** Start a sandbox on one broken file and return the messages it was refused with. */
async function refusal(name: string): Promise<string[]> {
  try {
    await Sandbox.create({ fixtures: [broken(name)], builtinFixtures: false });
  } catch (e) {
    expect(e).toBeInstanceOf(LoadError);
    return (e as LoadError).message.split('\n');
  }
  throw new Error(`${name} was accepted`);
}

describe('wrong fixture files are refused at load with file, JSON path and what was expected', () => {
  test('a value of the wrong type', async () => {
    expect(await refusal('secret-wrong-type.json')).toEqual([`${broken('secret-wrong-type.json')}: mantun.apps[0].appSecret: expected string, got 123`]);
  });

  test('a misspelt field: the unknown name and the missing one', async () => {
    expect(await refusal('misspelt-field.json')).toEqual([
      `${broken('misspelt-field.json')}: mantun.apps[0].appSecret: required field is missing (expected string)`,
      `${broken('misspelt-field.json')}: mantun.apps[0]: unknown field "appSecrt" (did you mean "appSecret"?)`,
    ]);
  });

  test('a lifetime written as a string', async () => {
    expect(await refusal('lifetime-as-string.json')).toEqual([
      `${broken('lifetime-as-string.json')}: mantun.policy.lifetimes.access: expected number, got "3600"`,
    ]);
  });

  test('an unknown platform section', async () => {
    expect(await refusal('unknown-platform.json')).toEqual([
      expect.stringMatching(
        new RegExp(
          `^${broken('unknown-platform.json')}: unknown field "mantn" \\(did you mean "mantun"\\?\\) \\(a fixture file holds: \\$schema, mantun(, \\w+)*\\)$`,
        ),
      ),
    ]);
  });

  test('a context path without its leading slash', async () => {
    expect(await refusal('context-path-relative.json')).toEqual([
      `${broken('context-path-relative.json')}: mantun.contextPaths[0]: expected a path such as "/ebx-rook" (got "ebx-rook")`,
    ]);
  });

  test('an error override for a kind that does not exist', async () => {
    expect(await refusal('unknown-error-kind.json')).toEqual([`${broken('unknown-error-kind.json')}: mantun.errors: unknown field "token_expired"`]);
  });

  test('an alarm time in the wrong format, deep inside', async () => {
    expect(await refusal('alarm-time-format.json')).toEqual([
      `${broken('alarm-time-format.json')}: mantun.projects[0].boxes[0].alarms[0].time: expected "yyyy-MM-dd HH:mm[:ss]" (got "2026/11/01")`,
    ]);
  });

  test('a file that is not JSON', async () => {
    const [line] = await refusal('not-json.json');
    expect(line.startsWith(`${broken('not-json.json')}: not valid JSON: `)).toBe(true);
  });

  test('a path that does not exist', async () => {
    await expect(Sandbox.create({ fixtures: ['/nonexistent/fixtures'] })).rejects.toThrow('/nonexistent/fixtures: no such file or directory');
  });

  test('every broken file is reported, not just the first', async () => {
    await expect(Sandbox.create({ fixtures: [broken('secret-wrong-type.json'), broken('unknown-error-kind.json')] })).rejects.toThrow(
      `${broken('secret-wrong-type.json')}: mantun.apps[0].appSecret: expected string, got 123\n${broken('unknown-error-kind.json')}: mantun.errors: unknown field "token_expired"`,
    );
  });
});

describe('fixture files merge over the built-in ones', () => {
  test('objects merge key by key and arrays replace', async () => {
    const sb = await Sandbox.create({ fixtures: [testFixture('mantun-short-tokens.json')] });
    const fixture = sb.world.fixture<{ apps: unknown[]; users: { uname: string }[]; timestampToleranceSeconds: number }>('mantun');
    expect(fixture.apps).toHaveLength(1);
    expect(fixture.users[0].uname).toBe('13800000000');
    expect(fixture.timestampToleranceSeconds).toBe(0);
    expect(sb.world.policy('mantun', 'O000000049').lifetimes).toEqual({ code: 600, access: 60, refresh: 2592000, temp: null });
  });
});
