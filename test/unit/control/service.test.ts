import { startSandbox, type RunningSandbox } from '../../../src/index.js';
import type { SandboxControl } from '../../../src/control/service.js';
import { ControlError } from '../../../src/core/errors/control-error.js';

/** The control service called as the typed domain service it is: no HTTP, no string round trips. */

let sb: RunningSandbox;
let control: SandboxControl;
beforeAll(async () => {
  sb = await startSandbox({ seed: 'control-unit' });
  control = await sb.sandbox.loadControl();
});
afterAll(() => sb.close());

test('moveClock takes milliseconds and epoch milliseconds; a move out of range refuses and moves nothing', () => {
  const world = sb.sandbox.world;
  const at = Date.UTC(2030, 0, 1);
  expect(control.moveClock(world, { set: at, rate: 0 }).view.epochMs).toBe(at);
  expect(control.moveClock(world, { advance: 1500 }).view).toEqual({
    now: '2030-01-01T00:00:01.500Z',
    epochMs: at + 1500,
    rate: 0,
    offsetMs: expect.any(Number),
  });
  let refused: unknown;
  try {
    control.moveClock(world, { set: 8.64e15 });
  } catch (e) {
    refused = e;
  }
  expect(refused).toBeInstanceOf(ControlError);
  expect((refused as ControlError).kind).toBe('invalid_request');
  expect(world.clock.now()).toBe(at + 1500);
});

test('fault rules are armed and removed by id, with counts; an unknown id is not_found', () => {
  const world = sb.sandbox.world;
  const fault = control.armFault(world, { id: 'unit-503', endpoint: 'token.as', respond: { status: 503 } });
  expect(fault).toMatchObject({ id: 'unit-503', calls: 0, fired: 0 });
  expect(() => control.disarmFaults(world, 'nope')).toThrow('No armed fault rule "nope"');
  expect(control.disarmFaults(world, 'unit-503')).toBe(1);
  expect(control.disarmFaults(world)).toBe(0);
});

test('sessions open, list and end through one door; an ended one is unknown with the one unknown_session text', async () => {
  const session = await control.createSession({ id: 'unit-1', scenarios: ['expiry-fast'] });
  expect(session.world.scenarios.view().active.map((a) => a.name)).toEqual(['expiry-fast']);
  expect((await control.sessions()).map((s) => s.id)).toEqual(['unit-1']);
  await control.endSession('unit-1');
  await expect(control.session('unit-1')).rejects.toThrow(
    'No session "unit-1": it was never created or has been ended; GET /__sandbox/sessions lists the open ones, POST /__sandbox/sessions creates one.',
  );
  await expect(control.world('unit-1')).rejects.toMatchObject({ kind: 'unknown_session' });
});

test('a session whose scenarios do not load is not left behind', async () => {
  await expect(control.createSession({ id: 'unit-2', scenarios: ['no-such-scenario'] })).rejects.toThrow('no-such-scenario');
  expect(await control.sessions()).toEqual([]);
});

test('a session id that is not a string is refused with the same words as over HTTP', async () => {
  await expect(control.createSession({ id: 5 as unknown as string })).rejects.toThrow(
    '"id" must be 1 to 64 letters, digits, "_" or "-" (starting with a letter or digit), got 5.',
  );
  expect(await control.sessions()).toEqual([]);
});
