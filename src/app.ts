/**
 * The composition root (see ARCHITECTURE.md): main → app → {wecom, http, console, jobs-runtime} → commands/jobs → chat →
 * domain → {protocol, faq, db, clock, calendar}. Only main.ts and tests import this file; it hands every module the small
 * set of things that module declares it needs.
 */
import { silentGroups } from './domain/heard-chats';
import path from 'node:path';
import type { Server } from 'node:http';
import type { Registry } from 'prom-client';
import { z } from 'zod';
import { resolveAdminToken, resolveLeaderToken } from './admin-token';
import { createInboundHandler } from './chat/index';
import { mediaFetcher } from './wecom/media-download';
import { inquiryLapses } from './chat/lapses';
import { createOutageEnds } from './chat/outage-ends';
import { Clock } from './clock';
import { ConfigError, isSandbox, listenHost, type Config } from './config';
import { consoleRoutes } from './console/console';
import { SANDBOX_BOT_ID, startSandbox } from './console/sandbox';
import { restoreSandboxClock } from './console/sandbox-world';
import type { Db } from './db/database';
import { openDatabase, type OpenDatabase } from './db/open';
import { realBotServed, recordRealBot } from './db/service-facts';
import { WorkCalendar } from './calendar/calendar';
import { loadCalendar } from './calendar/store';
import { watchCalendar } from './calendar/watch';
import { OrgStore, seedOrgIfEmpty } from './domain/org/store';
import { unwakeable } from './domain/org/wake';
import { createFaqService, type FaqService } from './faq/service';
import { auditRoutes } from './http/audit-routes';
import { boardRoutes } from './http/board-routes';
import { calendarRoutes } from './http/calendar-routes';
import { exportRoutes } from './http/export-routes';
import { faqRoutes } from './http/faq-routes';
import { orgRoutes } from './http/org-routes';
import { outageRoutes } from './http/outage-routes';
import { reportRoutes } from './http/report-routes';
import { createHttp, createMetricsRegistry, serverUrl, type ReadinessCheck } from './http/server';
import { slaRoutes } from './http/sla-routes';
import { ticketRoutes } from './http/ticket-routes';
import { tokenRoutes } from './http/token-routes';
import { tokenAuthority } from './domain/api-tokens';
import { rememberConfiguredSecrets, rememberSecret } from './secrets';
import { COMMANDS } from '../commands';
import { JOBS } from '../jobs';
import { startJobs, type JobRuntime } from './jobs-runtime';
import { createBackupService } from './backup/backup';
import { createDigestService } from './domain/reports/digest';
import { createMonthlyService } from './domain/reports/monthly';
import { createSlaEngine } from './domain/sla/engine';
import { nagProgress } from './domain/sla/overdue';
import { createLogger, LogEventTap, type Logger } from './log';
import { createOpsService, recordLogEvents } from './domain/ops/index';
import { NOT_CONNECTED, type MarketingSystem } from './domain/marketing';
import { httpMarketing } from './marketing/http-marketing';
import type { OutboxPort } from './protocol/outbound';
import { startWecom } from './wecom/index';
import { outboxPort } from './wecom/outbox';
import { workingHolder } from './wecom/lease-store';

// Every message zod writes by itself (a missing field, an unknown key) reaches desk staff or admins: in Chinese.
z.config(z.locales.zhCN());

/** Everything a feature module needs, built once per process. */
export interface AppContext {
  config: Config;
  logger: Logger;
  clock: Clock;
  db: Db;
  database: OpenDatabase;
  calendar: WorkCalendar;
  metrics: Registry;
  /** Knowledge base for inquiries (咨询). */
  faq: FaqService;
  /** The organisation, shared by every reader in this process. */
  orgs: OrgStore;
  /** Where every message the bot sends is queued. */
  outbox: OutboxPort;
  /** Where consumption, bill, payment and connection queries are asked. */
  marketing: MarketingSystem;
}

