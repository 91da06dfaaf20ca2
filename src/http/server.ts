import Router from '@koa/router';
import Koa, { type Context, type Next } from 'koa';
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Registry, collectDefaultMetrics, Histogram } from 'prom-client';
import type { Principal } from '../domain/api-tokens';
import type { Logger } from '../log';
import { redactUrl } from '../secrets';
import { ApiError, errorMiddleware } from './errors';
import { isProtectedPath, nonCanonicalPath } from './path-guard';
import { rejectUnsafeInput } from './safe-input';

export interface ReadinessCheck {
  name: string;
  check(): Promise<boolean>;
}

export interface HttpDeps {
  logger: Logger;
  /** Who holds this bearer token (a leader's token reads only: GET and HEAD), or undefined for no valid token. */
  authenticate(token: string): Promise<Principal | undefined>;
  metrics: Registry;
  readiness: ReadinessCheck[];
  /** What an admin should know without it making the service unready (chats without a group robot). */
  readinessDetails?: () => Promise<Record<string, unknown>>;
}

/** Builds the HTTP surface: health, metrics, and the bearer-protected admin API that feature modules mount on `api`. */
export function createHttp(deps: HttpDeps) {
  const app = new Koa();
  // Case-sensitive like the guard's canonical spelling: `/API/org` is guarded (the guard ignores case) and then
  // finds no route, instead of reaching one unguarded.
  const root = new Router({ sensitive: true });
  const api = new Router({ prefix: '/api', sensitive: true });
  const requestDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration',
    labelNames: ['method', 'route', 'status'],
    registers: [deps.metrics],
  });

  app.use(async (ctx: Context, next: Next) => {
    const requestId = ctx.get('x-request-id') || randomUUID();
    ctx.set('x-request-id', requestId);
    ctx.state.log = deps.logger.child({ requestId });
    const started = process.hrtime.bigint();
    try {
      await next();
    } finally {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = (ctx as { _matchedRoute?: string })._matchedRoute ?? 'unmatched';
      requestDuration.observe({ method: ctx.method, route, status: String(ctx.status) }, seconds);
      ctx.state.log.debug({ method: ctx.method, url: redactUrl(ctx.url), status: ctx.status, ms: seconds * 1000 }, 'request');
    }
  });
  app.use(errorMiddleware);
  app.use(canonicalPathOnly);
  app.use(guardProtected(deps.authenticate));
  app.use(jsonBody);
  app.use(async (ctx, next) => (isProtectedPath(ctx.path) ? rejectUnsafeInput(ctx, next) : next()));

  root.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  root.get('/readyz', async (ctx) => {
    const results = await Promise.all(
      deps.readiness.map(async ({ name, check }) => [name, await check().catch(() => false)] as const),
    );
    const ready = results.every(([, ok]) => ok);
    ctx.status = ready ? 200 : 503;
    const details = (await deps.readinessDetails?.().catch(() => undefined)) ?? {};
    const waitingOn = results.filter(([, ok]) => !ok).map(([name]) => name);
    ctx.body = { status: ready ? 'ready' : 'not ready', checks: Object.fromEntries(results), waitingOn, ...details };
  });
  root.get('/metrics', async (ctx) => {
    ctx.type = deps.metrics.contentType;
    ctx.body = await deps.metrics.metrics();
  });

  return {
    koa: app,
    root,
    api,
    /** Mounts the routers; call after feature modules added their routes. */
    listen(port: number, host: string): Promise<Server> {
      app.use(root.routes()).use(root.allowedMethods());
      app.use(api.routes()).use(api.allowedMethods());
      return new Promise((resolve, reject) => {
        const server = app.listen(port, host);
        server.once('listening', () => resolve(server));
        server.once('error', reject);
      });
    },
  };
}

export type Http = ReturnType<typeof createHttp>;

export function createMetricsRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}

export function serverUrl(server: Server, host: string): string {
  const { port } = server.address() as AddressInfo;
  const shown = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  return `http://${shown}:${port}`;
}

/** A path not written the canonical way is no address of ours, whatever it would have matched. */
async function canonicalPathOnly(ctx: Context, next: Next): Promise<void> {
  const problem = nonCanonicalPath(ctx.path);
  if (problem) throw new ApiError(404, 'not_found', `找不到这个地址：${problem}`);
  await next();
}

/**
 * One bearer guard in front of every router, keyed on the path the routers see (see path-guard.ts): the admin's and
 * the leaders' tokens, issued to named people or the old unnamed ones; a leader's token only reads. The caller is
 * left in `ctx.state.principal` for the audit log.
 */
function guardProtected(authenticate: HttpDeps['authenticate']) {
  return async (ctx: Context, next: Next) => {
    if (!isProtectedPath(ctx.path)) return next();
    const header = ctx.get('authorization');
    const token = /^Bearer ([\x21-\x7e]{1,200})$/.exec(header)?.[1];
    const principal = token ? await authenticate(token) : undefined;
    if (!principal) throw new ApiError(401, 'unauthorized', '需要有效的管理令牌或领导只读令牌 (Authorization: Bearer …)');
    if (principal.role === 'leader' && ctx.method !== 'GET' && ctx.method !== 'HEAD') {
      throw new ApiError(403, 'read_only', '领导令牌只能查看，不能修改');
    }
    ctx.state.principal = principal;
    ctx.state.role = principal.role;
    await next();
  };
}

const MAX_BODY_BYTES = 2 * 1024 * 1024;
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * JSON bodies, and CSV as text for the knowledge-base import, size-capped; malformed JSON is refused before any
 * handler runs.
 */
async function jsonBody(ctx: Context, next: Next): Promise<void> {
  if (ctx.method === 'GET' || ctx.method === 'HEAD' || ctx.method === 'DELETE') return next();
  const kind = ctx.is('application/json', 'text/csv', XLSX);
  if (!kind) {
    if (ctx.request.length) throw new ApiError(415, 'unsupported_media_type', '请求内容须为 JSON（导入问答和组织机构时也可以是 CSV，组织机构还可以是 XLSX）');
    return next();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new ApiError(413, 'body_too_large', '请求内容过大');
    chunks.push(chunk as Buffer);
  }
  if (kind === XLSX) {
    ctx.request.body = Buffer.concat(chunks);
    return next();
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (kind === 'text/csv') {
    ctx.request.body = text;
    return next();
  }
  try {
    ctx.request.body = chunks.length ? JSON.parse(text) : undefined;
  } catch {
    throw new ApiError(400, 'invalid_json', '请求内容不是合法的 JSON');
  }
  await next();
}

declare module 'koa' {
  interface Request {
    body?: unknown;
  }
}
