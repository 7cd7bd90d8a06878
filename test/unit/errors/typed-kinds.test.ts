import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineCatalogue, ProtocolError, refusals, type WithCoreKinds } from '../../../src/core/errors/protocol-error.js';
import { refuse as mantunRefuse } from '../../../src/platforms/mantun/errors.js';
import { refuse as sopRefuse } from '../../../src/platforms/sop/errors.js';
import { refuse as userCenterRefuse } from '../../../src/platforms/usercenter/errors.js';
import { refuse as zjrcRefuse, type ZjrcEndpoint } from '../../../src/platforms/zjrc/errors.js';

/**
 * Error kinds are literal types: a misspelt kind is a compile error (`npm run typecheck` checks this
 * file, tsconfig.json includes test/), not a 500 from the renderer at run time. Each `@ts-expect-error`
 * below fails the typecheck the day the line it covers compiles.
 */

test('each platform refuses with its own kinds; a misspelt or foreign kind does not compile', () => {
  expect(mantunRefuse('invalid_sign')).toBeInstanceOf(ProtocolError);
  // @ts-expect-error misspelt
  expect(mantunRefuse('invalid_sgin').kind).toBe('invalid_sgin');
  // @ts-expect-error a ZJRC kind, not Mantun's
  mantunRefuse('stale_timestamp');

  expect(userCenterRefuse('missing_param', 'refresh_token').vars).toEqual({ detail: 'refresh_token' });
  // @ts-expect-error misspelt
  userCenterRefuse('bad_credential');

  expect(sopRefuse('isv.invalid-signature').kind).toBe('isv.invalid-signature');
  sopRefuse('invalid_grant');
  sopRefuse('invalid_client');
  // @ts-expect-error misspelt sub_code
  sopRefuse('isv.invalid-sign');

  expect(zjrcRefuse('bad_credentials').kind).toBe('bad_credentials');
  // @ts-expect-error misspelt
  zjrcRefuse('unknown_ap');
});

test("a catalogue that lacks a core kind does not compile; neither does an endpoint without its surface or with another platform's", () => {
  const entries = { only: { text: 'x' } };
  // @ts-expect-error body_too_large, unreadable_body and service_unavailable are missing
  const checked = entries satisfies WithCoreKinds<{ text: string }>;
  const { refuse } = refusals(defineCatalogue(checked));
  expect(refuse('only').kind).toBe('only');
  // @ts-expect-error not a kind of this catalogue
  refuse('other');

  const base = { method: 'GET', path: '/x', name: 'x', parse: () => ({}), handle: () => ({ status: 200, body: '' }) };
  const good: ZjrcEndpoint<object> = { ...base, surface: 'page' };
  // @ts-expect-error no surface
  const unsaid: ZjrcEndpoint<object> = { ...base };
  // @ts-expect-error Mantun's surface, not ZJRC's
  const foreign: ZjrcEndpoint<object> = { ...base, surface: 'login' };
  expect([good.surface, unsaid.surface, foreign.surface]).toEqual(['page', undefined, 'login']);
});

test('no platform raises with the untyped refuse of the core: each imports its own from its errors.ts', () => {
  const root = fileURLToPath(new URL('../../../src/platforms/', import.meta.url));
  const offenders: string[] = [];
  for (const dir of readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory())) {
    for (const file of readdirSync(join(root, dir.name)).filter((f) => f.endsWith('.ts'))) {
      const text = readFileSync(join(root, dir.name, file), 'utf8');
      if (/import \{[^}]*\brefuse(WithNote)?\b[^}]*\} from '[./]*core\/errors\/protocol-error\.js'/.test(text)) offenders.push(`${dir.name}/${file}`);
    }
  }
  expect(offenders).toEqual([]);
});
