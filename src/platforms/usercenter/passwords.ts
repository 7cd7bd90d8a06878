import { md5Hex, sha1Hex } from '../../core/crypto.js';

/** The `md5password` a UserCenter client sends: md5 hex (lower case) of the clear password. */
export const usercenterMd5Password = (password: string): string => md5Hex(password);

/** The `shapassword` a UserCenter client sends: sha1 hex (lower case) of the clear password. */
export const usercenterShaPassword = (password: string): string => sha1Hex(password);
