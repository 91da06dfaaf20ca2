import { sql } from 'kysely';
import type { Db, Executor, Tx } from '../../db/database';
import type { LimitId } from './limits';

// The 超时 mark on tickets, and the overdue figures the digest and the monthly assessment read.

/**
 * How every report judges a clock (`sla_clocks c` joined to its policy `p`): met when its awaited event came in time,
 * missed when its deadline passed before it stopped or before `now`. A clock ended otherwise in time is neither.
 */
export const clockMet = sql<boolean>`c.stopped_at <= c.due_at AND c.stop_event = ANY(p.stop_events)`;
export const clockMissed = (now: Date) => sql<boolean>`c.due_at < coalesce(c.stopped_at, ${now})`;

/** The ticket's 超时 mark (`tickets.overdue_at`): the first deadline it missed, whichever clock missed it. */
export async function markOverdue(tx: Tx, clockIds: number[]): Promise<void> {
  await sql`
    UPDATE tickets k SET overdue_at = missed.due_at
    FROM (SELECT ticket_id, min(due_at) AS due_at FROM sla_clocks WHERE id = ANY(${clockIds}) GROUP BY ticket_id) missed
    WHERE k.id = missed.ticket_id AND (k.overdue_at IS NULL OR k.overdue_at > missed.due_at)
  `.execute(tx);
}

/**
 * Marks tickets 超时 whose open deadlines have passed, at the deadline itself, whatever hour their nags wait for.
 * Tickets a transition holds right now are left for the next sweep (their transition may be the awaited event).
 */
export async function markMissed(db: Db, now: Date): Promise<void> {
  await sql`
    WITH missed AS (
      SELECT ticket_id, min(due_at) AS due_at FROM sla_clocks
      WHERE stopped_at IS NULL AND due_at <= ${now}
      GROUP BY ticket_id
    ), unmarked AS (
      SELECT k.id, missed.due_at FROM tickets k JOIN missed ON missed.ticket_id = k.id
      WHERE k.overdue_at IS NULL OR k.overdue_at > missed.due_at
      FOR UPDATE OF k SKIP LOCKED
    )
    UPDATE tickets k SET overdue_at = unmarked.due_at FROM unmarked WHERE k.id = unmarked.id
  `.execute(db);
}

/** Deadlines missed and still open, for one unit (null: the desk). */
export interface UnitOverdue {
  unitId: string | null;
  overdue: number;
  oldestDueAt: Date;
}

/** What is late right now, per unit: for the digest. (A ticket's own 超时 mark is `tickets.overdue_at`.) */
export async function overdueNowByUnit(db: Executor, now: Date): Promise<UnitOverdue[]> {
  const rows = await db
    .selectFrom('sla_clocks')
    .select(['unit_id', sql<number>`count(*)::int`.as('overdue'), sql<Date>`min(due_at)`.as('oldest')])
    .where('stopped_at', 'is', null)
    .where('due_at', '<=', now)
    .groupBy('unit_id')
    .orderBy('unit_id')
    .execute();
  return rows.map((row) => ({ unitId: row.unit_id, overdue: row.overdue, oldestDueAt: row.oldest }));
}

/** One unit's record against one policy (null unit: the desk). */
export interface UnitRecord {
  unitId: string | null;
  policyCode: string;
  /** The awaited event came in time. */
  met: number;
  /** It came late, or has not come and the deadline has passed. */
  missed: number;
  /** Not come yet, and the deadline is still ahead. */
  open: number;
  /** The limit of the regulation, where the record is not a policy row's (notice lead times). */
  limit?: LimitId;
}

/**
 * Deadlines falling in [from, to), met or missed, per unit and policy: for the monthly assessment. A clock keeps the
 * unit that owed the event, so a breach stays on that unit's record after the ticket was returned and re-dispatched.
 * Clocks ended otherwise before their deadline (ticket closed, superseded) count as neither.
 */
export async function slaRecordByUnit(db: Executor, period: { from: Date; to: Date; now: Date }): Promise<UnitRecord[]> {
  const rows = await db
    .selectFrom('sla_clocks as c')
    .innerJoin('sla_policies as p', 'p.id', 'c.policy_id')
    .select([
      'c.unit_id',
      'p.code',
      sql<number>`count(*) FILTER (WHERE ${clockMet})::int`.as('met'),
      sql<number>`count(*) FILTER (WHERE ${clockMissed(period.now)})::int`.as('missed'),
      sql<number>`count(*) FILTER (WHERE c.stopped_at IS NULL AND c.due_at >= ${period.now})::int`.as('open'),
    ])
    .where('c.due_at', '>=', period.from)
    .where('c.due_at', '<', period.to)
    .groupBy(['c.unit_id', 'p.code'])
    .orderBy('c.unit_id')
    .orderBy('p.code')
    .execute();
  return rows.map((row) => ({ unitId: row.unit_id, policyCode: row.code, met: row.met, missed: row.missed, open: row.open }));
}

/**
 * When the open clock awaiting `event` on a ticket is due (the arrival deadline on a dispatch card: `deadlineFor(tx,
 * id, 'arrived')` after the dispatch is recorded), or null when no running limit awaits it.
 */
export async function deadlineFor(db: Executor, ticketId: number, event: string): Promise<Date | null> {
  const row = await db
    .selectFrom('sla_clocks as c')
    .innerJoin('sla_policies as p', 'p.id', 'c.policy_id')
    .select((eb) => eb.fn.min('c.due_at').as('due'))
    .where('c.ticket_id', '=', ticketId)
    .where('c.stopped_at', 'is', null)
    .where(sql<boolean>`${event} = ANY(p.stop_events)`)
    .executeTakeFirst();
  return row?.due ?? null;
}

/**
 * How a nag's clocks stand at its turn to be sent: how many still run, and the tickets whose clocks have all stopped
 * since it was queued (met, or no longer owed), so the nag says so instead of chasing them.
 */
export async function nagProgress(db: Executor, clockIds: number[]): Promise<{ running: number; done: string[] }> {
  if (clockIds.length === 0) return { running: 0, done: [] };
  const rows = await db
    .selectFrom('sla_clocks as c')
    .innerJoin('tickets as t', 't.id', 'c.ticket_id')
    .select(['t.no', sql<boolean>`bool_and(c.stopped_at IS NOT NULL)`.as('stopped'), sql<number>`count(*) FILTER (WHERE c.stopped_at IS NULL)::int`.as('running')])
    .where('c.id', 'in', clockIds)
    .groupBy('t.no')
    .orderBy('t.no')
    .execute();
  return { running: rows.reduce((sum, row) => sum + row.running, 0), done: rows.filter((row) => row.stopped).map((row) => row.no) };
}
