import type { WorkCalendar } from '../../calendar/calendar';
import type { Executor } from '../../db/database';

/** A time limit still running on a ticket: what is awaited, from whom, by when, and how late it is now. */
export interface RunningClock {
  policy: string;
  awaited: string;
  since: string;
  /** The unit that owes the event; null: the desk. */
  unitId: string | null;
  startedAt: Date;
  dueAt: Date;
  /** Milliseconds past the deadline now; 0 while it is still ahead. */
  lateMs: number;
  /** The deadline counts working days of a year whose holidays are not confirmed yet (待确认). */
  provisional: boolean;
}

/** The ticket's running clocks, soonest due first: for /查单 and the ticket timeline of the admin API. */
export async function runningClocks(db: Executor, calendar: WorkCalendar, ticketId: number, now: Date): Promise<RunningClock[]> {
  const rows = await db
    .selectFrom('sla_clocks as c')
    .innerJoin('sla_policies as p', 'p.id', 'c.policy_id')
    .select(['p.code', 'p.awaited_text', 'p.since_text', 'c.unit_id', 'c.started_at', 'c.due_at', 'c.limit_unit'])
    .where('c.ticket_id', '=', ticketId)
    .where('c.stopped_at', 'is', null)
    .orderBy('c.due_at')
    .execute();
  return rows.map((row) => ({
    policy: row.code,
    awaited: row.awaited_text,
    since: row.since_text,
    unitId: row.unit_id,
    startedAt: row.started_at,
    dueAt: row.due_at,
    lateMs: Math.max(0, now.getTime() - row.due_at.getTime()),
    provisional: row.limit_unit === 'working_days' && calendar.isProvisional(row.due_at),
  }));
}
