import type { KeyObject } from 'node:crypto';
import { parsePrivateKey, parsePublicKey } from '../../core/crypto.js';
import type { World } from '../../core/world.js';
import type { SopApp, SopFixture, SopPlatformKeys } from './fixture.js';

export const SOP = 'sop';

export function fixtureOf(world: World): SopFixture {
  return world.fixture<SopFixture>(SOP);
}

// Everything derived from a fixture is computed once per fixture object: a request never scans the
// app list or parses a key (parsing an RSA key costs more than verifying a signature with it).
const appIndex = new WeakMap<SopFixture, Map<string, SopApp>>();
const appKeys = new WeakMap<SopApp, KeyObject | null>();
const platformKeys = new WeakMap<SopPlatformKeys, KeyObject>();

export function findApp(fixture: SopFixture, appId: string): SopApp | undefined {
  let index = appIndex.get(fixture);
  if (!index) appIndex.set(fixture, (index = new Map(fixture.apps.map((a) => [a.appId, a]))));
  return index.get(appId);
}

/** The app's public key, or undefined when the fixture gives none (row 8 of the gateway checks). */
export function appPublicKey(app: SopApp): KeyObject | undefined {
  let key = appKeys.get(app);
  if (key === undefined) appKeys.set(app, (key = app.publicKey ? parsePublicKey(app.publicKey) : null));
  return key ?? undefined;
}

/** The platform private key responses are signed with; undefined when the fixture has none. */
export function platformPrivateKey(fixture: SopFixture): KeyObject | undefined {
  const keys = fixture.platformKeys;
  if (!keys) return undefined;
  let key = platformKeys.get(keys);
  if (!key) platformKeys.set(keys, (key = parsePrivateKey(keys.privateKey)));
  return key;
}
