import { md5Hex, sha1Hex } from '../../core/crypto.js';
import type { SignedRequest, SigningFace } from '../../core/platform.js';
import { pickEntry } from '../../core/signing/sign-input.js';
import type { UserCenterFixture } from './fixture.js';

/** The `md5password` a UserCenter client sends: md5 hex (lower case) of the clear password. */
export const usercenterMd5Password = (password: string): string => md5Hex(password);

/** The `shapassword` a UserCenter client sends: sha1 hex (lower case) of the clear password. */
export const usercenterShaPassword = (password: string): string => sha1Hex(password);

/** `sandbox sign usercenter password`: both password hashes, and a login request for a fixture user. */
export const usercenterSigning: SigningFace<UserCenterFixture> = {
  actions: ['password'],
  defaultAction: 'password',
  options: {
    password: 'usercenter: the clear password',
    user: 'usercenter: a fixture user (its password, and a curl login for it)',
  },
  sign(fx, action, input): SignedRequest {
    if (action !== 'password') throw new Error(`usercenter signs: password (md5password and shapassword); got "${action}"`);
    const username = input.user as string | undefined;
    const user = username === undefined ? undefined : fx.users.find((u) => [u.userCode, u.userName, u.mobile, u.email].includes(username));
    if (username !== undefined && !user && input.password === undefined)
      throw new Error(`no usercenter user "${username}" in the fixtures; there are: ${fx.users.map((u) => u.userCode).join(', ')} (or give --password)`);
    const password = (input.password as string | undefined) ?? user?.password;
    if (password === undefined) throw new Error('--password (the clear password) or --user (a fixture user, whose password is used) is required');
    const values = { md5password: usercenterMd5Password(password), shapassword: usercenterShaPassword(password) };
    if (username === undefined) return { about: 'usercenter password hashes', values };
    const client = pickEntry(fx.clients, input.app, (c) => c.clientId, 'usercenter client');
    return {
      about: `usercenter user ${username}, client ${client.clientId} (sysid ${client.sysid})`,
      values,
      request: { method: 'POST', path: '/oauth/token', json: { sysid: client.sysid, username, client_id: client.clientId, ...values, ...input.params } },
    };
  },
};
