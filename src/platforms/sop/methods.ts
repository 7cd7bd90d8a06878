import { refuse } from './errors.js';
import type { EndpointContext } from '../../core/platform.js';
import type { TokenRecord } from '../../core/state/token-record.js';
import type { Locale } from './errors.js';
import type { SopApp, SopFixture } from './fixture.js';
import { methodKey, type SopIndex } from './lookups.js';
import { successNode } from './render.js';
import { openAuthTokenApp } from './token-app.js';

/** What a gateway method sees once every common check of the gateway has passed. */
export interface MethodCall {
  ctx: EndpointContext<SopFixture, SopIndex>;
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
  /** The response node without request_id (the gateway adds it); refusals are thrown as ProtocolErrors. */
  handle(call: MethodCall): Record<string, unknown> | Promise<Record<string, unknown>>;
}

const BUILTIN: readonly GatewayMethod[] = [openAuthTokenApp];

/** Built-in methods plus the fixture's own (docs/platforms/sop.md#your-own-methods); a fixture cannot shadow a built-in method. */
export function indexMethods(fixture: SopFixture): Map<string, GatewayMethod> {
  const index = new Map<string, GatewayMethod>();
  for (const m of fixture.methods) {
    const response = m.response;
    const required = m.files.filter((f) => f.required);
    const handle = ({ ctx }: MethodCall) => {
      const sent = new Set((ctx.request.form?.files ?? []).map((f) => f.name));
      const missing = required.find((f) => !sent.has(f.name));
      // A service validates its own params (JSR-303 in SOP's services): 40004 isv.invalid-parameter with its message.
      if (missing)
        throw refuse('isv.invalid-parameter', undefined, missing.message ?? { zh: `${missing.name}不能为空`, en: `${missing.name} must not be empty` });
      return successNode(response);
    };
    index.set(methodKey(m.name, m.version), { name: m.name, version: m.version, needsToken: m.needsToken, handle });
  }
  for (const m of BUILTIN) index.set(methodKey(m.name, m.version), m);
  return index;
}
