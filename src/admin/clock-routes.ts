import type { Router } from 'express';
import { DURATION_HINT, parseDuration } from '../core/duration.js';
import type { World } from '../core/world.js';
import { isPlainObject } from '../core/validation.js';
import { adminError } from './errors.js';

export function clockView(world: World) {
  const now = world.clock.now();
  return { now: new Date(now).toISOString(), epochMs: now, rate: world.clock.rate, offsetMs: world.clock.offsetMs() };
}

/**
 * GET shows the sandbox time; POST moves it: {"advance":"1h"}, {"set":"2026-01-01T00:00:00Z"},
 * {"rate":60} (60× real speed, 0 freezes), {"reset":true} (back to host time).
 */
export function mountClockRoutes(router: Router, worldOf: (req: import('express').Request) => World): void {
  router.get('/clock', (req, res) => {
    res.json(clockView(worldOf(req)));
  });
  router.post('/clock', async (req, res) => {
    const world = worldOf(req);
    const body: unknown = req.body;
    if (!isPlainObject(body) || !['advance', 'set', 'rate', 'reset'].some((k) => k in body)) {
      return adminError(res, 400, 'invalid_request', `Send a JSON object with one of "advance" (${DURATION_HINT}), "set" (an ISO-8601 time or epoch milliseconds), "rate" (a number ≥ 0) or "reset": true.`);
    }
    const unknown = Object.keys(body).filter((k) => !['advance', 'set', 'rate', 'reset'].includes(k));
    if (unknown.length) return adminError(res, 400, 'invalid_request', `Unknown field(s) ${unknown.join(', ')}: use advance, set, rate or reset.`);
    // Check every field before touching the clock, so a bad request changes nothing.
    let setAt: number | undefined;
    if (body.set !== undefined) {
      setAt = typeof body.set === 'number' ? body.set : typeof body.set === 'string' ? Date.parse(body.set) : NaN;
      if (!Number.isFinite(setAt)) return adminError(res, 400, 'invalid_request', `"set" must be an ISO-8601 time such as "2026-01-01T08:00:00+08:00" or epoch milliseconds, got ${JSON.stringify(body.set)}.`);
    }
    let advanceMs: number | undefined;
    if (body.advance !== undefined) {
      advanceMs = typeof body.advance === 'string' || typeof body.advance === 'number' ? parseDuration(body.advance) : undefined;
      if (advanceMs === undefined) return adminError(res, 400, 'invalid_request', `"advance" must be ${DURATION_HINT}, got ${JSON.stringify(body.advance)}.`);
    }
    if (body.rate !== undefined && (typeof body.rate !== 'number' || !(body.rate >= 0) || !Number.isFinite(body.rate))) {
      return adminError(res, 400, 'invalid_request', `"rate" must be a number ≥ 0 (1 = real time, 60 = a minute per second, 0 = frozen), got ${JSON.stringify(body.rate)}.`);
    }
    world.clock.apply({ reset: body.reset === true, rate: body.rate as number | undefined, set: setAt, advance: advanceMs });
    world.store.onChangeNotify();
    await world.persist();
    res.json(clockView(world));
  });
}
