import type { Context, Next } from 'koa';
import { z } from 'zod';
import { DomainError } from '../domain/errors';

/** An error a person may read: a stable code for programs and a Chinese message for people. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw new ApiError(400, 'invalid_body', '请求内容不正确', z.treeifyError(parsed.error));
  }
  return parsed.data;
}

export function parseQuery<T extends z.ZodType>(schema: T, query: unknown): z.infer<T> {
  const parsed = schema.safeParse(query);
  if (!parsed.success) {
    throw new ApiError(400, 'invalid_query', '查询参数不正确', z.treeifyError(parsed.error));
  }
  return parsed.data;
}

/** The HTTP status of each domain refusal; any other refusal is the caller's mistake (400). */
const DOMAIN_STATUS: Readonly<Record<string, number>> = {
  desk_only: 403,
  system_only: 403,
  not_owner: 403,
  org_missing: 404,
  ticket_not_found: 404,
  outage_not_found: 404,
  token_not_found: 404,
  notice_missing: 404,
  org_inconsistent: 409,
  outage_ended: 409,
  outage_overlap: 409,
  already_done: 409,
  wrong_state: 409,
};

/** Turns every failure into a JSON error; internals go to the log, never to the client. */
export async function errorMiddleware(ctx: Context, next: Next): Promise<void> {
  try {
    await next();
  } catch (error) {
    if (error instanceof ApiError) {
      ctx.status = error.status;
      ctx.body = { error: { code: error.code, message: error.message, details: error.details } };
      return;
    }
    if (error instanceof DomainError) {
      ctx.status = DOMAIN_STATUS[error.code] ?? 400;
      ctx.body = { error: { code: error.code, message: error.message } };
      return;
    }
    const status = (error as { status?: number }).status;
    if (status && status >= 400 && status < 500) {
      ctx.status = status;
      ctx.body = { error: { code: 'bad_request', message: '请求无法处理' } };
      return;
    }
    ctx.state.log?.error({ err: error }, 'request failed');
    ctx.status = 500;
    ctx.body = { error: { code: 'internal', message: '服务内部错误，请稍后再试' } };
  }
}
