import type Router from '@koa/router';
import { z } from 'zod';
import type { AppContext } from '../app';
import { DomainError } from '../domain/errors';
import { assessMonth, previousMonth } from '../domain/reports/assessment';
import { supportedMonth } from '../domain/supported-dates';
import { ApiError, parseQuery } from './errors';

const assessmentQuery = z.object({
  /** A Shanghai month; the previous month when left out. */
  month: supportedMonth('月份').optional(),
});

/** Reports for the company's leaders: the monthly assessment per unit and department. */
export function reportRoutes(api: Router, ctx: Pick<AppContext, 'db' | 'clock' | 'orgs'>): void {
  api.get('/reports/assessment', async (koa) => {
    const query = parseQuery(assessmentQuery, koa.query);
    const now = ctx.clock.now();
    const org = await ctx.orgs.current(ctx.db).catch((error: unknown) => {
      if (error instanceof DomainError) throw new ApiError(409, error.code, error.message);
      throw error;
    });
    koa.body = await assessMonth(ctx.db, org, query.month ?? previousMonth(now), now);
  });
}
