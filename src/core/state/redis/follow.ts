import type { World } from '../../world.js';
import type { SharedJournal } from './journal.js';
import type { SharedStore } from './store.js';

export interface Followers {
  journal: SharedJournal;
  /** The world of this id known to this process, if any (the default world or an open session's). */
  worldOf(id: string): World | undefined;
  sessionEnded(id: string): void;
}

/** What the other processes of a shared sandbox tell this one: their requests, changed worlds, ended sessions. */
export function followSharedStore(shared: SharedStore, to: Followers): Promise<void> {
  return shared.listen({
    journal: (entry) => to.journal.receive(entry),
    journalCleared: () => to.journal.clear(),
    worldChanged: (id, types) => {
      const world = to.worldOf(id);
      for (const type of types) world?.announceRemote(type);
    },
    sessionEnded: (id) => to.sessionEnded(id),
  });
}
