import type { Db } from '../db/database';
import { lapseOffers } from '../domain/tickets/inquiry';
import { BOT, openSession } from '../domain/tickets/session';
import { announcer } from './announce';
import type { InboundDeps } from './context';
import { Outgoing } from './outgoing';

export interface InquiryLapses {
  /** Closes the candidate offers whose window passed; an inquiry nobody picked for goes to the desk. */
  lapse(): Promise<number>;
}

/** The bot acting on its own, in one transaction with the desk's notices, so two processes hand an inquiry over once. */
export function inquiryLapses(deps: InboundDeps & { db: Db }): InquiryLapses {
  return {
    lapse: () =>
      deps.db.transaction().execute(async (tx) => {
        const out = new Outgoing();
        const org = await deps.orgs.current(tx);
        const session = openSession(deps, tx, org, BOT.userId, { channel: 'system', ref: null, chatId: null }, announcer(out));
        const handed = await lapseOffers(session);
        await out.flush(tx, deps.outbox);
        return handed;
      }),
  };
}
