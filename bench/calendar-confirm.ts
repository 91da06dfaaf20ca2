/**
 * Confirming a year's holiday notice, measured: the transaction that stores it also moves every running working-day
 * deadline, so its time grows with the open work. N complaints handed over in late January 2027 (each with its
 * acknowledge and resolve clocks, on provisional dates) are confirmed against a notice that moves them; the baseline is
 * the same confirmation with no open work. Also measured: how long another process's calendar takes to see the change
 * (NOTIFY → reload). `npm run bench calendar-confirm`; BENCH_TICKETS (default 1000,5000), DATABASE_URL (external server).
 */
import { execSync } from 'node:child_process';
import { pino } from 'pino';
import { WorkCalendar, fromShanghai } from '../src/calendar/calendar';
import { loadCalendar } from '../src/calendar/store';
import { watchCalendar } from '../src/calendar/watch';
import { connectDatabase } from '../src/db/database';
import { runMigrations } from '../src/db/migrate';
import { confirmHolidayNotice, draftHolidayNotice } from '../src/domain/calendar-notices';
import { handleTicketEvent } from '../src/domain/sla';
import { benchDatabase } from './support/database';

const SIZES = (process.env.BENCH_TICKETS ?? '1000,5000').split(',').map(Number);
const NOTICE = `国务院办公厅关于2027年部分节假日安排的通知
  一、元旦：1月1日（周五）至3日（周日）放假，共3天。
  二、春节：2月5日（农历除夕、周五）至11日（农历正月初六、周四）放假调休，共7天。2月20日（周六）上班。`;
const config = { WORKING_HOURS_START: '08:30', WORKING_HOURS_END: '17:30', WORKING_DAY_WARNING_AT: '14:00' };
const logger = pino({ level: 'silent' });
const load = () => execSync('uptime').toString().trim().replace(/.*load average: /, '');

async function run(tickets: number): Promise<{ confirmMs: number; moved: number; seenMs: number }> {
  const database = await benchDatabase();
  const handle = connectDatabase(database.url);
  try {
    await runMigrations(handle.pool, logger);
    const calendar = await loadCalendar(handle.db, new WorkCalendar());
    const start = fromShanghai('2027-01-29', '10:00').getTime();
    for (let i = 0; i < tickets; i++) {
      const at = new Date(start + (i % 480) * 60_000);
      const no = `TS20270129-${String(i).padStart(5, '0')}`;
      await handle.db.transaction().execute(async (tx) => {
        const { id } = await tx
          .insertInto('tickets')
          .values({ no, kind: 'complaint', state: 'dispatched', owner_unit_id: 'marketing', description: '测试', opened_by: 'bench', source_chat_id: 'chat-desk', created_at: at, updated_at: at })
          .returning('id')
          .executeTakeFirstOrThrow();
        await handleTicketEvent(tx, { config, calendar, logger }, { ticketId: id, ticketNo: no, kind: 'complaint', areaClass: null, unitId: 'marketing', event: 'dispatched', at });
      });
    }
    const elsewhere = new WorkCalendar();
    const watch = await watchCalendar({ databaseUrl: database.url, db: handle.db, calendar: elsewhere, logger });
    const deps = { db: handle.db, calendar, config };
    await draftHolidayNotice(deps, { text: NOTICE, by: 'bench', at: new Date() });
    const began = performance.now();
    const { moved } = await confirmHolidayNotice(deps, { year: 2027, by: 'bench', at: new Date() });
    const confirmMs = performance.now() - began;
    while (!elsewhere.isConfirmedYear(2027)) await new Promise((resolve) => setTimeout(resolve, 1));
    const seenMs = performance.now() - began - confirmMs;
    await watch.stop();
    return { confirmMs, moved, seenMs };
  } finally {
    await handle.close();
    await database.close();
  }
}

const loadBefore = load();
const baseline = await run(0);
console.log('| open complaints | clocks moved | confirm (ms) | × baseline | another process sees it, after the call returned (ms) |');
console.log('| ---: | ---: | ---: | ---: | ---: |');
const row = (n: number, r: Awaited<ReturnType<typeof run>>) =>
  console.log(`| ${n} | ${r.moved} | ${r.confirmMs.toFixed(0)} | ${(r.confirmMs / baseline.confirmMs).toFixed(1)} | ${r.seenMs.toFixed(1)} |`);
row(0, baseline);
for (const n of SIZES) row(n, await run(n));
console.log(`load average ${loadBefore} → ${load()}`);
