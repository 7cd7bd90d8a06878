import type { KeyObject } from 'node:crypto';
import { parsePrivateKey, parsePublicKey } from '../../core/crypto.js';
import type { SopApp, SopFixture, SopUser } from './fixture.js';
import { indexMethods, type GatewayMethod } from './methods.js';

/**
 * Lookups over one fixture, built once per load: a request never scans the app list or parses a key
 * (parsing an RSA key costs more than verifying a signature with it).
 */
export interface SopIndex {
  apps: ReadonlyMap<string, SopApp>;
  users: ReadonlyMap<string, SopUser>;
  /** Each app's public key; absent when the fixture gives none (row 8 of the gateway checks). */
  appKeys: ReadonlyMap<string, KeyObject>;
  /** The platform private key answers are signed with; undefined when the fixture has none. */
  platformKey: KeyObject | undefined;
  /** Built-in methods plus the fixture's own, by name and version. */
  methods: ReadonlyMap<string, GatewayMethod>;
}

export function indexSop(fixture: SopFixture): SopIndex {
  const appKeys = new Map<string, KeyObject>();
  for (const app of fixture.apps) if (app.publicKey && !appKeys.has(app.appId)) appKeys.set(app.appId, parsePublicKey(app.publicKey));
  const users = new Map<string, SopUser>();
  for (const u of fixture.users) if (!users.has(u.username)) users.set(u.username, u);
  return {
    apps: new Map(fixture.apps.map((a) => [a.appId, a])),
    users,
    appKeys,
    platformKey: fixture.platformKeys ? parsePrivateKey(fixture.platformKeys.privateKey) : undefined,
    methods: indexMethods(fixture),
  };
}

export const methodKey = (name: string, version: string): string => `${name}\u0000${version}`;
