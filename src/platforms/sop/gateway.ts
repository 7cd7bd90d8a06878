import { rsaVerify } from '../../core/crypto.js';
import type { EndpointContext, Reply } from '../../core/platform.js';
import { checkTimestampWindow, unreadableTimestampNote } from '../../core/time/timestamp-window.js';
import { localeOf, refuse, refuseWithNote, type SopEndpoint } from './errors.js';
import type { SopApp, SopFixture } from './fixture.js';
import { SOP } from './id.js';
import { methodKey, type SopIndex } from './lookups.js';
import type { TokenRecord } from '../../core/state/token-record.js';
import type { GatewayMethod } from './methods.js';
import { answerKeyFor, gatewayReply, responseKey, withRequestId } from './render.js';
import { isSopSignType, parseSopTimestamp, SOP_HASH, sopSignContent } from './signing.js';
import { journalGatewayParams, readGatewayParams } from './request.js';

type Ctx = EndpointContext<SopFixture, SopIndex>;
type Params = Record<string, string>;

const blank = (v: string | undefined): boolean => v === undefined || v.trim() === '';

/** The gateway's checks (docs/platforms/sop.md#gateway-checks), in their order: the first failing row answers. */
interface Checked {
  app: SopApp;
  method: GatewayMethod;
  token?: TokenRecord;
}

async function check(p: Params, ctx: Ctx): Promise<Checked> {
  const { fixture, index } = ctx;
  if (blank(p.method)) {
    const unread = ctx.request.form?.error;
    throw refuseWithNote(
      'isv.missing-method',
      unread === undefined ? undefined : `the multipart/form-data body could not be read (${unread}), so it carried no params`,
    );
  }
  if (blank(p.version)) throw refuse('isv.missing-version');
  const method = index.methods.get(methodKey(p.method, p.version));
  if (!method) throw refuse('isv.invalid-method');
  if (blank(p.app_id)) throw refuse('isv.missing-app-id');
  const app = index.apps.get(p.app_id);
  if (!app) throw refuse('isv.invalid-app-id');
  if (app.disabled) throw refuse('isv.access-forbidden');
  if (blank(p.sign)) throw refuse('isv.missing-signature');
  const publicKey = index.appKeys.get(app.appId);
  if (!publicKey) throw refuse('isv.missing-signature-config');
  if (blank(p.sign_type)) throw refuse('isv.decryption-error-missing-encrypt-type');
  if (blank(p.charset)) throw refuse('isv.invalid-charset');
  if (!isSopSignType(p.sign_type)) throw refuse('isv.invalid-signature-type');
  if (!rsaVerify(sopSignContent(p), p.sign, publicKey, SOP_HASH[p.sign_type])) throw refuse('isv.invalid-signature');
  if (blank(p.timestamp)) throw refuse('isp.unknown-error');
  const sent = parseSopTimestamp(p.timestamp, fixture.utcOffsetMinutes);
  if (sent === undefined) throw refuseWithNote('isv.invalid-timestamp', unreadableTimestampNote(p.timestamp, 'yyyy-MM-dd HH:mm:ss'));
  // SOP refuses only a timestamp too old: one from the future passes.
  const window = checkTimestampWindow(sent, ctx.world.clock.now(), {
    toleranceSeconds: fixture.timestampToleranceSeconds,
    utcOffsetMinutes: fixture.utcOffsetMinutes,
    pastOnly: true,
  });
  if (!window.ok) throw refuseWithNote('isv.invalid-timestamp', window.note);
  if (p.format !== undefined && p.format !== '' && !/^(json|xml)$/i.test(p.format)) throw refuse('isv.invalid-format');
  checkUploadedFiles(p, ctx);
  if (!method.needsToken) return { app, method };
  if (blank(p.app_auth_token)) throw refuse('aop.invalid-app-auth-token');
  const access = await ctx.world.tokens.checkAccess(SOP, p.app_auth_token);
  if (!access.ok) throw refuse(access.reason === 'expired' || access.reason === 'grace_expired' ? 'aop.app-auth-token-time-out' : 'aop.invalid-app-auth-token');
  if (access.value.appId !== app.appId) throw refuse('aop.invalid-app-auth-token');
  return { app, method, token: access.value };
}

/**
 * Each file part: no larger than the gateway's limit, and, when a field of the same name carries an MD5, of
 * that MD5 (lower-case hex, compared exactly, as the gateway compares it).
 */
function checkUploadedFiles(p: Params, ctx: Ctx): void {
  for (const file of ctx.request.form?.files ?? []) {
    if (file.size > ctx.fixture.maxFileSizeBytes)
      throw refuseWithNote(
        'isv.invalid-file-size',
        `file part "${file.name}" is ${file.size} bytes; the limit is ${ctx.fixture.maxFileSizeBytes} (fixture maxFileSizeBytes)`,
      );
    const sent = Object.hasOwn(p, file.name) ? p[file.name] : undefined;
    if (sent !== undefined && sent !== file.md5)
      throw refuseWithNote('isv.upload-fail', `file part "${file.name}" has MD5 ${file.md5}, but the field "${file.name}" says ${sent}`);
  }
}

/** The gateway: every method, built-in or from fixtures, goes through the same checks and renderer. */
async function gateway(params: Params, ctx: Ctx): Promise<Reply> {
  const checked = await check(params, ctx);
  const node = await checked.method.handle({ ctx, app: checked.app, params, locale: localeOf(ctx.request.headers['accept-language']), token: checked.token });
  return gatewayReply(
    answerKeyFor(ctx.index, params.app_id),
    responseKey(params.method),
    withRequestId(node, ctx.world.random.hex(16), ctx.fixture.requestIdPosition),
    params.sign_type === 'RSA' ? 'RSA' : 'RSA2',
  );
}

const PATHS = ['/', '/api', '/gateway.do'];

/** `/` is SOP's entry; `/api` is harmless and `/gateway.do` is Alipay's path, for clients configured with it. */
export const gatewayEndpoints: SopEndpoint<Params>[] = PATHS.flatMap((path) =>
  ['GET', 'POST'].map((method): SopEndpoint<Params> => ({
    method,
    path,
    name: 'gateway',
    surface: 'gateway',
    tags: ['signed'],
    parse: (req, ctx) => readGatewayParams(req, ctx.fixture.strictSopTransport),
    journal: (params, ctx) => journalGatewayParams(params, ctx.request),
    handle: gateway,
  })),
);