export interface RunningApp {
  ctx: AppContext;
  url: string;
  adminToken: string;
  leaderToken: string;
  /** Which tokens this start generated: the entry point shows those once (`npm run token` shows them again). */
  tokensCreated: { admin: boolean; leader: boolean };
  sandbox: boolean;
  botId: string;
  /** Every route behind the API guard, as the router holds it (for the guard's own tests and the route list). */
  apiRoutes: { method: string; path: string }[];
  jobs: JobRuntime;
  stop(): Promise<void>;
}

export interface StartOptions {
  clock?: Clock;
  logger?: Logger;
  /** The tap `logger` hands its warnings and errors to (createLogger's `events`); they are stored for the weekly review. */
  logEvents?: LogEventTap;
}

/** Starts the whole service; `stop()` undoes it in reverse order. */
export async function startApp(config: Config, options: StartOptions = {}): Promise<RunningApp> {
  const logEvents = options.logEvents ?? (options.logger ? undefined : new LogEventTap());
  const logger = options.logger ?? createLogger(config.LOG_LEVEL, 1, logEvents);
  const clock = options.clock ?? new Clock();
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) {
      await stop().catch((error: unknown) => logger.error({ err: error }, 'shutdown step failed'));
    }
    stops.length = 0;
  };

  rememberConfiguredSecrets(config);
  try {
    const database = await openDatabase(config, logger);
    rememberConfiguredSecrets({ DATABASE_URL: database.url });
    stops.push(() => database.close());
    if (logEvents) {
      logEvents.attach({ now: () => clock.now(), write: (events) => recordLogEvents(database.db, events) });
      // Stopped after everything else and before the database closes: the warnings of the shutdown are kept too.
      stops.push(() => logEvents.detach());
    }
    await refuseAccidentalSandbox(config, database.db);
    const botId = config.WECOM_BOT_ID ?? SANDBOX_BOT_ID;
    const calendar = await loadCalendar(database.db, new WorkCalendar());
    // A calendar changed by any process (a confirmed notice, an override) is reloaded here at once.
    const calendarWatch = await watchCalendar({ databaseUrl: database.url, db: database.db, calendar, logger: logger.child({ module: 'calendar' }) });
    stops.push(() => calendarWatch.stop());
    const metrics = createMetricsRegistry();
    const faq = await createFaqService({ db: database.db, clock, logger });
    await seedOrgIfEmpty(database.db, clock, config.ORG_FILE, logger);
    const orgs = new OrgStore();
    const ctx: AppContext = { config, logger, clock, db: database.db, database, calendar, metrics, faq, orgs, outbox: outboxPort(clock, botId), marketing: marketingSystem(config, logger) };

    const readiness: ReadinessCheck[] = [
      { name: 'database', check: async () => (await database.pool.query('SELECT 1')).rowCount === 1 },
    ];
    const { token: adminToken, created } = await resolveAdminToken(database.db, config.ADMIN_TOKEN);
    const leader = await resolveLeaderToken(database.db, config.LEADER_TOKEN);
    const leaderToken = leader.token;
    for (const secret of [adminToken, leaderToken]) rememberSecret(secret);
    const http = createHttp({
      logger,
      authenticate: tokenAuthority(database.db, { admin: adminToken, leader: leaderToken }),
      metrics,
      readiness,
      readinessDetails: async () => {
        const org = await orgs.current(database.db);
        return {
          withoutWebhook: unwakeable(org).map((unit) => unit.name),
          // WeCom refuses pushes into these until someone there @-s the bot.
          notActivated: (await silentGroups(database.db, org)).map((g) => g.unit),
        };
      },
    });
    calendarRoutes(http.api, { db: database.db, calendar, clock, config });
    auditRoutes(http.api, database.db);
    tokenRoutes(http.api, database.db, clock);
    slaRoutes(http.api, database.db, clock);
    orgRoutes(http.api, database.db, clock, orgs);
    ticketRoutes(http.api, ctx);
    outageRoutes(http.api, ctx);
    reportRoutes(http.api, ctx);
    boardRoutes(http.api, ctx);
    exportRoutes(http.api, ctx);
    const services = {
      sla: createSlaEngine(ctx, (executor) => orgs.current(executor)),
      digest: createDigestService(ctx),
      backup: createBackupService(ctx),
      monthly: createMonthlyService(ctx),
      inquiries: inquiryLapses(ctx),
      outages: createOutageEnds(ctx),
      ops: createOpsService(ctx, botId, () => workingHolder(database.db, botId)),
    };
    // The sandbox's clock is put back where it was moved to before anything reads it (jobs, the outbox).
    const sandboxAheadMs = isSandbox(config) ? await restoreSandboxClock(database.db, clock) : 0;
    const jobs = await startJobs({ databaseUrl: database.url, clock, logger }, services, JOBS);
    stops.push(() => jobs.stop());
    readiness.push({ name: 'jobs', check: () => jobs.ready() });
    faqRoutes(http.api, faq, clock);
    consoleRoutes(http.root);
    // Without credentials the bot connects to the sandbox's in-process WeCom instead.
    const sandbox = isSandbox(config) ? await startSandbox(ctx, http.root, () => orgs.current(database.db), sandboxAheadMs) : undefined;
    if (sandbox) stops.push(() => sandbox.close());
    const account =
      sandbox?.wecom ??
      (config.WECOM_BOT_ID && config.WECOM_BOT_SECRET
        ? { botId: config.WECOM_BOT_ID, secret: config.WECOM_BOT_SECRET, wsUrl: config.WECOM_WS_URL, apiBase: config.WECOM_API_BASE }
        : undefined);
    if (account) {
      const wecom = startWecom(ctx, {
        ...account,
        handler: createInboundHandler({ ...ctx, media: mediaFetcher(logger) }, COMMANDS),
        journalDir: path.join(path.resolve(config.DATA_DIR), 'journal', account.botId),
        deskChatId: async () => (await orgs.current(database.db)).desk.chatId,
        chatName: async (chatId) => (await orgs.current(database.db)).doc.units.find((u) => u.chatId === chatId)?.name,
        nagProgress: (clockIds) => nagProgress(database.db, clockIds),
        simulated: sandbox !== undefined,
        ...(!sandbox && {
          onConnected: () =>
            void recordRealBot(database.db, account.botId).catch((error: unknown) => logger.warn({ err: error }, 'could not record the real bot')),
        }),
      });
      stops.push(() => wecom.stop());
      readiness.push(wecom.readiness);
      if (sandbox) await sandbox.botConnected();
    }

    const host = listenHost(config);
    const server = await http.listen(config.PORT, host);
    stops.push(() => closeServer(server));
    const url = serverUrl(server, host);
    const tokensCreated = { admin: created, leader: leader.created };
    const apiRoutes = http.api.stack.flatMap((layer) =>
      layer.methods.filter((method) => method !== 'HEAD').map((method) => ({ method, path: String(layer.path) })),
    );
    return { ctx, url, adminToken, leaderToken, tokensCreated, sandbox: isSandbox(config), botId, apiRoutes, jobs, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/**
 * Without credentials the sandbox runs only on purpose (SANDBOX=1, or an embedded database; `DATABASE_URL` without
 * credentials is refused by the configuration already), and never on a database that has served a real bot, even on
 * purpose: its fast-forward would fire real tickets' deadlines and its tickets would sit among the real ones.
 */
async function refuseAccidentalSandbox(config: Config, db: Db): Promise<void> {
  if (!isSandbox(config)) return;
  const served = await realBotServed(db);
  if (served) {
    throw new ConfigError(
      `拒绝启动 refusing to start the sandbox: this database served the real WeCom bot ${served}, and the sandbox never runs on real work; set WECOM_BOT_ID and WECOM_BOT_SECRET, or give the sandbox a database of its own (another DATA_DIR or DATABASE_URL)`,
    );
  }
}

/** The marketing system's HTTP adapter when `MARKETING_API_BASE` is set; otherwise queries go to the desk. */
function marketingSystem(config: Config, logger: Logger): MarketingSystem {
  return config.MARKETING_API_BASE ? httpMarketing({ baseUrl: config.MARKETING_API_BASE, logger }) : NOT_CONNECTED;
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
