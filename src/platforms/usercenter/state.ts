import { safeEqual } from '../../core/crypto.js';
import type { World } from '../../core/world.js';
import type { UserCenterFixture, UserCenterUser } from './fixture.js';
import { USERCENTER } from './id.js';

/** Per-world data: the next validate code of each user (the SMS the real service would send), by userId. */
export interface UserCenterState {
  nextValidateCodes: Record<string, string>;
}

export const initialUserCenterState = (): UserCenterState => ({ nextValidateCodes: {} });

/**
 * Does `code` log `user` in? A code set through the control plane is spent by its use, as an SMS
 * code is; the fixture's codes (the user's own, the fixed sandbox code) work every time.
 */
export async function acceptValidateCode(world: World, fixture: UserCenterFixture, user: UserCenterUser, code: string): Promise<boolean> {
  const pending = (await world.readState<UserCenterState>(USERCENTER)).nextValidateCodes?.[user.userId];
  if (pending !== undefined && safeEqual(pending, code)) {
    // Spent atomically: of two logins with one SMS code, one gets in.
    const spent = await world.updateState<UserCenterState, boolean>(USERCENTER, (state) => {
      const codes = (state.nextValidateCodes ??= {});
      if (codes[user.userId] !== pending) return false;
      delete codes[user.userId];
      return true;
    });
    if (spent) return true;
  }
  return (user.validateCode !== undefined && user.validateCode === code) || (fixture.fixedValidateCode !== null && fixture.fixedValidateCode === code);
}
