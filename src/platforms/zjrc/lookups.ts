import type { KeyObject } from 'node:crypto';
import type { ZjrcApp, ZjrcFixture, ZjrcUser } from './fixture.js';
import { parsePrivateKey, parsePublicKey } from './rsa.js';

/**
 * Lookups and parsed keys over one fixture, built once per load (a fixture reload builds new ones),
 * so no request scans a list or parses a PEM.
 */
export interface ZjrcIndex {
  apps: ReadonlyMap<string, ZjrcApp>;
  users: ReadonlyMap<string, ZjrcUser>;
  appKeys: ReadonlyMap<string, KeyObject>;
  /** The platform's response-signing key; undefined when the fixtures give none (responses go unsigned). */
  platformKey: KeyObject | undefined;
}

export function indexZjrc(fixture: ZjrcFixture): ZjrcIndex {
  return {
    apps: new Map(fixture.apps.map((a) => [a.appId, a])),
    users: new Map(fixture.users.map((u) => [u.username, u])),
    appKeys: new Map(fixture.apps.map((a) => [a.appId, parsePublicKey(a.publicKey)])),
    platformKey: fixture.platformKeys ? parsePrivateKey(fixture.platformKeys.privateKey) : undefined,
  };
}
