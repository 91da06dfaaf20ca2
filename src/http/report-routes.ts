import type Router from '@koa/router';
import { z } from 'zod';
import type { Clock } from '../clock';
import type { Db } from '../db/database';
import type { OrgSource } from '../domain/org/store';
import { assessMonth, previousMonth } from '../domain/reports/assessment';
import { supportedMonth } from '../calendar/supported-dates';
import { parseQuery } from './errors';

const assessmentQuery = z.object({
  /** A Shanghai month; the previous month when left out. */
  month: supportedMonth('月份').optional(),
});

/** Reports for the company's leaders: the monthly assessment per unit and department. */
export function reportRoutes(api: Router, ctx: { db: Db; clock: Clock; orgs: OrgSource }): void {
  api.get('/reports/assessment', async (koa) => {
    const query = parseQuery(assessmentQuery, koa.query);
    const now = ctx.clock.now();
    const org = await ctx.orgs.current(ctx.db);
    koa.body = await assessMonth(ctx.db, org, query.month ?? previousMonth(now), now);
  });
}
