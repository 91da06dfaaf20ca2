import { sql } from 'kysely';
import { z } from 'zod';
import type { Executor, Tx } from '../db/database';
import { withTransaction } from '../db/transaction';
import { WorkCalendar, type CalendarOverride, type YearSchedule } from './calendar';
import type { ParsedNotice } from './notice';
import { supportedDate } from './supported-dates';

/** The channel every change of the calendar's tables is announced on, so every process reloads at once (watch.ts). */
export const CALENDAR_CHANNEL = 'calendar_changed';

/** Keeps the shared WorkCalendar in step with `calendar_overrides` and `calendar_notices`. */
export async function loadCalendar(db: Executor, calendar = new WorkCalendar()): Promise<WorkCalendar> {
  const [overrides, schedules] = await Promise.all([listOverrides(db), listSchedules(db)]);
  calendar.setOverrides(overrides);
  calendar.setSchedules(schedules);
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

/** The confirmed notices, one schedule per year. */
export async function listSchedules(db: Executor): Promise<YearSchedule[]> {
  const rows = await db.selectFrom('calendar_notices').select(['year', 'holidays', 'workdays']).orderBy('year').execute();
  return rows.map((row) => ({ year: row.year, holidays: row.holidays, workdays: row.workdays }));
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

export async function saveOverrides(
  db: Executor,
  calendar: WorkCalendar,
  input: z.infer<typeof overridesSchema>,
  now: Date,
): Promise<void> {
  await withTransaction(db, async (tx) => {
    if (input.replace) await tx.deleteFrom('calendar_overrides').execute();
    if (input.overrides.length > 0) {
      await tx
        .insertInto('calendar_overrides')
        .values(input.overrides.map((o) => ({ date: o.date, kind: o.kind, note: o.note ?? null, updated_at: now })))
        .onConflict((conflict) =>
          conflict.column('date').doUpdateSet((eb) => ({
            kind: eb.ref('excluded.kind'),
            note: eb.ref('excluded.note'),
            updated_at: now,
          })),
        )
        .execute();
    }
    await announceCalendarChange(tx);
  });
  await loadCalendar(db, calendar);
}

/** Tells every process, on commit, that the calendar changed (NOTIFY is delivered only if the transaction commits). */
export async function announceCalendarChange(tx: Tx): Promise<void> {
  await sql`SELECT pg_notify(${CALENDAR_CHANNEL}, '')`.execute(tx);
}

export interface NoticeRecord extends YearSchedule {
  text: string;
  by: string;
  at: Date;
}

/** Keeps what a pasted notice reads as until someone confirms it; a later paste for the same year replaces it. */
export async function saveNoticeDraft(db: Executor, notice: ParsedNotice, text: string, by: string, at: Date): Promise<void> {
  const row = { year: notice.year, text, holidays: JSON.stringify(notice.holidays), workdays: JSON.stringify(notice.workdays), drafted_by: by, drafted_at: at };
  await db
    .insertInto('calendar_notice_drafts')
    .values(row)
    .onConflict((conflict) => conflict.column('year').doUpdateSet(row))
    .execute();
}

/** Removes and returns the year's draft: of two confirmations, only the first finds it. */
export async function takeNoticeDraft(tx: Tx, year: number): Promise<NoticeRecord | undefined> {
  const row = await tx.deleteFrom('calendar_notice_drafts').where('year', '=', year).returningAll().executeTakeFirst();
  return row && { year: row.year, text: row.text, holidays: row.holidays, workdays: row.workdays, by: row.drafted_by, at: row.drafted_at };
}

export async function findNotice(db: Executor, year: number): Promise<NoticeRecord | undefined> {
  const row = await db.selectFrom('calendar_notices').selectAll().where('year', '=', year).executeTakeFirst();
  return row && { year: row.year, text: row.text, holidays: row.holidays, workdays: row.workdays, by: row.confirmed_by, at: row.confirmed_at };
}

/** Stores a confirmed notice as its year's schedule, replacing an earlier one, and announces the change. */
export async function saveNotice(tx: Tx, notice: NoticeRecord): Promise<void> {
  const row = {
    year: notice.year,
    text: notice.text,
    holidays: JSON.stringify(notice.holidays),
    workdays: JSON.stringify(notice.workdays),
    confirmed_by: notice.by,
    confirmed_at: notice.at,
  };
  await tx
    .insertInto('calendar_notices')
    .values(row)
    .onConflict((conflict) => conflict.column('year').doUpdateSet(row))
    .execute();
  await announceCalendarChange(tx);
}
