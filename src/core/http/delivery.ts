import type { ServerResponse } from 'node:http';
import type { Journal, JournalEntry } from '../journal.js';
import type { Logger } from '../log.js';
import type { Reply } from '../platform.js';
import { isPromise, type MaybePromise } from '../state/maybe-async.js';
import { send } from './send.js';

export interface DeliveryOptions {
  journal: Journal;
  logger: Logger;
  /** Holds an answer a fault rule delays (the sandbox releases them all when it stops). */
  hold: (ms: number, send: () => void) => void;
}

/** The last step of every exchange, matched or not: journal it, log it, write the answer. */
export type Deliver = (res: ServerResponse, entry: Omit<JournalEntry, 'id'>, reply: Reply, ms: number) => MaybePromise<void>;

/**
 * Journal an exchange, then log it and write the answer. A journal shared by several processes first
 * has to take the entry (a promise); a local one keeps it at once, and the answer leaves in the same turn.
 */
export function createDelivery(opts: DeliveryOptions): Deliver {
  const { journal, logger, hold } = opts;
  return (res, entry, reply, ms) => {
    const answer = () => {
      if (logger.requestLines !== false)
        logger.request({
          session: entry.session,
          platform: entry.platform,
          endpoint: entry.endpoint,
          apiMethod: entry.apiMethod,
          method: entry.method,
          path: entry.path,
          status: reply.status,
          ms,
          rule: reply.rule,
          note: entry.note,
          hint: entry.hint,
        });
      if (reply.delayMs) hold(reply.delayMs, () => send(res, reply));
      else send(res, reply);
    };
    // The answer stands (a token in it is already in the store); only its journal entry is lost.
    const notKept = (e: unknown) => logger.warn(`journal entry not kept: ${(e as Error).message}`);
    let recorded: MaybePromise<unknown>;
    try {
      recorded = journal.record(entry, reply.body.length + (entry.request.bodySize ?? 0) + (entry.request.rawQuery?.length ?? 0));
    } catch (e) {
      notKept(e);
    }
    if (isPromise(recorded)) return recorded.then(answer, (e: unknown) => (notKept(e), answer()));
    answer();
  };
}
