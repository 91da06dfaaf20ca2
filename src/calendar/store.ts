import { z } from 'zod';
import type { Executor } from '../db/database';
import { withTransaction } from '../db/transaction';
import { WorkCalendar, type CalendarOverride } from './calendar';
import { supportedDate } from './supported-dates';

/** Keeps the shared WorkCalendar in step with the `calendar_overrides` table. */
export async function loadCalendar(db: Executor, calendar = new WorkCalendar()): Promise<WorkCalendar> {
  calendar.setOverrides(await listOverrides(db));
  return calendar;
}

export async function listOverrides(db: Executor): Promise<CalendarOverride[]> {
  const rows = await db
    .selectFrom('calendar_overrides')
    .select(['date', 'kind', 'note'])
    .orderBy('date')
    .execute();
  return rows.map((row) => ({ date: row.date, kind: row.kind, ...(row.note ? { note: row.note } : {}) }));
}

export const overridesSchema = z.object({
  overrides: z
    .array(
      z.object({
        date: supportedDate('日期 '),
        kind: z.enum(['workday', 'holiday']),
        note: z.string().max(200).optional(),
      }),
    )
    .max(2000),
  /** true: the list replaces every override; false (default): the listed dates are added or changed. */
  replace: z.boolean().default(false),
});

export async function saveOverrides(db: Executor, calendar: WorkCalendar, input: z.infer<typeof overridesSchema>): Promise<void> {
  await withTransaction(db, async (tx) => {
    if (input.replace) await tx.deleteFrom('calendar_overrides').execute();
    if (input.overrides.length === 0) return;
    await tx
      .insertInto('calendar_overrides')
      .values(input.overrides.map((o) => ({ date: o.date, kind: o.kind, note: o.note ?? null })))
      .onConflict((conflict) =>
        conflict.column('date').doUpdateSet((eb) => ({
          kind: eb.ref('excluded.kind'),
          note: eb.ref('excluded.note'),
          updated_at: new Date(),
        })),
      )
      .execute();
  });
  await loadCalendar(db, calendar);
}
