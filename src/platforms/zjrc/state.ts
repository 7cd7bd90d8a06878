import { md5Hex } from '../../core/crypto.js';

/** Per-world data: the newest refresh token of each (app, openId), for the older refresh method. */
export interface ZjrcState {
  currentRefresh: Record<string, string>;
}

export const initialZjrcState = (): ZjrcState => ({ currentRefresh: {} });

export const refreshKey = (appId: string, openId: string): string => `${appId} ${openId}`;

/** openId is stable per (app, user) and differs between apps, without any stored mapping. */
export function openIdOf(appId: string, username: string): string {
  return md5Hex(`zjrc-openid\u0000${appId}\u0000${username}`);
}
