import type Router from '@koa/router';
import { z } from 'zod';
import { fromShanghai } from '../calendar/calendar';
import type { Db } from '../db/database';
import type { OrgSource } from '../domain/org/store';
import { isSupportedInstant, SUPPORTED_SPAN, supportedDate } from '../calendar/supported-dates';
import { listOutages, noticeLeadTime, OUTAGE_KINDS, publishOutage, type OutageKind } from '../domain/outages';
import { powerBack } from '../domain/tickets/flow';
import { openSession, type Outage, type Session, type SessionDeps } from '../domain/tickets/session';
import { DAY_MS } from '../clock';
import { announcer } from '../chat/announce';
import { Outgoing } from '../chat/outgoing';
import type { OutboxPort } from '../protocol/outbound';
import { ApiError, parseBody, parseQuery } from './errors';
import { actorOf } from './audit-routes';

const KIND_CODES = Object.keys(OUTAGE_KINDS) as [OutageKind, ...OutageKind[]];
const KIND_HINT = KIND_CODES.map((code) => `${code}（${OUTAGE_KINDS[code]}）`).join('、');

/** An instant: ISO 8601 with an offset, or a Shanghai wall-clock time "2026-12-01 08:00". */
const instant = (label: string) =>
  z
    .string({ error: `${label}必填，格式如 2026-12-01 08:00` })
    .transform((text, ctx) => {
      const local = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2})$/.exec(text.trim());
      const at = local ? safe(() => fromShanghai(local[1]!, local[2]!)) : isoWithOffset(text.trim());
      if (!at) {
        ctx.addIssue({ code: 'custom', message: `${label}格式不正确，应如 2026-12-01 08:00（北京时间）或带时区的 ISO 时间` });
        return z.NEVER;
      }
      if (!isSupportedInstant(at)) {
        ctx.addIssue({ code: 'custom', message: `${label}须在 ${SUPPORTED_SPAN} 之间` });
        return z.NEVER;
      }
      return at;
    });

const optionalText = (label: string, max: number) =>
  z.string().trim().max(max, `${label}不超过 ${max} 字`).optional().transform((v) => (v ? v : undefined));

const publishBody = z
  .object({
    kind: z.enum(KIND_CODES, { error: `停电类型须为：${KIND_HINT}` }),
    areas: z
      .array(z.string().trim().min(1, '区域名称不能为空'), { error: '停电区域必填（区域名称的数组）' })
      .min(1, '至少填写一个停电区域'),
    startsAt: instant('停电开始时间'),
    restoreAt: instant('预计恢复时间').optional(),
    cause: z.string({ error: '停电原因必填' }).trim().min(1, '停电原因必填').max(500, '停电原因不超过 500 字'),
    line: optionalText('线路', 100),
    // Stored as `real`; the grid's highest level is 1000 kV AC (1100 kV DC).
    voltageKv: z
      .number({ error: '电压等级须为数字（kV）' })
      .min(0.1, '电压等级须在 0.1 到 1100 kV 之间')
      .max(1100, '电压等级须在 0.1 到 1100 kV 之间')
      .optional(),
    keyCustomers: optionalText('影响的重要客户', 1000),
    remarks: optionalText('备注', 1000),
    /** Publish although it overlaps a notice in force for the same area or line and time. */
    confirm: z.boolean({ error: 'confirm 须为 true 或 false' }).default(false),
    /** WeCom userId of the person publishing; 10 kV and above must be a member of the desk. */
    publishedBy: z.string({ error: '发布人（publishedBy，企业微信账号）必填' }).trim().min(1, '发布人（publishedBy，企业微信账号）必填'),
  })
  .strict();

