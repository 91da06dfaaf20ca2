import type Router from '@koa/router';
import { z } from 'zod';
import { fromShanghai, shanghaiDate, unconfirmedYear, type WorkCalendar } from '../calendar/calendar';
import { listOverrides, loadCalendar, overridesSchema, saveOverrides } from '../calendar/store';
import { supportedDate } from '../calendar/supported-dates';
import type { Clock } from '../clock';
import { recordChange } from '../domain/audit';
import { confirmHolidayNotice, draftHolidayNotice, type NoticeDeps } from '../domain/calendar-notices';
import { actorOf } from './audit-routes';
import { ApiError, parseBody, parseQuery } from './errors';
import { DAY_MS } from '../clock';

/** Three years of days: enough for any planning view, bounded so one request stays small. */
const MAX_DAYS = 366 * 3;

const rangeSchema = z.object({ from: supportedDate('from ').optional(), to: supportedDate('to ').optional() });
/** A notice is a page of text; 20 000 characters leave room for any layout it is pasted in. */
const noticeSchema = z.object({ text: z.string().trim().min(1, '请粘贴通知全文').max(20_000, '通知全文不应超过 20000 字') });
const yearSchema = z.object({ year: z.coerce.number().int().min(2000).max(2100) });

/**
 * `GET /api/calendar?from=&to=`: the overrides, whether this year and the next are confirmed (with the warning the
 * desk sees from 1 November), and each day of the range as every deadline sees it. `POST /api/calendar/notices` reads
 * a pasted State Council notice and keeps it as a draft; `POST /api/calendar/notices/:year/confirm` confirms it.
 */
export function calendarRoutes(api: Router, deps: NoticeDeps & { clock: Clock }): void {
  const { db, calendar, clock } = deps;
  api.get('/calendar', async (ctx) => {
    const { from, to } = parseQuery(rangeSchema, ctx.query);
    const now = clock.now();
    const year = Number(shanghaiDate(now).slice(0, 4));
    const unconfirmed = calendar.unconfirmedYears(now);
    ctx.body = {
      now,
      years: [year, year + 1].map((y) => ({ year: y, confirmed: calendar.isConfirmedYear(y) })),
      unconfirmed,
      warnings: unconfirmed.map((y) => {
        const { title, advice } = unconfirmedYear(y);
        return title + advice;
      }),
      overrides: await listOverrides(db),
      ...(from || to ? { days: daysOf(calendar, from, to) } : {}),
    };
  });
  api.post('/calendar/notices', async (ctx) => {
    const { text } = parseBody(noticeSchema, ctx.request.body);
    ctx.body = { now: clock.now(), preview: await draftHolidayNotice(deps, { text, by: actorOf(ctx), at: clock.now() }) };
  });
  api.post('/calendar/notices/:year/confirm', async (ctx) => {
    const { year } = parseQuery(yearSchema, ctx.params);
    ctx.body = { now: clock.now(), confirmed: await confirmHolidayNotice(deps, { year, by: actorOf(ctx), at: clock.now() }) };
  });
  api.put('/calendar', async (ctx) => {
    const input = parseBody(overridesSchema, ctx.request.body);
    const overrides = await db
      .transaction()
      .execute(async (tx) => {
        const before = await listOverrides(tx);
        await saveOverrides(tx, calendar, input, clock.now());
        const after = await listOverrides(tx);
        await recordChange(tx, { subject: 'calendar', actor: actorOf(ctx), at: clock.now(), before, after });
        return after;
      })
      // The shared calendar was reloaded inside the transaction; after a rollback it must show the table again.
      .catch(async (error: unknown) => {
        await loadCalendar(db, calendar);
        throw error;
      });
    ctx.body = { overrides };
  });
}

function daysOf(calendar: WorkCalendar, from: string | undefined, to: string | undefined) {
  const start = fromShanghai(from ?? to!);
  const end = fromShanghai(to ?? from!);
  const count = Math.round((end.getTime() - start.getTime()) / DAY_MS) + 1;
  if (count < 1 || count > MAX_DAYS) {
    throw new ApiError(400, 'invalid_range', `日期范围须在 1 到 ${MAX_DAYS} 天之间，且 from 不晚于 to`);
  }
  return Array.from({ length: count }, (_, i) => calendar.dayInfo(shanghaiDate(new Date(start.getTime() + i * DAY_MS))));
}
