import type Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import type { Db } from '../db/database';
import { actorName, type Principal } from '../domain/api-tokens';
import { AUDIT_SUBJECTS, listChanges } from '../domain/audit';
import { parseQuery } from './errors';

const listQuery = z.object({
  subject: z.enum(AUDIT_SUBJECTS, { error: `subject 须为：${AUDIT_SUBJECTS.join('、')}` }).optional(),
  page: z.coerce.number({ error: 'page 须为正整数' }).int('page 须为正整数').min(1, 'page 须为正整数').max(100_000).default(1),
  pageSize: z.coerce.number({ error: 'pageSize 须为 1 到 200 的整数' }).int().min(1).max(200).default(50),
});

/**
 * `GET /api/audit`: every change to the organisation, the SLA policies, the calendar, the outage notices, the knowledge
 * base and the API tokens, newest first, paged.
 */
export function auditRoutes(api: Router, db: Db): void {
  api.get('/audit', async (ctx) => {
    const query = parseQuery(listQuery, ctx.query);
    const { items, total } = await listChanges(db, query);
    ctx.body = { items, total, page: query.page, pageSize: query.pageSize };
  });
}

/** Who is making this admin call: the person its bearer token was issued to, set by the API's guard. */
export function actorOf(ctx: Context): string {
  return actorName(ctx.state.principal as Principal);
}
