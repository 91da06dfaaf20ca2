import type Router from '@koa/router';
import { z } from 'zod';
import type { Clock } from '../clock';
import type { Db } from '../db/database';
import { issueToken, listTokens, revokeToken, type Principal } from '../domain/api-tokens';
import { ApiError, parseBody } from './errors';

const issueSchema = z.strictObject({
  holder: z.string().trim().min(1, '请写明令牌发给谁（姓名）').max(64, '姓名最长 64 个字'),
  role: z.enum(['admin', 'leader'], { error: 'role 须为 admin（管理）或 leader（领导只读）' }),
});
const idSchema = z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER);

/**
 * API tokens issued to named people, so the audit log says who did what: list them (never their values), issue one
 * (its value is shown in this answer only), revoke one. Only an admin token reaches the writes; the guard lets a
 * leader's token only read, and the list shows no value to anyone.
 */
export function tokenRoutes(api: Router, db: Db, clock: Clock): void {
  api.get('/tokens', async (ctx) => {
    ctx.body = { items: await listTokens(db) };
  });
  api.post('/tokens', async (ctx) => {
    const request = parseBody(issueSchema, ctx.request.body);
    const by = ctx.state.principal as Principal;
    const issued = await db.transaction().execute((tx) => issueToken(tx, { ...request, by, at: clock.now() }));
    ctx.status = 201;
    ctx.set('cache-control', 'no-store');
    ctx.body = { ...issued.listing, token: issued.token, note: '令牌只显示这一次，请立即交给本人妥善保存' };
  });
  api.delete('/tokens/:id', async (ctx) => {
    const id = idSchema.safeParse(ctx.params.id);
    if (!id.success) throw new ApiError(400, 'invalid_id', '令牌编号须为正整数');
    const by = ctx.state.principal as Principal;
    ctx.body = await db.transaction().execute((tx) => revokeToken(tx, id.data, by, clock.now()));
  });
}
