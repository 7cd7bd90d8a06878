import { defineCatalogue, refusals, type ProtocolError } from '../../../src/core/errors/protocol-error.js';
import type { RenderContext, Reply } from '../../../src/core/platform.js';
import type { AcmeFixture } from './fixture.js';

export const ACME_ERRORS = defineCatalogue({
  bad_client: { code: 'E1', why: 'unknown client {detail}' },
  bad_secret: { code: 'E2', why: 'wrong secret' },
  bad_token: { code: 'E3', why: 'token not valid' },
  body_too_large: { code: 'E8', why: 'too large' },
  unreadable_body: { code: 'E9', why: 'unreadable' },
  service_unavailable: { code: 'E0', why: 'try again' },
});

/** Acme's refusals, typed by its catalogue: a misspelt kind does not compile. */
export const { refuse } = refusals(ACME_ERRORS);

/** Acme answers every refusal with HTTP 418 and its own shape. */
export function renderAcmeError(error: ProtocolError, ctx: RenderContext<AcmeFixture, unknown>): Reply {
  const e = ACME_ERRORS.resolve(error.kind, ctx.fixture.errors, error.vars);
  const body = { ok: false, err: e.code, why: e.why };
  return { status: 418, contentType: 'application/json', body: JSON.stringify(body), data: body };
}
