import { jsonReply } from '../../core/http/reply.js';
import { looksLikeForm, parseForm } from '../../core/http/params.js';
import type { PlatformRequest, Reply } from '../../core/platform.js';
import type { World } from '../../core/world.js';
import { mantunError, type MantunErrorKind } from './errors.js';
import type { MantunApp, MantunFixture } from './fixture.js';

export const MANTUN = 'mantun';

/** Lookups precomputed once per fixture object, so a request never scans the app list. */
const appIndex = new WeakMap<MantunFixture, Map<string, MantunApp>>();

export function findApp(fixture: MantunFixture, appKey: string): MantunApp | undefined {
  let index = appIndex.get(fixture);
  if (!index) appIndex.set(fixture, (index = new Map(fixture.apps.map((a) => [a.appKey, a]))));
  return index.get(appKey);
}

export function fixtureOf(world: World): MantunFixture {
  return world.fixture<MantunFixture>(MANTUN);
}

/** A failure already rendered in Mantun's shape. */
export class MantunFailure {
  constructor(readonly reply: Reply) {}
}

export function fail(world: World, kind: MantunErrorKind, detail?: string, stringSuccess = false): MantunFailure {
  return new MantunFailure(mantunError(kind, fixtureOf(world).errors, { detail, stringSuccess }));
}

export function callbackUrlError(world: World): Reply {
  const cb = fixtureOf(world).callbackError;
  const reply: Reply = { status: cb.status, contentType: cb.contentType, body: cb.body, data: cb.body };
  if (cb.location) reply.headers = { location: cb.location };
  return reply;
}

/** Query-string params overlaid by body params, as a servlet's getParameter sees them. */
function mergedParams(req: PlatformRequest, body: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = Object.assign(Object.create(null), req.query);
  for (const k in body) out[k] = body[k];
  return out;
}

/**
 * The three OAuth endpoints answer "OAuth callback url needs to be provided!" when the request is not
 * a form post, the body is not a query string, or redirect_uri is missing or empty (PROTOCOLS §1.4).
 */
export function readOAuthForm(req: PlatformRequest): Record<string, string> | Reply {
  if (req.contentType !== 'application/x-www-form-urlencoded') return callbackUrlError(req.world);
  const text = req.rawBody ? req.rawBody.toString('utf8') : '';
  if (!looksLikeForm(text)) return callbackUrlError(req.world);
  const params = mergedParams(req, parseForm(text));
  if (!params.redirect_uri) return callbackUrlError(req.world);
  return params;
}

/** router.as reads form params (and the query string); other bodies simply carry no params. */
export function readRouterForm(req: PlatformRequest): Record<string, string> {
  const text = req.contentType === 'application/x-www-form-urlencoded' && req.rawBody ? req.rawBody.toString('utf8') : '';
  return mergedParams(req, parseForm(text));
}

export function requireParams(world: World, params: Record<string, string>, names: readonly string[], stringSuccess = false): void {
  const missing = names.filter((n) => !params[n]);
  if (missing.length) throw fail(world, 'invalid_request', `missing parameter${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`, stringSuccess);
}

export function requireApp(world: World, appKey: string, stringSuccess = false): MantunApp {
  const app = findApp(fixtureOf(world), appKey);
  if (!app) throw fail(world, 'unknown_client', appKey, stringSuccess);
  return app;
}

/** Run a handler that throws MantunFailure for protocol errors; attach the parsed params for the journal. */
export async function guarded(params: Record<string, string> | undefined, run: () => Reply | Promise<Reply>): Promise<Reply> {
  let reply: Reply;
  try {
    reply = await run();
  } catch (e) {
    if (!(e instanceof MantunFailure)) throw e;
    reply = e.reply;
  }
  if (params) reply.params = params;
  return reply;
}

export function ok(data: unknown): Reply {
  return jsonReply({ success: true, code: '0', data });
}
