import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Clock } from '../../src/clock';
import { startApp, type RunningApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { createLogger, LogEventTap } from '../../src/log';
import { DEMO_BOT } from '../../fake-wecom/index';
import { createTestDatabase, type TestDatabase } from './db';
import { SecretScan } from './secret-scan';

export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789';

export interface TestApp extends RunningApp {
  clock: Clock;
  database: TestDatabase;
  /** What this app's log lines and API answers are checked against; `stop()` fails on a leak. */
  secretScan: SecretScan;
  /** Admin API call with the bearer token. */
  api(path: string, init?: { method?: string; body?: unknown; token?: string | null }): Promise<Response>;
}

export interface TestAppOptions {
  /** The service's own logger, handing its warnings and errors to this tap (as `npm start` does), instead of a silent one. */
  logEvents?: LogEventTap;
}

/**
 * The real service on a fresh database, a random port and a frozen clock. The operations messages (self-check, weekly
 * and monthly) are off unless `OPS_REPORTS: '1'`: a frozen clock at 10:00 would otherwise put a self-check into every
 * story's desk chat.
 */
export async function startTestApp(env: Record<string, string> = {}, clock = frozenClock(), options: TestAppOptions = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  // The service's local files (the inbox journal) in a directory of its own, never the working tree's.
  const dataDir = await mkdtemp(path.join(tmpdir(), 'wtb-data-'));
  const config = loadConfig({
    DATA_DIR: dataDir,
    DATABASE_URL: database.url,
    PORT: '0',
    HOST: '127.0.0.1',
    ADMIN_TOKEN: TEST_ADMIN_TOKEN,
    LOG_LEVEL: 'silent',
    OPS_REPORTS: '0',
    // Without bot settings the tests play the sandbox on their throw-away database: on purpose, as production must say.
    ...(env.WECOM_BOT_ID ? {} : { SANDBOX: '1' }),
    ...env,
  });
  const level = process.env.TEST_LOG_LEVEL ?? 'silent';
  const { logEvents } = options;
  const scan = new SecretScan();
  scan.watch(TEST_ADMIN_TOKEN, config.LEADER_TOKEN, config.WECOM_BOT_SECRET, DEMO_BOT.secret, new URL(database.url).password || undefined);
  const logger = logEvents ? createLogger(level, 1, logEvents) : scan.logger();
  const app = await startApp(config, { clock, logger, ...(logEvents && { logEvents }) });
  scan.watch(app.leaderToken, ...(await app.ctx.orgs.current(app.ctx.db).then((org) => org.doc.units.map((unit) => unit.webhookKey), () => [])));
  return {
    ...app,
    clock,
    database,
    secretScan: scan,
    async stop() {
      await app.stop();
      await database.close();
      await rm(dataDir, { recursive: true, force: true });
      scan.assertClean();
    },
    async api(path, init = {}) {
      const token = init.token === undefined ? TEST_ADMIN_TOKEN : init.token;
      const response = await fetch(app.url + path, {
        method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
      });
      scan.check(await response.clone().text(), `${init.method ?? 'GET'} ${path}`);
      return response;
    },
  };
}

/** The service's WeCom settings for a bot of the fake WeCom (so the service runs as in production, not the sandbox). */
export function wecomEnv(fake: { wsUrl: string; apiBase: string }, bot: { botId: string; secret: string }): Record<string, string> {
  return { WECOM_BOT_ID: bot.botId, WECOM_BOT_SECRET: bot.secret, WECOM_WS_URL: fake.wsUrl, WECOM_API_BASE: fake.apiBase };
}

/** Tuesday 24 November 2026, 10:00 in Shanghai: an ordinary working morning. */
export function frozenClock(at = new Date('2026-11-24T10:00:00+08:00')): Clock {
  const clock = new Clock();
  clock.freeze(at);
  return clock;
}
