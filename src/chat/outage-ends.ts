import type { Db } from '../db/database';
import { DomainError } from '../domain/errors';
import { powerBackDue } from '../domain/tickets/flow';
import { BOT, openSession } from '../domain/tickets/session';
import { announcer } from './announce';
import type { InboundDeps } from './context';
import { Outgoing } from './outgoing';

/** What ending notices at their restore time needs: a session's needs, the organisation, the outbox and the database. */
export interface OutageEndDeps extends InboundDeps {
  db: Db;
}

/** Ends the notices whose expected restore time has passed, as the bot, telling everyone a hand-made end would. */
export interface OutageEnds {
  endDue(): Promise<void>;
  /** For event sources that cannot wait (clock listeners): failures are logged, the next run retries. */
  endSoon(): void;
}

export function createOutageEnds(deps: OutageEndDeps): OutageEnds {
  const endDue = () =>
    deps.db.transaction().execute(async (tx) => {
      const org = await deps.orgs.current(tx).catch((error: unknown) => {
        if (error instanceof DomainError) return null;
        throw error;
      });
      if (!org) return;
      const out = new Outgoing();
      const session = openSession(deps, tx, org, BOT.userId, { channel: 'system', ref: null, chatId: null }, announcer(out));
      const ended = await powerBackDue({ ...session, actor: BOT });
      if (ended.length > 0) deps.logger.info({ outages: ended.map((o) => o.no) }, 'outages ended at their restore time');
      await out.flush(tx, deps.outbox);
    });
  return {
    endDue,
    endSoon: () => void endDue().catch((error: unknown) => deps.logger.error({ err: error }, 'ending outages at their restore time failed')),
  };
}
