import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, sandboxEnv } from '../cli/support/cli.js';

/** A fixture of 150 000 records, every one of them wrong: one message that says so, not 150 000 lines (nor a stack overflow). */
test('150 000 bad records: exit 1, the first 50 problems listed and the rest counted', async () => {
  const { dir, env } = sandboxEnv();
  try {
    const users = Array.from({ length: 150_000 }, (_, i) => ({ userId: `u${i}`, userCode: `user${i}`, password: 'sandbox123' }));
    const fixture = join(dir, 'usercenter.json');
    writeFileSync(fixture, JSON.stringify({ usercenter: { clients: [{ clientId: '23', sysid: 'aaaa' }], users } }));
    const r = await cli(['start', '--port', '0', '--fixtures', fixture], { cwd: dir, env });
    expect(r.code).toBe(1);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(52);
    expect(lines[0]).toBe('sandbox: invalid fixture or scenario (150000 problems):');
    expect(lines[1]).toBe(`${fixture}: usercenter.users[0].userName: required field is missing (expected string)`);
    expect(lines[50]).toBe(`${fixture}: usercenter.users[49].userName: required field is missing (expected string)`);
    expect(lines[51]).toBe('… and 149950 more problems');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);
