import { sql } from 'kysely';
import type { Config } from '../../config';
import type { Tx } from '../../db/database';
import type { AreaClass, ConnectionClass } from '../../db/schema';
import type { Logger } from '../../log';
import type { WorkCalendar } from '../../calendar/calendar';
import type { Kind } from '../tickets/machine';
import { after, schedule, workingHours } from './deadlines';
import { markOverdue } from './overdue';
import { policiesStartedBy, type SlaPolicy } from './policies';

/** What starting a clock needs: the working-day calendar, working hours, and a log for guesses it had to make. */
export interface ClockDeps {
  config: Pick<Config, 'WORKING_HOURS_START' | 'WORKING_HOURS_END' | 'WORKING_DAY_WARNING_AT'>;
  calendar: WorkCalendar;
  logger: Logger;
}

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
  /** A connection application's class (its plan and power-on limits depend on it); absent for other kinds. */
  connectionClass?: ConnectionClass | null;
  /** The unit or department that owns the ticket after this event. */
  unitId: string | null;
  /** The event type as written to the ticket's event log: created, dispatched, accepted, arrived, returned, … */
  event: string;
  /**
   * The helper unit whose part of a joint work order the event concerns (assist_assigned, assist_replied): the clocks
   * it starts time that part, owed by that unit, and among part clocks it stops only that unit's.
   */
  part?: string;
  at: Date;
  /** A limit set for this ticket (the desk's, on /转专业): replaces the policy's for the clocks this event starts. */
  limit?: TicketLimit;
  /**
   * The once-per-ticket clocks this event starts run from an earlier instant: a re-classified order keeps its first
   * hand-over. A deadline already passed then is the miss of `heldBy`, who held the order at the time (null: the desk).
   */
  since?: { at: Date; heldBy: string | null };
}

export interface TicketLimit {
  amount: number;
  unit: SlaPolicy['limitUnit'];
}

/**
 * The policy with a ticket's own limit in place of its figure. Escalation keeps the policy's cadence when the units
 * agree; otherwise (hours set against a working-day policy) it comes one limit apart.
 */
export function withLimit(policy: SlaPolicy, limit: TicketLimit | undefined): SlaPolicy {
  if (!limit) return policy;
  const escalateEvery = policy.escalateEvery === null ? null : policy.limitUnit === limit.unit ? policy.escalateEvery : limit.amount;
  return { ...policy, limitAmount: limit.amount, limitUnit: limit.unit, escalateEvery };
}

/**
 * Stops the clocks the event ends, then starts those it opens (see the policy table, 042_sla_policies.sql).
 * Runs in the ticket's transaction, so a clock exists exactly when its event does.
 */
export async function handleTicketEvent(tx: Tx, deps: ClockDeps, event: TicketEventNotice): Promise<void> {
  await stopClocks(tx, event);
  await startClocks(tx, deps, event);
}


/**
 * Stops the clocks this event ends: those awaiting it, those it cancels (see the policy table, limits.ts), and those
 * started by an earlier occurrence of the same event (a re-dispatch: the first unit's clocks stop, the new unit's start
 * afresh) unless the limit runs once per ticket, in which case the running clock passes to the new owner.
 * Unfired steps go; a clock stopped after its deadline marks the ticket 超时, in case no sweep has yet.
 */
export async function stopClocks(tx: Tx, event: TicketEventNotice): Promise<void> {
  const stopped = await tx
    .updateTable('sla_clocks')
    .set({ stopped_at: event.at, stop_event: event.event })
    .where('ticket_id', '=', event.ticketId)
    .where('stopped_at', 'is', null)
    .where((eb) => eb.or([eb('part_of', 'is', null), eb('part_of', '=', event.part ?? null)]))
    .where((eb) =>
      eb.or([
        eb('policy_id', 'in', eb.selectFrom('sla_policies').select('id').where(sql<boolean>`${event.event} = ANY(stop_events || cancel_events)`)),
        eb.and([
          eb('policy_id', 'in', eb.selectFrom('sla_policies').select('id').where('start_event', '=', event.event).where('once', '=', false)),
          eb('started_at', '<', event.at),
        ]),
      ]),
    )
    .returning(['id', 'due_at'])
    .execute();
  const restopped = event.event === 'returned' ? await returnAfterAccepting(tx, event) : [];
  await followHolder(tx, event);
  const ended = [...stopped, ...restopped];
  if (ended.length === 0) return;
  await tx
    .deleteFrom('sla_timers')
    .where('clock_id', 'in', ended.map((clock) => clock.id))
    .where('fired_at', 'is', null)
    .execute();
  const late = ended.filter((clock) => clock.due_at < event.at);
  if (late.length > 0) await markOverdue(tx, late.map((clock) => clock.id));
}

