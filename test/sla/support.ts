import { sql } from 'kysely';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { startApp, type RunningApp } from '../../src/app';
import { WorkCalendar } from '../../src/calendar/calendar';
import { loadCalendar } from '../../src/calendar/store';
import type { Clock } from '../../src/clock';
import { loadConfig } from '../../src/config';
import type { Db } from '../../src/db/database';
import type { ConnectionClass } from '../../src/db/schema';
import { orgSchema, type OrgDoc } from '../../src/domain/org';
import { OrgStore } from '../../src/domain/org/store';
import { handleTicketEvent } from '../../src/domain/sla';
import type { ClockDeps } from '../../src/domain/sla/clocks';
import { createSlaEngine } from '../../src/domain/sla/engine';
import { KINDS, type Kind } from '../../src/domain/tickets/machine';
import { outboxPort } from '../../src/wecom/outbox';
import { frozenClock, TEST_ADMIN_TOKEN } from '../support/app';
import { createTestDatabase, type TestDatabase } from '../support/db';

/** A small county organisation: the desk, a supply station, two departments and the leaders. */
export const ORG: OrgDoc = orgSchema.parse({
  company: '云阳县供电公司',
  units: [
    unit('desk', '客户服务班', 'desk', 'desk_lead', [['desk_lead', '刘班长'], ['desk_wang', '王值班', true]]),
    unit('chengguan', '城关供电所', 'supply_station', 'cg_lead', [['cg_lead', '李所长'], ['zhangsan', '张三', true], ['lisi', '李四', true], ['wangwu', '王五']]),
    unit('xiushi', '修试所', 'repair', 'xs_lead', [['xs_lead', '陈所长'], ['xs_a', '周工', true]]),
    unit('dispatch', '调度中心', 'dispatch', 'dd_lead', [['dd_lead', '吴主任']]),
    unit('marketing', '市场营销部', 'department', 'mk_lead', [['mk_lead', '赵主任'], ['mk_qian', '钱专责', true]]),
    unit('politics', '思想政治工作部', 'department', 'pw_lead', [['pw_lead', '孙部长'], ['pw_zhou', '周干事', true]]),
    unit('leaders', '公司领导', 'leadership', 'gm_he', [['gm_he', '何总经理'], ['vp_feng', '冯副总经理']]),
  ],
  areas: [{ name: '城关镇', level: '乡镇', class: 'urban', unit: 'chengguan' }],
  routing: {
    desk: 'desk',
    dispatch: 'dispatch',
    highVoltage: { fromKv: 35, unit: 'xiushi' },
    report: 'politics',
    categories: [{ name: '营销', unit: 'marketing' }],
    complaintCoordinator: 'vp_feng',
    otherFeedback: 'marketing',
  },
});

/** Every unit has a group robot, as a county sets up on day one; its key names the unit. */
function unit(id: string, name: string, type: string, leader: string, members: [string, string, boolean?][]) {
  return { id, name, type, chatId: `chat-${id}`, webhookKey: `robot-${id}`, leader, members: members.map(([userId, n, onDuty]) => ({ userId, name: n, ...(onDuty ? { onDuty } : {}) })) };
}

/** The real service on an existing database (several may share one, as processes would). */
export async function startAppOn(databaseUrl: string, clock: Clock, env: Record<string, string> = {}): Promise<RunningApp> {
  const config = loadConfig({
    DATABASE_URL: databaseUrl,
    PORT: '0',
    HOST: '127.0.0.1',
    ADMIN_TOKEN: TEST_ADMIN_TOKEN,
    LOG_LEVEL: 'silent',
    ...(env.WECOM_BOT_ID ? {} : { SANDBOX: '1' }),
    ...env,
  });
  return startApp(config, { clock, logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }) });
}

export async function seedOrg(db: Db, clock: Clock): Promise<void> {
  await db.insertInto('org_versions').values({ doc: JSON.stringify(ORG), source: 'api', created_at: clock.now() }).execute();
}

export interface TestTicket {
  id: number;
  no: string;
  kind: Kind;
  areaClass: 'urban' | 'rural' | 'remote' | null;
  connectionClass: ConnectionClass | null;
  unitId: string | null;
}

let sequence = 0;

