import { sql } from 'kysely';
import type { WorkCalendar } from '../../calendar/calendar';
import type { Tx } from '../../db/database';
import { withLimit, type ClockDeps } from './clocks';
import { schedule, workingHours } from './deadlines';
import { toPolicy } from './policies';

/** Rows per UPDATE … FROM (VALUES …): well inside PostgreSQL's 65 535 parameters. */
const CHUNK = 2_000;

/**
 * Moves every running working-day deadline to where `calendar` puts it: a confirmed holiday notice replaces the
 * provisional dates deadlines were computed on. The clock keeps its start and its limit; its due time, its unfired
 * steps, and the deadlines a ticket or a joint part shows are recomputed. Steps already fired stay as they went out.
 * Runs in the transaction that changes the calendar, with that calendar, so no deadline is seen half moved; a few
 * statements for all the clocks, so the transaction stays short (bench/calendar-confirm.ts).
 * Returns how many clocks moved.
 */
export async function recomputeWorkingDayClocks(tx: Tx, deps: Pick<ClockDeps, 'config'> & { calendar: WorkCalendar }): Promise<number> {
  const clocks = await tx
    .selectFrom('sla_clocks as c')
    .innerJoin('sla_policies as p', 'p.id', 'c.policy_id')
    .selectAll('p')
    .select(['c.id as clock_id', 'c.ticket_id', 'c.part_of', 'c.started_at', 'c.due_at', 'c.limit_amount as clock_amount', 'c.limit_unit as clock_unit'])
    .where('c.stopped_at', 'is', null)
    .where('c.limit_unit', '=', 'working_days')
    .execute();
  const hours = workingHours(deps.config);
  const moved = clocks.flatMap((clock) => {
    const timing = withLimit(toPolicy(clock), { amount: clock.clock_amount, unit: clock.clock_unit });
    const plan = schedule(deps.calendar, hours, timing, clock.started_at);
    return plan.dueAt.getTime() === clock.due_at.getTime() ? [] : [{ clock, plan }];
  });
  for (let i = 0; i < moved.length; i += CHUNK) {
    const chunk = moved.slice(i, i + CHUNK);
    const dues = sql.join(chunk.map(({ clock, plan }) => sql`(${clock.clock_id}::bigint, ${plan.dueAt}::timestamptz, ${clock.due_at}::timestamptz, ${clock.ticket_id}::bigint, ${clock.part_of}::text)`));
    await sql`UPDATE sla_clocks c SET due_at = v.due FROM (VALUES ${dues}) AS v(id, due, was, ticket, part) WHERE c.id = v.id`.execute(tx);
    // The deadline a ticket or a helper's part states is the one its clock set.
    await sql`UPDATE tickets t SET handling_due_at = v.due FROM (VALUES ${dues}) AS v(id, due, was, ticket, part)
      WHERE v.part IS NULL AND t.id = v.ticket AND t.handling_due_at = v.was`.execute(tx);
    await sql`UPDATE ticket_parts p SET due_at = v.due FROM (VALUES ${dues}) AS v(id, due, was, ticket, part)
      WHERE p.ticket_id = v.ticket AND p.unit_id = v.part AND p.due_at = v.was`.execute(tx);
    const steps = sql.join(
      chunk.flatMap(({ clock, plan }) => plan.steps.map((step) => sql`(${clock.clock_id}::bigint, ${step.step}::text, ${step.fireAt}::timestamptz)`)),
    );
    await sql`UPDATE sla_timers t SET fire_at = v.fire FROM (VALUES ${steps}) AS v(clock, step, fire)
      WHERE t.clock_id = v.clock AND t.step = v.step AND t.fired_at IS NULL`.execute(tx);
  }
  return moved.length;
}