/**
 * Ends every running clock of a ticket without meeting it: a re-classified order starts over as its new kind. A clock
 * already past its deadline keeps the breach on the record.
 */
export async function stopAllClocks(tx: Tx, ticketId: number, at: Date, event: string): Promise<void> {
  const ended = await tx
    .updateTable('sla_clocks')
    .set({ stopped_at: at, stop_event: event })
    .where('ticket_id', '=', ticketId)
    .where('stopped_at', 'is', null)
    .returning(['id', 'due_at'])
    .execute();
  if (ended.length === 0) return;
  await tx.deleteFrom('sla_timers').where('clock_id', 'in', ended.map((c) => c.id)).where('fired_at', 'is', null).execute();
  const late = ended.filter((clock) => clock.due_at < at);
  if (late.length > 0) await markOverdue(tx, late.map((clock) => clock.id));
}

/** A ticket's running once-per-ticket clock (the handling limit of a work order): its start and its holder. */
export async function onceClock(tx: Tx, ticketId: number): Promise<{ started_at: Date; unit_id: string | null } | undefined> {
  return tx
    .selectFrom('sla_clocks as c')
    .innerJoin('sla_policies as p', 'p.id', 'c.policy_id')
    .select(['c.started_at', 'c.unit_id'])
    .where('c.ticket_id', '=', ticketId)
    .where('c.stopped_at', 'is', null)
    .where('c.part_of', 'is', null)
    .where('p.once', '=', true)
    .orderBy('c.started_at')
    .limit(1)
    .executeTakeFirst();
}

/**
 * Accepting an order confirms it is ours only until the unit returns it: a return after accepting is still timed by
 * the return limit (5 minutes, 1 working day) from the same dispatch, so the clock of the current dispatch that
 * accepting stopped is stopped again at the return, and a late return is a miss.
 */
async function returnAfterAccepting(tx: Tx, event: TicketEventNotice): Promise<{ id: number; due_at: Date }[]> {
  const { rows } = await sql<{ id: number; due_at: Date }>`
    UPDATE sla_clocks c SET stopped_at = ${event.at}, stop_event = 'returned'
    FROM sla_policies p
    WHERE p.id = c.policy_id AND c.ticket_id = ${event.ticketId} AND c.stop_event = 'accepted' AND 'returned' = ANY(p.stop_events)
      AND c.started_at = (SELECT max(started_at) FROM sla_clocks l WHERE l.ticket_id = c.ticket_id AND l.policy_id = c.policy_id)
    RETURNING c.id, c.due_at
  `.execute(tx);
  return rows;
}

/**
 * Who holds a work order after an event: the unit it is handed to (again) or sent back to for rework, or the desk once
 * the unit returned it or replied (the desk reviews, re-sends and answers the customer).
 */
const HOLDER_AFTER: Partial<Record<string, 'owner' | 'desk'>> = {
  dispatched: 'owner',
  sent_back: 'owner',
  returned: 'desk',
  completed: 'desk',
  approved: 'desk',
};

/**
 * A once-per-ticket clock owed by the owner follows whoever holds the ticket now (null: the desk), so the holder is the
 * one chased. A deadline already passed stays with whoever held the ticket when it passed: that is whose miss it is.
 */
async function followHolder(tx: Tx, event: TicketEventNotice): Promise<void> {
  const holder = HOLDER_AFTER[event.event];
  if (holder === undefined || event.part !== undefined || (holder === 'owner' && event.unitId === null)) return;
  await tx
    .updateTable('sla_clocks')
    .set({ unit_id: holder === 'desk' ? null : event.unitId })
    .where('ticket_id', '=', event.ticketId)
    .where('stopped_at', 'is', null)
    .where('part_of', 'is', null)
    .where('due_at', '>', event.at)
    .where('policy_id', 'in', (eb) => eb.selectFrom('sla_policies').select('id').where('once', '=', true).where('responsible', '=', 'owner'))
    .execute();
}

