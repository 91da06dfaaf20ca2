import type Router from '@koa/router';
import type { Clock } from '../clock';
import type { Db } from '../db/database';
import { listPolicies, policiesInputSchema, savePolicies } from '../domain/sla/policies';
import { parseBody } from './errors';

/** The time limits as data: read them all, add or change some by code (running clocks keep their deadlines). */
export function slaRoutes(api: Router, db: Db, clock: Clock): void {
  api.get('/sla-policies', async (ctx) => {
    ctx.body = { policies: await listPolicies(db) };
  });
  api.put('/sla-policies', async (ctx) => {
    const input = parseBody(policiesInputSchema, ctx.request.body);
    ctx.body = { policies: await savePolicies(db, clock, input) };
  });
}
