import type { WorkCalendar } from '../../calendar/calendar';
import type { Tx } from '../../db/database';
import { withLimit, type ClockDeps } from './clocks';
import { schedule, workingHours } from './deadlines';
import { toPolicy } from './policies';

/**
 * Moves every running working-day deadline to where `calendar` puts it: a confirmed holiday notice replaces the
 * provisional dates deadlines were computed on. The clock keeps its start and its limit; its due time, its unfired
 * steps, and the deadlines a ticket or a joint part shows are recomputed. Steps already fired stay as they went out.
 * Runs in the transaction that changes the calendar, with that calendar, so no deadline is seen half moved.
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
  let moved = 0;
  for (const clock of clocks) {
    const timing = withLimit(toPolicy(clock), { amount: clock.clock_amount, unit: clock.clock_unit });
    const plan = schedule(deps.calendar, hours, timing, clock.started_at);
    if (plan.dueAt.getTime() === clock.due_at.getTime()) continue;
    moved++;
    await tx.updateTable('sla_clocks').set({ due_at: plan.dueAt }).where('id', '=', clock.clock_id).execute();
    for (const step of plan.steps) {
      await tx
        .updateTable('sla_timers')
        .set({ fire_at: step.fireAt })
        .where('clock_id', '=', clock.clock_id)
        .where('step', '=', step.step)
        .where('fired_at', 'is', null)
        .execute();
    }
    // The deadline a ticket or a helper's part states is the one its clock set.
    if (clock.part_of === null) {
      await tx
        .updateTable('tickets')
        .set({ handling_due_at: plan.dueAt })
        .where('id', '=', clock.ticket_id)
        .where('handling_due_at', '=', clock.due_at)
        .execute();
    } else {
      await tx
        .updateTable('ticket_parts')
        .set({ due_at: plan.dueAt })
        .where('ticket_id', '=', clock.ticket_id)
        .where('unit_id', '=', clock.part_of)
        .where('due_at', '=', clock.due_at)
        .execute();
    }
  }
  return moved;
}