/** Starts the clocks this event opens, with their steps. Starting one again (same ticket, policy and start) is a no-op. */
export async function startClocks(tx: Tx, ctx: ClockDeps, event: TicketEventNotice): Promise<void> {
  const started = await onceStarted(tx, event.ticketId);
  const policies = forArea(forClass(await policiesStartedBy(tx, event.kind, event.event), event), event, ctx).filter((p) => !started.has(p.id));
  if (policies.length === 0) return;
  const hours = workingHours(ctx.config);
  const plans = policies.map((policy) => {
    const timing = withLimit(policy, event.limit);
    const since = policy.once && event.since ? event.since : undefined;
    const start = since?.at ?? event.at;
    const planned = schedule(ctx.calendar, hours, timing, start);
    // Re-timed from an earlier start: of the steps already due, only the latest is still to be said.
    const past = planned.steps.filter((step) => step.fireAt <= event.at);
    const steps = [...past.slice(-1), ...planned.steps.filter((step) => step.fireAt > event.at)];
    const late = since !== undefined && planned.dueAt <= event.at;
    return { policy, timing, start, dueAt: planned.dueAt, steps, unitId: late ? since.heldBy : (event.part ?? event.unitId) };
  });
  const clocks = await tx
    .insertInto('sla_clocks')
    .values(
      plans.map(({ policy, timing, start, dueAt, unitId }) => ({
        ticket_id: event.ticketId,
        policy_id: policy.id,
        limit_amount: timing.limitAmount,
        limit_unit: timing.limitUnit,
        unit_id: policy.responsible === 'desk' ? null : unitId,
        part_of: event.part ?? null,
        started_at: start,
        due_at: dueAt,
      })),
    )
    .onConflict((conflict) => conflict.doNothing())
    .returning(['id', 'policy_id'])
    .execute();
  const timers = clocks.flatMap((clock) =>
    plans
      .find((plan) => plan.policy.id === clock.policy_id)!
      .steps.map((step) => ({ clock_id: clock.id, step: step.step, fire_at: step.fireAt })),
  );
  if (timers.length > 0) await tx.insertInto('sla_timers').values(timers).execute();
}

/** The once-per-ticket limits this ticket has already started: they do not start again. */
async function onceStarted(tx: Tx, ticketId: number): Promise<Set<number>> {
  const rows = await tx
    .selectFrom('sla_clocks as c')
    .innerJoin('sla_policies as p', 'p.id', 'c.policy_id')
    .select('c.policy_id')
    .where('c.ticket_id', '=', ticketId)
    .where('p.once', '=', true)
    .execute();
  return new Set(rows.map((row) => row.policy_id));
}

/**
 * When the clocks this event would start expect `awaited`: the arrival deadline a dispatch card shows is the one the
 * clocks will chase, read from the same policies before the event is recorded.
 */
export async function deadlineOnStart(tx: Tx, ctx: ClockDeps, event: TicketEventNotice, awaited: string): Promise<Date | null> {
  const policies = forArea(forClass(await policiesStartedBy(tx, event.kind, event.event), event), event, ctx).filter((policy) =>
    policy.stopEvents.includes(awaited),
  );
  if (policies.length === 0) return null;
  return new Date(Math.min(...policies.map((policy) => dueFrom(ctx, policy, event.at))));
}

/** Policies for some application classes apply to tickets of those classes only (a residential plan in 3 days). */
function forClass(policies: SlaPolicy[], event: TicketEventNotice): SlaPolicy[] {
  return policies.filter((p) => p.classes === null || (event.connectionClass != null && p.classes.includes(event.connectionClass)));
}

/**
 * Policies that depend on the area class apply to tickets in that class. When the class is unknown the ticket is still
 * watched, by the most lenient of those policies, so nobody is chased early on a guess.
 */
function forArea(policies: SlaPolicy[], event: TicketEventNotice, ctx: ClockDeps): SlaPolicy[] {
  const general = policies.filter((p) => p.areaClass === null);
  const byArea = policies.filter((p) => p.areaClass !== null);
  if (event.areaClass !== null) return [...general, ...byArea.filter((p) => p.areaClass === event.areaClass)];
  if (byArea.length === 0) return general;
  // Policies awaiting the same events are alternatives by area (arrival in 45, 90 or 120 minutes): keep the latest due.
  const lenient = new Map<string, SlaPolicy>();
  for (const policy of byArea) {
    const key = [...policy.stopEvents].sort().join(',');
    const kept = lenient.get(key);
    if (!kept || dueFrom(ctx, policy, event.at) > dueFrom(ctx, kept, event.at)) lenient.set(key, policy);
  }
  const chosen = [...lenient.values()];
  ctx.logger.warn({ ticketNo: event.ticketNo, policies: chosen.map((p) => p.code) }, 'area class unknown: most lenient limit applies');
  return [...general, ...chosen];
}

function dueFrom(ctx: ClockDeps, policy: SlaPolicy, start: Date): number {
  return after(ctx.calendar, policy.limitUnit, start, policy.limitAmount).getTime();
}
