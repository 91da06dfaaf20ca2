import type Router from '@koa/router';
import type { Db } from '../db/database';
import type { WorkCalendar } from '../domain/calendar';
import { listOverrides, overridesSchema, saveOverrides } from '../domain/calendar-store';
import { parseBody } from './errors';

export function calendarRoutes(api: Router, db: Db, calendar: WorkCalendar): void {
  api.get('/calendar', async (ctx) => {
    ctx.body = { overrides: await listOverrides(db) };
  });
  api.put('/calendar', async (ctx) => {
    await saveOverrides(db, calendar, parseBody(overridesSchema, ctx.request.body));
    ctx.body = { overrides: await listOverrides(db) };
  });
}
