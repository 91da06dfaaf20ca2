import type Router from '@koa/router';
import { z } from 'zod';
import type { Db } from '../db/database';
import { fromShanghai, shanghaiDate, type WorkCalendar } from '../calendar/calendar';
import { listOverrides, loadCalendar, overridesSchema, saveOverrides } from '../calendar/store';
import { supportedDate } from '../calendar/supported-dates';
import type { Clock } from '../clock';
import { recordChange } from '../domain/audit';
import { actorOf } from './audit-routes';
import { ApiError, parseBody, parseQuery } from './errors';
import { DAY_MS } from '../clock';

/** Three years of days: enough for any planning view, bounded so one request stays small. */
const MAX_DAYS = 366 * 3;

const rangeSchema = z.object({ from: supportedDate('from ').optional(), to: supportedDate('to ').optional() });

/** `GET /api/calendar?from=&to=`: the overrides, and each day of the range as every deadline sees it. */
export function calendarRoutes(api: Router, db: Db, calendar: WorkCalendar, clock: Clock): void {
  api.get('/calendar', async (ctx) => {
    const { from, to } = parseQuery(rangeSchema, ctx.query);
    ctx.body = { overrides: await listOverrides(db), ...(from || to ? { days: daysOf(calendar, from, to) } : {}) };
  });
  api.put('/calendar', async (ctx) => {
    const input = parseBody(overridesSchema, ctx.request.body);
    const overrides = await db
      .transaction()
      .execute(async (tx) => {
        const before = await listOverrides(tx);
        await saveOverrides(tx, calendar, input);
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
