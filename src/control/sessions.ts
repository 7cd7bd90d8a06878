import { unknownSessionError } from '../core/errors/control-error.js';
import type { ScenarioEngine } from '../core/scenarios/engine.js';
import type { Session, SessionRegistry } from '../core/sessions/registry.js';
import { changing } from './changing.js';
import type { InputOrigin, SessionRequest } from './types.js';

/** A session that exists (in any process of a shared sandbox), or the one unknown_session refusal. */
export async function existingSession(sessions: SessionRegistry, id: string): Promise<Session> {
  const session = await sessions.find(id);
  if (!session) throw unknownSessionError(id);
  return session;
}

/** Open a session (with its scenarios); one whose scenarios do not load is not left behind. */
export async function createSession(sessions: SessionRegistry, engine: ScenarioEngine, request: SessionRequest, origin: InputOrigin): Promise<Session> {
  // Scenarios are read and checked before the session exists, so one that does not load leaves nothing behind.
  const loaded = request.scenarios?.length
    ? engine.load(request.scenarios, { allowPaths: origin.allowPaths ?? false, label: origin.label ?? 'request body' })
    : undefined;
  const session = await sessions.create(request.id);
  try {
    await changing(session.world, async () => {
      if (loaded) await session.world.scenarios.use(loaded);
    });
    return session;
  } catch (e) {
    await sessions.delete(session.id);
    throw e;
  }
}

export async function endSession(sessions: SessionRegistry, id: string): Promise<void> {
  await existingSession(sessions, id);
  await sessions.delete(id);
}