const listQuery = z.object({
  active: z.enum(['true', 'false'], { error: 'active 须为 true 或 false' }).transform((v) => v === 'true').optional(),
  area: z.string().trim().min(1).optional(),
  kind: z.enum(KIND_CODES, { error: `kind 须为：${KIND_HINT}` }).optional(),
  /** Starting on or after this Shanghai day. */
  from: supportedDate('from ').optional(),
  /** Starting on or before this Shanghai day. */
  to: supportedDate('to ').optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** Outage information (停电信息): list with lead-time compliance, publish, and mark ended. */
/** Who ended the outage; without a name it is recorded as the admin API. */
const endSchema = z.strictObject({ endedBy: z.string().trim().min(1).max(64).default('admin-api') });

/** What the outage routes need: the database, the organisation, the outbox, and what acting as a person in a session needs. */
export interface OutageRouteDeps extends SessionDeps {
  db: Db;
  orgs: OrgSource;
  outbox: OutboxPort;
}

export function outageRoutes(api: Router, app: OutageRouteDeps): void {
  api.get('/outages', async (ctx) => {
    const query = parseQuery(listQuery, ctx.query);
    const org = await app.orgs.current(app.db);
    let areaChain: string[] | undefined;
    if (query.area !== undefined) {
      if (!org.area(query.area)) throw new ApiError(400, 'unknown_area', `区域「${query.area}」不在本公司供区`);
      areaChain = org.areaChain(query.area);
    }
    const items = await listOutages(app.db, areaChain, app.clock.now(), {
      ...(query.active === undefined ? {} : { active: query.active }),
      ...(query.kind ? { kind: query.kind } : {}),
      ...(query.from ? { from: fromShanghai(query.from) } : {}),
      ...(query.to ? { to: new Date(fromShanghai(query.to).getTime() + DAY_MS) } : {}),
      limit: query.limit,
    });
    ctx.body = { items: items.map(present), total: items.length };
  });

  api.post('/outages', async (ctx) => {
    const body = parseBody(publishBody, ctx.request.body);
    const outage = await inSession(app, body.publishedBy, actorOf(ctx), (session) =>
      publishOutage(session, {
        kind: body.kind,
        areas: body.areas,
        startsAt: body.startsAt,
        cause: body.cause,
        ...(body.restoreAt ? { restoreAt: body.restoreAt } : {}),
        ...(body.line ? { line: body.line } : {}),
        ...(body.voltageKv === undefined ? {} : { voltageKv: body.voltageKv }),
        ...(body.keyCustomers ? { keyCustomers: body.keyCustomers } : {}),
        ...(body.remarks ? { remarks: body.remarks } : {}),
        confirmed: body.confirm,
      }),
    );
    ctx.status = 201;
    ctx.body = { outage: present(outage) };
  });

  api.put('/outages/:no/end', async (ctx) => {
    const { endedBy } = parseBody(endSchema, ctx.request.body ?? {});
    const outage = await inSession(app, endedBy, actorOf(ctx), (session) => powerBack(session, ctx.params.no!));
    ctx.body = { outage: present(outage) };
  });
}

/** An outage row with its kind's Chinese name and whether it was published early enough. */
function present(outage: Outage) {
  const lead = noticeLeadTime(outage);
  return { ...outage, kindName: OUTAGE_KINDS[outage.kind], leadHours: lead.leadHours, requiredLeadHours: lead.requiredHours, late: lead.late, leadWarning: lead.warning };
}

/**
 * One API call as one person in one transaction, telling the chats concerned as a chat command would; a domain refusal
 * rolls it back, messages included, and becomes a 4xx. The token's holder is the call's reference, for the audit log.
 */
async function inSession<T>(app: OutageRouteDeps, userId: string, caller: string, step: (session: Session) => Promise<T>): Promise<T> {
  return app.db.transaction().execute(async (tx) => {
    const org = await app.orgs.current(tx);
    const via = { channel: 'api' as const, ref: caller, chatId: null };
    const out = new Outgoing();
    const result = await step(openSession(app, tx, org, userId, via, announcer(out)));
    await out.flush(tx, app.outbox);
    return result;
  });
}

function isoWithOffset(text: string): Date | undefined {
  if (!z.iso.datetime({ offset: true }).safeParse(text).success) return undefined;
  const at = new Date(text);
  return Number.isNaN(at.getTime()) ? undefined : at;
}

function safe(make: () => Date): Date | undefined {
  try {
    const at = make();
    return Number.isNaN(at.getTime()) ? undefined : at;
  } catch {
    return undefined;
  }
}
