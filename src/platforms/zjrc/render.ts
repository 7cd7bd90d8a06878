import { jsonReply } from '../../core/http/reply.js';
import type { Reply } from '../../core/platform.js';
import { zjrcSignContent } from './signing.js';
import type { ResolvedError } from './errors.js';
import type { ZjrcFixture } from './fixture.js';
import type { ZjrcIndex } from './lookups.js';
import { rsaSign, type RsaSignType } from './rsa.js';

export type GatewayOutcome = { ok: true; bizContent: Record<string, unknown> } | { ok: false; error: ResolvedError };

/** The signed text options of this fixture, shared by request verification and response signing. */
export function signOptions(fixture: ZjrcFixture): { exclude: string[]; includeEmpty: boolean } {
  return { exclude: [fixture.fields.sign, ...fixture.signExclude], includeEmpty: fixture.signIncludeEmpty };
}

/**
 * The one place a gateway answer is shaped and signed:
 * success   {code,msg,bizCode,bizMsg,bizContent,sign}
 * business  {code,msg,bizCode,bizMsg,sign}        (code stays the success code)
 * gateway   {code,msg,sign}                       (no biz fields)
 * The signature covers the answer's fields as sent, the same way requests are signed.
 */
export function renderGateway(fixture: ZjrcFixture, index: ZjrcIndex, outcome: GatewayOutcome, signType: RsaSignType): Reply {
  const f = fixture.fields;
  const body: Record<string, unknown> = {};
  let status = 200;
  if (outcome.ok) {
    body[f.code] = fixture.successCode;
    body[f.msg] = fixture.successMsg;
    body[f.bizCode] = fixture.bizSuccessCode;
    body[f.bizMsg] = fixture.bizSuccessMsg;
    body[f.bizContent] = fixture.bizContentFormat === 'string' ? JSON.stringify(outcome.bizContent) : outcome.bizContent;
  } else if (outcome.error.layer === 'business') {
    body[f.code] = fixture.successCode;
    body[f.msg] = fixture.successMsg;
    body[f.bizCode] = outcome.error.code;
    body[f.bizMsg] = outcome.error.message;
    status = outcome.error.status;
  } else {
    body[f.code] = outcome.error.code;
    body[f.msg] = outcome.error.message;
    status = outcome.error.status;
  }
  const key = index.platformKey;
  if (key) body[f.sign] = rsaSign(zjrcSignContent(body, signOptions(fixture)), key, signType);
  return jsonReply(body, status);
}