/** A ticket row as the ticket code would write it; its events are then told to the clocks with `tell`. */
export async function openTicket(
  db: Db,
  at: Date,
  kind: Kind,
  owner: { areaClass?: TestTicket['areaClass']; unitId: string | null; connectionClass?: ConnectionClass },
): Promise<TestTicket> {
  sequence += 1;
  const no = `${KINDS[kind].prefix}20261124-${String(sequence).padStart(4, '0')}-${Math.random().toString(36).slice(2, 6)}`;
  const row = await db
    .insertInto('tickets')
    .values({
      no,
      kind,
      state: 'received',
      area_class: owner.areaClass ?? null,
      owner_unit_id: owner.unitId,
      connection_class: owner.connectionClass ?? null,
      description: '测试工单',
      opened_by: 'desk_wang',
      source_chat_id: 'chat-desk',
      created_at: at,
      updated_at: at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, no, kind, areaClass: owner.areaClass ?? null, connectionClass: owner.connectionClass ?? null, unitId: owner.unitId };
}

/**
 * What `tell` and `advance` need of a process: its database, clock and calendar, and its SLA engine. The whole service
 * (`RunningApp`) is one; `startSlaEngine` builds just these, for rules that need no HTTP, Agenda or WeCom.
 */
export interface SlaHost {
  ctx: ClockDeps & { db: Db; clock: Clock };
  jobs: { services: { sla: { sweep(): Promise<void> } } };
}

export interface SlaOnly extends SlaHost {
  clock: Clock;
  database: TestDatabase;
  /**
   * Forgets every ticket, clock, timer and message and sets the clock to `at`: the next case starts as on a fresh
   * database (the policies, calendar and organisation stay), without the second a new database costs.
   */
  reset(at: Date): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The SLA engine of the service, built as src/app.ts builds it, on a fresh database with the organisation of ORG seeded:
 * the clocks, timers, nags and outbox rows are the real ones; nothing sends them.
 */
export async function startSlaEngine(clock = frozenClock()): Promise<SlaOnly> {
  const database = await createTestDatabase();
  const config = loadConfig({ DATABASE_URL: database.url, LOG_LEVEL: 'silent', SANDBOX: '1' });
  const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const calendar = await loadCalendar(database.db, new WorkCalendar());
  await seedOrg(database.db, clock);
  const orgs = new OrgStore();
  const ctx = { config, logger, clock, db: database.db, calendar, metrics: new Registry(), outbox: outboxPort(clock, 'sla-test-bot') };
  const sla = createSlaEngine(ctx, (executor) => orgs.current(executor));
  return {
    ctx,
    clock,
    database,
    jobs: { services: { sla } },
    async reset(at) {
      await sql`TRUNCATE tickets, sla_clocks, sla_timers, outbox RESTART IDENTITY CASCADE`.execute(database.db);
      clock.freeze(at);
    },
    async stop() {
      await sla.stop();
      await database.close();
    },
  };
}

/** Tells the clocks of a ticket event, in its own transaction, as the transition function does. */
export async function tell(app: SlaHost, ticket: TestTicket, event: string, at = app.ctx.clock.now()): Promise<void> {
  await app.ctx.db.transaction().execute((tx) =>
    handleTicketEvent(tx, app.ctx, {
      ticketId: ticket.id,
      ticketNo: ticket.no,
      kind: ticket.kind,
      areaClass: ticket.areaClass,
      connectionClass: ticket.connectionClass,
      unitId: ticket.unitId,
      event,
      at,
    }),
  );
}

/** Moves the clock and waits until every app has fired what became due. */
export async function advance(apps: SlaHost[], clocks: Clock[], ms: number): Promise<void> {
  for (const clock of clocks) clock.advance(ms);
  await Promise.all(apps.map((app) => app.jobs.services.sla.sweep()));
}

export interface Nag {
  ticketNo: string;
  policy: string;
  step: string;
  chatId: string;
  /** The consolidated message that told the step (other tickets' lines too). */
  text: string;
  /** Who its group-robot @ line woke. */
  mentions: string[];
  status: string;
}

/** Every SLA step told, oldest first, with the policy, the message that told it and the @ that went with it. */
export async function nags(db: Db, ticketNo?: string): Promise<Nag[]> {
  let query = db
    .selectFrom('sla_timers as t')
    .innerJoin('outbox as o', 'o.id', 't.message_id')
    .leftJoin('outbox as w', (join) => join.on(sql<boolean>`w.dedupe_key = replace(o.dedupe_key, '#0', '#1')`))
    .innerJoin('sla_clocks as c', 'c.id', 't.clock_id')
    .innerJoin('sla_policies as p', 'p.id', 'c.policy_id')
    .innerJoin('tickets as k', 'k.id', 'c.ticket_id')
    .select(['k.no', 'p.code', 't.step', 'o.chat_id', 'o.body', 'o.status', 'w.body as at'])
    .orderBy('o.id')
    .orderBy('t.fire_at')
    .orderBy('t.id');
  if (ticketNo) query = query.where('k.no', '=', ticketNo);
  const rows = await query.execute();
  return rows.map((row) => ({
    ticketNo: row.no,
    policy: row.code,
    step: row.step,
    chatId: row.chat_id,
    text: (row.body as { markdown: { content: string } }).markdown.content,
    mentions: (row.at as { text?: { mentioned_list?: string[] } } | null)?.text?.mentioned_list ?? [],
    status: row.status,
  }));
}

export const MINUTE = 60_000;
