import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import type { Clock } from '../../src/clock';
import { connectDatabase, type DatabaseHandle } from '../../src/db/database';
import type { InboundHandler } from '../../src/protocol/inbound';
import { startWecom, type WecomOptions, type WecomTransport } from '../../src/wecom/index';
import { FakeWeCom, type FakeWeComOptions } from '../../fake-wecom/index';
import { frozenClock } from '../support/app';
import { createTestDatabase, type TestDatabase } from '../support/db';

/**
 * One fake WeCom, one database and one frozen clock, with any number of bot processes (each its own pool and
 * metrics, as separate processes would have) started against them. Timings are shortened; WeCom's own are not.
 */
export const BOT = { botId: 'bot-95598', secret: 'secret-95598', name: '95598客服' };

export interface BotProcess {
  transport: WecomTransport;
  pool: DatabaseHandle;
  metrics: Registry;
  /** Warnings and errors this process logged, parsed. */
  logs: { level: number; msg: string; [key: string]: unknown }[];
}

export interface Harness {
  clock: Clock;
  fake: FakeWeCom;
  database: TestDatabase;
  /** The inbox journal directory the harness's bots share, as processes on one machine do. */
  journalDir: string;
  startBot(handler?: InboundHandler, options?: Partial<WecomOptions>): BotProcess;
  /** Moves the app clock (and so the fake's) in steps until `done()` holds; real time stays short. */
  pump(done: () => boolean | Promise<boolean>, opts?: { stepMs?: number; timeoutMs?: number }): Promise<void>;
  close(): Promise<void>;
}

export const noop: InboundHandler = async () => undefined;

export async function harness(fakeOptions: FakeWeComOptions = {}): Promise<Harness> {
  const clock = frozenClock();
  const database = await createTestDatabase();
  const fake = await FakeWeCom.start({ bots: [BOT], now: () => clock.nowMs(), ...fakeOptions });
  // One machine's journal directory, shared by the harness's bot processes as by processes on one host.
  const journalDir = await mkdtemp(path.join(tmpdir(), 'wtb-journal-'));
  const bots: BotProcess[] = [];
  return {
    clock,
    fake,
    database,
    journalDir,
    startBot(handler = noop, options = {}) {
      const pool = connectDatabase(database.url, 5);
      const metrics = new Registry();
      const logs: BotProcess['logs'] = [];
      const echo = process.env.TEST_LOG_LEVEL;
      const logger = pino(
        { level: echo ?? 'warn' },
        {
          write(line: string) {
            const entry = JSON.parse(line) as BotProcess['logs'][number];
            if (entry.level >= 40) logs.push(entry);
            if (echo) process.stdout.write(line);
          },
        },
      );
      const transport = startWecom(
        { logger, clock, db: pool.db, metrics, database: { url: database.url } },
        {
          ...BOT,
          wsUrl: fake.wsUrl,
          apiBase: fake.apiBase,
          handler,
          lockRetryMs: 200,
          heartbeatIntervalMs: 1000,
          reconnectIntervalMs: 50,
          inboundRetryDelayMs: 10,
          journalDir,
          ...options,
        },
      );
      const bot = { transport, pool, metrics, logs };
      bots.push(bot);
      return bot;
    },
    async pump(done, { stepMs = 1000, timeoutMs = 10_000 } = {}) {
      const deadline = Date.now() + timeoutMs;
      while (!(await done())) {
        if (Date.now() > deadline) throw new Error(`pump: condition not met within ${timeoutMs} ms real time`);
        clock.advance(stepMs);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    async close() {
      for (const bot of bots) {
        await bot.transport.stop().catch(() => undefined);
        await bot.pool.close();
      }
      await fake.close();
      await database.close();
      await rm(journalDir, { recursive: true, force: true });
    },
  };
}

/** Polls in real time (for things no clock controls: sockets, locks). */
export async function eventually<T>(fn: () => T | Promise<T>, timeoutMs = 5000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`eventually: not true within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export async function metricValue(registry: Registry, name: string, labels: Record<string, string> = {}): Promise<number> {
  const metric = registry.getSingleMetric(name);
  if (!metric) return 0;
  const { values } = await metric.get();
  return values
    .filter((v) => Object.entries(labels).every(([k, want]) => String((v.labels as Record<string, unknown>)[k]) === want))
    .reduce((sum, v) => sum + v.value, 0);
}

export async function outboxRows(database: TestDatabase) {
  return database.db.selectFrom('outbox').selectAll().orderBy('id').execute();
}

export async function pendingOutbox(database: TestDatabase): Promise<number> {
  const row = await database.db
    .selectFrom('outbox')
    .select(sql<number>`count(*)`.as('n'))
    .where('status', '=', 'pending')
    .executeTakeFirstOrThrow();
  return row.n;
}

/** What the bot said in a chat, as the people there see it. */
export function botSaid(fake: FakeWeCom, chatId: string): string[] {
  return fake
    .transcript(chatId)
    .filter((e) => e.from === 'bot')
    .map((e) => e.content);
}
