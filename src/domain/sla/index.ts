import type { AppContext } from '../../app';
import type { Tx } from '../../db/database';
import type { AreaClass } from '../../db/schema';
import type { Kind } from '../tickets/machine';
import { startClocks, stopClocks } from './clocks';

export { deadlineFor, overdueNowByUnit, slaRecordByUnit, type UnitOverdue, type UnitRecord } from './overdue';

/**
 * What the SLA clocks hear of a ticket: every event of the one transition function, in its transaction.
 * Clocks start on the event that opens a time limit and stop on the event it awaits.
 */
export interface TicketEventNotice {
  ticketId: number;
  ticketNo: string;
  kind: Kind;
  /** urban / rural / remote, where the owning area is known (arrival limits depend on it). */
  areaClass: AreaClass | null;
  /** The unit or department that owns the ticket after this event. */
  unitId: string | null;
  /** The event type as written to the ticket's event log: created, dispatched, accepted, arrived, returned, … */
  event: string;
  at: Date;
}

/**
 * Stops the clocks the event ends, then starts those it opens (see the policy table, 042_sla_policies.sql).
 * Runs in the ticket's transaction, so a clock exists exactly when its event does.
 */
export async function handleTicketEvent(tx: Tx, ctx: AppContext, event: TicketEventNotice): Promise<void> {
  await stopClocks(tx, event);
  await startClocks(tx, ctx, event);
}
