import type { AppContext } from '../../app';
import type { Tx } from '../../db/database';

/**
 * What the SLA clocks hear of a ticket: every event of the one transition function, in its transaction.
 * Clocks start on the event that opens a time limit and stop on the event it awaits.
 */
export interface TicketEventNotice {
  ticketId: number;
  ticketNo: string;
  kind: 'repair' | 'complaint' | 'report' | 'suggestion' | 'praise' | 'inquiry' | 'query';
  /** urban / rural / remote, where the owning area is known (arrival limits depend on it). */
  areaClass: 'urban' | 'rural' | 'remote' | null;
  /** The unit or department that owns the ticket after this event. */
  unitId: string | null;
  /** The event type as written to the ticket's event log, e.g. received, dispatched, accepted, arrived, returned, completed. */
  event: string;
  at: Date;
}

export async function handleTicketEvent(_tx: Tx, _ctx: AppContext, _event: TicketEventNotice): Promise<void> {}
