import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { WorkCalendar, fromShanghai } from '../../src/calendar/calendar';
import { loadCalendar } from '../../src/calendar/store';
import { watchCalendar, type CalendarWatch } from '../../src/calendar/watch';
import { confirmHolidayNotice, draftHolidayNotice } from '../../src/domain/calendar-notices';
import { handleTicketEvent } from '../../src/domain/sla';
import { createTestDatabase, type TestDatabase } from '../support/db';

/** A 2027 notice in the published form (the dates are an example): 春节 5–11 February, Saturday 20 February worked. */
const NOTICE_2027 = `国务院办公厅关于2027年部分节假日安排的通知
  一、元旦：1月1日（周五）至3日（周日）放假，共3天。
  二、春节：2月5日（农历除夕、周五）至11日（农历正月初六、周四）放假调休，共7天。2月20日（周六）上班。`;

const config = { WORKING_HOURS_START: '08:30', WORKING_HOURS_END: '17:30', WORKING_DAY_WARNING_AT: '14:00' };
const quiet = pino({ level: 'silent' });
let database: TestDatabase;
let calendar: WorkCalendar;
beforeAll(async () => {
  database = await createTestDatabase();
  calendar = await loadCalendar(database.db, new WorkCalendar());
});
afterAll(() => database.close());

/** A complaint handed over on Friday 29 January 2027 at 10:00: 5 working days to answer it. */
async function complaintHandedOver(): Promise<number> {
  const at = fromShanghai('2027-01-29', '10:00');
  const { id } = await database.db
    .insertInto('tickets')
    .values({ no: 'TS20270129-0001', kind: 'complaint', state: 'dispatched', owner_unit_id: 'marketing', description: '测试投诉', opened_by: 'desk_wang', source_chat_id: 'chat-desk', created_at: at, updated_at: at })
    .returning('id')
    .executeTakeFirstOrThrow();
  await database.db.transaction().execute((tx) =>
    handleTicketEvent(tx, { config, calendar, logger: quiet }, { ticketId: id, ticketNo: 'TS20270129-0001', kind: 'complaint', areaClass: null, unitId: 'marketing', event: 'dispatched', at }),
  );
  return id;
}

const resolveClock = (ticketId: number) =>
  database.db
    .selectFrom('sla_clocks as c')
    .innerJoin('sla_policies as p', 'p.id', 'c.policy_id')
    .select(['c.id', 'c.due_at'])
    .where('c.ticket_id', '=', ticketId)
    .where('p.code', '=', 'complaint.resolve')
    .executeTakeFirstOrThrow();

describe('a confirmed notice on the database', () => {
  let watch: CalendarWatch;
  const elsewhere = new WorkCalendar();
  beforeAll(async () => {
    // Another process's calendar, kept in step only by the change notifications.
    watch = await watchCalendar({ databaseUrl: database.url, db: database.db, calendar: elsewhere, logger: quiet });
  });
  afterAll(() => watch.stop());

  it('moves a deadline already set, with its steps, keeps the audit entry, and every process sees the year confirmed', async () => {
    const ticketId = await complaintHandedOver();
    const before = await resolveClock(ticketId);
    // Provisionally 春节 runs from 除夕 5 February to 初七 12 February: the 5th working day is Monday 15 February.
    expect(before.due_at).toEqual(fromShanghai('2027-02-15', '10:00'));
    // What the hand-over wrote on the ticket (src/domain/tickets/flow.ts): the deadline its cards show.
    await database.db.updateTable('tickets').set({ handling_due_at: before.due_at }).where('id', '=', ticketId).execute();

    const preview = await draftHolidayNotice({ db: database.db, calendar, config }, { text: NOTICE_2027, by: 'admin', at: fromShanghai('2026-12-07', '09:00') });
    expect(preview).toMatchObject({ year: 2027, replaces: false });
    // Read but not confirmed: nothing changed yet.
    expect(calendar.isConfirmedYear(2027)).toBe(false);
    expect((await resolveClock(ticketId)).due_at).toEqual(before.due_at);

    const confirmed = await confirmHolidayNotice({ db: database.db, calendar, config }, { year: 2027, by: 'admin', at: fromShanghai('2026-12-07', '09:05') });
    expect(confirmed).toEqual({ year: 2027, holidays: 10, workdays: 1, moved: expect.any(Number) as number });
    expect(confirmed.moved).toBeGreaterThanOrEqual(1);
    // Friday 12 February is a working day by the notice: the deadline comes three days earlier.
    expect((await resolveClock(ticketId)).due_at).toEqual(fromShanghai('2027-02-12', '10:00'));
    const breach = await database.db.selectFrom('sla_timers').select('fire_at').where('clock_id', '=', before.id).where('step', '=', 'breach').executeTakeFirstOrThrow();
    expect(breach.fire_at).toEqual(fromShanghai('2027-02-12', '10:00'));
    const ticket = await database.db.selectFrom('tickets').select('handling_due_at').where('id', '=', ticketId).executeTakeFirstOrThrow();
    expect(ticket.handling_due_at).toEqual(fromShanghai('2027-02-12', '10:00'));
    expect(calendar.dayInfo('2027-02-20')).toEqual({ date: '2027-02-20', working: true, source: 'notice', name: '春节' });

    const [audit] = await database.db.selectFrom('audit_log').selectAll().where('subject', '=', 'calendar').execute();
    expect(audit).toMatchObject({ actor: 'admin', before: null, after: { notice: { year: 2027, workdays: [{ date: '2027-02-20', name: '春节' }] } } });

    await vi.waitFor(() => expect(elsewhere.isConfirmedYear(2027)).toBe(true), { timeout: 5_000 });
  });

  it('a second confirmation does nothing and says the year is confirmed', async () => {
    await expect(confirmHolidayNotice({ db: database.db, calendar, config }, { year: 2027, by: 'admin', at: new Date() })).rejects.toMatchObject({
      code: 'already_done',
      message: '2027 年节假日安排已于 2026-12-07 确认，没有待确认的新通知',
    });
  });

  it('text that does not read is refused with the reason, and nothing is kept', async () => {
    await expect(
      draftHolidayNotice({ db: database.db, calendar, config }, { text: '国务院办公厅关于2028年部分节假日安排的通知 一、元旦：1月1日（周五）放假1天。', by: 'admin', at: new Date() }),
    ).rejects.toMatchObject({ code: 'notice_unreadable', message: '通知没有读懂：元旦：1月1日是周六，通知里写的是周五，请核对' });
    expect(await database.db.selectFrom('calendar_notice_drafts').selectAll().execute()).toEqual([]);
  });
});
