import { ControlError } from '../../core/errors/control-error.js';
import type { PlatformAdminRoute } from '../../core/platform.js';
import type { UserCenterFixture } from './fixture.js';
import { USERCENTER } from './id.js';
import type { UserCenterIndex } from './lookups.js';
import type { UserCenterState } from './state.js';

export const VALIDATE_CODE_EXAMPLE = { username: 'test', code: '123456' };

/** The users' login names, for messages that say who exists. */
export function loginNames(fixture: UserCenterFixture): string {
  const names = fixture.users.map((u) => u.userCode);
  return names.length ? names.map((n) => `"${n}"`).join(', ') : '(none: the usercenter fixture has no users)';
}

type Route = PlatformAdminRoute<UserCenterFixture, UserCenterIndex>;

/**
 * GET /__sandbox/usercenter/validate-code lists the codes waiting to be used; POST {"username","code"}
 * sets the next validate code of a user (a random 6-digit one when "code" is left out): the SMS the
 * real service would send.
 */
export const validateCodeRoutes: Route[] = [
  {
    method: 'GET',
    path: '/validate-code',
    summary: 'The validate codes set for users and not used yet',
    async handle({ world, index }) {
      const state = await world.readState<UserCenterState>(USERCENTER);
      const codes = Object.entries(state.nextValidateCodes ?? {}).map(([userId, code]) => ({
        userId,
        username: index.usersById.get(userId)?.userCode ?? null,
        code,
      }));
      return { codes };
    },
  },
  {
    method: 'POST',
    path: '/validate-code',
    summary: 'Set the next validate code of a user (the SMS the real service would send); it works once',
    body: async (fixture) => (await import('./admin-schema.js')).validateCodeBody(fixture),
    example: VALIDATE_CODE_EXAMPLE,
    async handle({ body, world, fixture, index }) {
      const { username, code: given } = body as { username: string; code?: string | number };
      const user = index.usersByLogin.get(username);
      if (!user)
        throw new ControlError(
          'unknown_user',
          `No usercenter user logs in as "${username}". Users: ${loginNames(fixture)} (or their userName, mobile or e-mail).`,
        );
      const code = given === undefined ? String(Math.floor(world.random.next() * 1_000_000)).padStart(6, '0') : String(given);
      await world.updateState<UserCenterState, void>(USERCENTER, (state) => {
        (state.nextValidateCodes ??= {})[user.userId] = code;
      });
      return { username, userId: user.userId, code, message: `The next validateCode for "${username}" is ${code}; it works once.` };
    },
  },
];
