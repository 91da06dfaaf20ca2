import { sql } from 'kysely';
import type { Tx } from '../db/database';
import { DomainError } from '../domain/errors';
import type { Org } from '../domain/org';
import type { OrgSource } from '../domain/org/store';
import { openSession, type Session, type SessionDeps, type Via } from '../domain/tickets/session';
import type { OutboxPort } from '../protocol/outbound';
import type { MediaFetcher } from '../protocol/inbound';
import { announcer } from './announce';
import type { Outgoing } from './outgoing';
import type { Registry } from './registry';

/** What the chat layer needs of the process: a session's needs, the organisation, and where replies are queued. */
export interface InboundDeps extends SessionDeps {
  orgs: OrgSource;
  outbox: OutboxPort;
  /** Fetches the photos people send (absent: they are reported as not downloaded). */
  media?: MediaFetcher;
}

/** What the handlers of one process share. */
export interface ChatDeps extends InboundDeps {
  registry: Registry;
}

/** The session of one person acting through one message or tap; its notices go into that message's outgoing batch. */
export function sessionOf(deps: ChatDeps, tx: Tx, org: Org, userId: string, via: Via, out: Outgoing): Session {
  return openSession(deps, tx, org, userId, via, announcer(out));
}

/**
 * Runs one step so that a refusal leaves nothing behind: no half-written rows (a savepoint) and no messages
 * (the outgoing batch is rewound). Refusals come back as values; anything else is a bug and propagates, so the
 * transport rolls back the whole message, retries, and apologises in the end.
 */
export async function attempt<T>(tx: Tx, out: Outgoing, step: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: DomainError }> {
  await sql`SAVEPOINT step`.execute(tx);
  const mark = out.mark();
  try {
    const value = await step();
    await sql`RELEASE SAVEPOINT step`.execute(tx);
    return { ok: true, value };
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    await sql`ROLLBACK TO SAVEPOINT step`.execute(tx);
    out.discardSince(mark);
    return { ok: false, error };
  }
}
