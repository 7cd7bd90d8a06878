import type { Request, Response, Router } from 'express';
import { adminError } from '../../admin/errors.js';
import { safeEqual } from '../../core/crypto.js';
import { isPlainObject } from '../../core/validation.js';
import type { World } from '../../core/world.js';
import { findUserByLogin, fixtureOf, USERCENTER } from './context.js';
import type { UserCenterFixture, UserCenterUser } from './fixture.js';

/** Per-world data: the next validate code of each user (the SMS the real service would send), by userId. */
export interface UserCenterState {
  nextValidateCodes: Record<string, string>;
}

export const initialUserCenterState = (): UserCenterState => ({ nextValidateCodes: {} });

function stateOf(world: World): UserCenterState {
  const state = world.state<UserCenterState>(USERCENTER);
  state.nextValidateCodes ??= {};
  return state;
}

/**
 * Does `code` log `user` in? A code set through the control plane is spent by its use, as an SMS
 * code is; the fixture's codes (the user's own, the fixed sandbox code) work every time.
 */
export function acceptValidateCode(world: World, user: UserCenterUser, code: string): boolean {
  const state = stateOf(world);
  const pending = state.nextValidateCodes[user.userId];
  if (pending !== undefined && safeEqual(pending, code)) {
    delete state.nextValidateCodes[user.userId];
    world.touchState();
    return true;
  }
  const fixture = fixtureOf(world);
  return (user.validateCode !== undefined && user.validateCode === code) || (fixture.fixedValidateCode !== null && fixture.fixedValidateCode === code);
}

const CODE = /^[A-Za-z0-9]{1,32}$/;
const EXAMPLE = '{"username":"test","code":"123456"}';

function loginNames(fixture: UserCenterFixture): string {
  const names = fixture.users.map((u) => u.userCode);
  return names.length ? names.map((n) => `"${n}"`).join(', ') : '(none: the usercenter fixture has no users)';
}

/**
 * POST /__sandbox/usercenter/validate-code {"username","code"} sets the next validate code of a user
 * (a random 6-digit one when "code" is left out); GET lists the codes waiting to be used.
 */
export function mountValidateCodeRoutes(router: Router, worldOf: (req: Request) => World): void {
  router.get('/validate-code', (req: Request, res: Response) => {
    const world = worldOf(req);
    const fixture = fixtureOf(world);
    const codes = Object.entries(stateOf(world).nextValidateCodes).map(([userId, code]) => ({
      userId,
      username: fixture.users.find((u) => u.userId === userId)?.userCode ?? null,
      code,
    }));
    res.json({ codes });
  });

  router.post('/validate-code', async (req: Request, res: Response) => {
    const world = worldOf(req);
    const fixture = fixtureOf(world);
    const body: unknown = req.body;
    if (!isPlainObject(body)) {
      return adminError(res, 400, 'invalid_request', `Send a JSON object (Content-Type: application/json) such as ${EXAMPLE}.`);
    }
    const unknown = Object.keys(body).filter((k) => k !== 'username' && k !== 'code');
    if (unknown.length) return adminError(res, 400, 'invalid_request', `Unknown field(s) ${unknown.join(', ')}: send only "username" and "code", e.g. ${EXAMPLE}.`);
    if (typeof body.username !== 'string' || body.username === '') {
      return adminError(res, 400, 'invalid_request', `"username" must be the login name of a usercenter user (userCode, userName, mobile or e-mail), e.g. ${EXAMPLE}; users: ${loginNames(fixture)}.`);
    }
    const user = findUserByLogin(fixture, body.username);
    if (!user) return adminError(res, 404, 'unknown_user', `No usercenter user logs in as "${body.username}". Users: ${loginNames(fixture)} (or their userName, mobile or e-mail).`);
    let code: string;
    if (body.code === undefined) code = String(Math.floor(world.random.next() * 1_000_000)).padStart(6, '0');
    else if ((typeof body.code === 'string' || typeof body.code === 'number') && CODE.test(String(body.code))) code = String(body.code);
    else return adminError(res, 400, 'invalid_request', `"code" must be 1 to 32 letters or digits such as "123456" (leave it out for a random 6-digit code), got ${JSON.stringify(body.code)}.`);
    stateOf(world).nextValidateCodes[user.userId] = code;
    world.touchState();
    await world.persist();
    res.json({ username: body.username, userId: user.userId, code, message: `The next validateCode for "${body.username}" is ${code}; it works once.` });
  });
}
