import type Router from '@koa/router';
import { z } from 'zod';
import type { Clock } from '../clock';
import type { Db } from '../db/database';
import type { OrgSource } from '../domain/org/store';
import { analyseMonth } from '../domain/reports/analysis';
import { assessMonth, previousMonth } from '../domain/reports/assessment';
import { supportedMonth } from '../calendar/supported-dates';
import { costlyTickets, monthlyTrend, overdueByCause, unitLimitRates } from '../domain/reports/charts';
import { analysisPicture } from '../domain/reports/monthly';
import { LIMITS, limitName } from '../domain/sla/limits';
import { listPolicies } from '../domain/sla/policies';
import { parseQuery } from './errors';

export const monthQuery = z.object({
  /** A Shanghai month; the previous month when left out. */
  month: supportedMonth('月份').optional(),
});
const costlyQuery = monthQuery.extend({ unit: z.string().min(1).max(64).optional() });

/**
 * Reports for the company's leaders, each for a month (the previous one by the app clock when left out): the
 * assessment per unit and its drill-down to the tickets that cost points, the monthly analysis, and the charts' figures.
 * Every answer carries `now`, the app clock.
 */
export function reportRoutes(api: Router, ctx: { db: Db; clock: Clock; orgs: OrgSource }): void {
  const read = async (query: unknown) => {
    const { month } = parseQuery(monthQuery, query);
    const now = ctx.clock.now();
    return { now, month: month ?? previousMonth(now), org: await ctx.orgs.current(ctx.db) };
  };
  api.get('/reports/assessment', async (koa) => {
    const { now, month, org } = await read(koa.query);
    const policies = await listPolicies(ctx.db);
    const limits = LIMITS.map((limit) => ({ id: limit.id, name: limitName(limit, policies) }));
    koa.body = { now, limits, ...(await assessMonth(ctx.db, org, month, now)) };
  });
  api.get('/reports/assessment/tickets', async (koa) => {
    const { unit } = parseQuery(costlyQuery, koa.query);
    const { now, month, org } = await read(koa.query);
    koa.body = { now, month, items: await costlyTickets(ctx.db, org, month, now, unit) };
  });
  api.get('/reports/analysis', async (koa) => {
    const { now, month, org } = await read(koa.query);
    koa.body = { now, ...(await analyseMonth(ctx.db, org, month, now)) };
  });
  // The picture the leaders got in WeCom for the month, as the console shows it beside the figures.
  api.get('/reports/analysis.png', async (koa) => {
    const { now, month, org } = await read(koa.query);
    koa.type = 'image/png';
    koa.set('cache-control', 'no-store');
    koa.body = analysisPicture(await analyseMonth(ctx.db, org, month, now));
  });
  api.get('/reports/charts', async (koa) => {
    const { now, month, org } = await read(koa.query);
    const [units, trend, causes, analysis] = await Promise.all([
      unitLimitRates(ctx.db, org, month, now),
      monthlyTrend(ctx.db, month, now),
      overdueByCause(ctx.db, month, now),
      analyseMonth(ctx.db, org, month, now),
    ]);
    koa.body = { now, month, units, trend, causes, satisfaction: analysis.satisfaction };
  });
}
