import type { KeyObject } from 'node:crypto';
import { md5Hex } from '../../core/crypto.js';
import type { World } from '../../core/world.js';
import { resolveError, type ResolvedError, type ZjrcErrorKind } from './errors.js';
import type { ZjrcApp, ZjrcFixture, ZjrcUser } from './fixture.js';
import { parsePrivateKey, parsePublicKey } from './rsa.js';

export const ZJRC = 'zjrc';

/** Per-world data: the newest refresh token of each (app, openId), for the older refresh method. */
export interface ZjrcState {
  currentRefresh: Record<string, string>;
}

export const initialZjrcState = (): ZjrcState => ({ currentRefresh: {} });

export const refreshKey = (appId: string, openId: string): string => `${appId} ${openId}`;

export function fixtureOf(world: World): ZjrcFixture {
  return world.fixture<ZjrcFixture>(ZJRC);
}

// Lookups and parsed keys are built once per fixture object (a fixture reload makes new objects),
// so no request scans a list or parses a PEM.
const appIndex = new WeakMap<ZjrcFixture, Map<string, ZjrcApp>>();
const userIndex = new WeakMap<ZjrcFixture, Map<string, ZjrcUser>>();
const appKeys = new WeakMap<ZjrcApp, KeyObject>();
const platformKeys = new WeakMap<object, KeyObject>();

export function findApp(fixture: ZjrcFixture, appId: string): ZjrcApp | undefined {
  let index = appIndex.get(fixture);
  if (!index) appIndex.set(fixture, (index = new Map(fixture.apps.map((a) => [a.appId, a]))));
  return index.get(appId);
}

export function findUser(fixture: ZjrcFixture, username: string): ZjrcUser | undefined {
  let index = userIndex.get(fixture);
  if (!index) userIndex.set(fixture, (index = new Map(fixture.users.map((u) => [u.username, u]))));
  return index.get(username);
}

export function appPublicKey(app: ZjrcApp): KeyObject {
  let key = appKeys.get(app);
  if (!key) appKeys.set(app, (key = parsePublicKey(app.publicKey)));
  return key;
}

/** The platform's response-signing key; undefined when the fixtures give none (responses go unsigned). */
export function platformPrivateKey(fixture: ZjrcFixture): KeyObject | undefined {
  const pair = fixture.platformKeys;
  if (!pair) return undefined;
  let key = platformKeys.get(pair);
  if (!key) platformKeys.set(pair, (key = parsePrivateKey(pair.privateKey)));
  return key;
}

/** openId is stable per (app, user) and differs between apps, without any stored mapping. */
export function openIdOf(appId: string, username: string): string {
  return md5Hex(`zjrc-openid\u0000${appId}\u0000${username}`);
}

/** A failure on its way to being rendered in ZJRC's shape. */
export class ZjrcFailure {
  constructor(readonly error: ResolvedError) {}
}

export function fail(fixture: ZjrcFixture, kind: ZjrcErrorKind, detail?: string, encoding?: string): ZjrcFailure {
  return new ZjrcFailure(resolveError(kind, fixture.errors, { detail, encoding }));
}
