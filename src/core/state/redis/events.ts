import type { JournalEntry } from '../../journal.js';
import type { WorldChange } from '../../world.js';
import type { RedisConnection } from './connection.js';

export interface SharedEventHandlers {
  journal(entry: JournalEntry): void;
  journalCleared(): void;
  worldChanged(worldId: string, types: WorldChange['type'][]): void;
  sessionEnded(id: string): void;
}

/**
 * What the processes sharing a store tell each other, on one pub/sub channel: each request's journal
 * entry (so any dashboard shows them all), worlds that changed, sessions that ended. A process skips
 * what it sent itself.
 */
export async function listen(conn: RedisConnection, on: SharedEventHandlers): Promise<void> {
  conn.subscriber.on('message', (_channel: string, text: string) => {
    let message: { origin?: string; journal?: JournalEntry; journalCleared?: boolean; world?: string; changed?: WorldChange['type'][]; sessionEnded?: string };
    try {
      message = JSON.parse(text);
    } catch {
      return;
    }
    if (message.origin === conn.origin) return;
    if (message.journal) on.journal(message.journal);
    if (message.journalCleared) on.journalCleared();
    if (message.world && message.changed) on.worldChanged(message.world, message.changed);
    if (message.sessionEnded) on.sessionEnded(message.sessionEnded);
  });
  await conn.run(() => conn.subscriber.subscribe(conn.keys.events));
}
