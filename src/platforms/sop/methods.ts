import type { TokenRecord } from '../../core/state/token-record.js';
import type { World } from '../../core/world.js';
import type { Locale } from './errors.js';
import type { SopApp, SopFixture } from './fixture.js';
import { successNode } from './render.js';
import { openAuthTokenApp } from './token-app.js';

/** What a gateway method sees once every common check of §3.2 has passed. */
export interface MethodCall {
  world: World;
  fixture: SopFixture;
  app: SopApp;
  params: Record<string, string>;
  locale: Locale;
  /** The live app_auth_token record, for methods that need one. */
  token?: TokenRecord;
}

export interface GatewayMethod {
  name: string;
  version: string;
  needsToken: boolean;
  /** The response node without request_id (the gateway appends it). */
  handle(call: MethodCall): Record<string, unknown> | Promise<Record<string, unknown>>;
}

const BUILTIN: readonly GatewayMethod[] = [openAuthTokenApp];

const methodIndex = new WeakMap<SopFixture, Map<string, GatewayMethod>>();

const keyOf = (name: string, version: string) => `${name}\u0000${version}`;

/** Built-in methods plus the fixture's own (§3.4); a fixture cannot shadow a built-in method. */
export function findMethod(fixture: SopFixture, name: string, version: string): GatewayMethod | undefined {
  let index = methodIndex.get(fixture);
  if (!index) {
    index = new Map();
    for (const m of fixture.methods) {
      const response = m.response;
      index.set(keyOf(m.name, m.version), { name: m.name, version: m.version, needsToken: m.needsToken, handle: () => successNode(response) });
    }
    for (const m of BUILTIN) index.set(keyOf(m.name, m.version), m);
    methodIndex.set(fixture, index);
  }
  return index.get(keyOf(name, version));
}
