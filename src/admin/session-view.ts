import { clockView } from '../control/views.js';
import type { Session } from '../core/sessions/registry.js';

/** A session as the control plane shows it: where a client reaches it, as this client reached the sandbox (`baseUrl`). */
export async function sessionView(session: Session, baseUrl: string) {
  const world = session.world;
  return {
    id: session.id,
    url: `${baseUrl}/s/${session.id}`,
    headers: { 'X-Sandbox-Session': session.id },
    createdAt: new Date(session.createdAt).toISOString(),
    scenarios: world.scenarios.view().active.map((a) => a.name),
    tokens: await world.tokens.count(),
    clock: clockView(world),
  };
}
