import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../../src/db/embedded';
import { orgSchema } from '../../src/domain/org';
import { FakeWeCom, type FakeWeComOptions } from '../../fake-wecom/index';
import { runService, waitForOk, type ServiceProcess } from '../support/process';
import { TEST_ADMIN_TOKEN } from '../support/app';

/** The bot as a real child process (`npm start`) against the fake WeCom on loopback, on one test database. */
export const BOT = { botId: 'bot-reliability', secret: 'secret-reliability-0123', name: '95598客服' };

/** The organisation the bot serves. */
export const ORG = orgSchema.parse(JSON.parse(readFileSync(new URL('../../config/org.example.json', import.meta.url), 'utf8')));

export async function fakeWecom(options: FakeWeComOptions = {}): Promise<FakeWeCom> {
  return FakeWeCom.start({
    bots: [BOT],
    pushRequiresActivation: false,
    // Storms fold into lists on the bot's side; the fake need not hold it back further (unless a test says so).
    rateLimit: { perMinute: 1_000_000, perHour: 1_000_000 },
    // These runs kill and restart holders many times a minute, far more often than a county's bot ever restarts; the
    // subscribe limit itself is the fake's own test's business (test/fake-wecom/connection.test.ts).
    subscribeLimit: { limit: 1_000, windowMs: 60_000, errcode: 45009 },
    webhookKeys: ORG.units.flatMap((unit) => (unit.webhookKey ? [{ key: unit.webhookKey, chatId: unit.chatId }] : [])),
    ...options,
  });
}

export interface BotChild extends ServiceProcess {
  url: string;
}

/**
 * The machine's data directory (the inbox journal), one per test file and shared by the bots it starts, as by
 * processes on one host; never the working tree's.
 */
const DATA_DIR = mkdtempSync(path.join(tmpdir(), 'wtb-reliability-'));

export async function startBot(fake: FakeWeCom, databaseUrl: string, env: Record<string, string> = {}): Promise<BotChild> {
  const port = await freePort();
  const child = runService({
    DATABASE_URL: databaseUrl,
    DATA_DIR,
    PORT: String(port),
    HOST: '127.0.0.1',
    ADMIN_TOKEN: TEST_ADMIN_TOKEN,
    LOG_LEVEL: 'warn',
    WECOM_BOT_ID: BOT.botId,
    WECOM_BOT_SECRET: BOT.secret,
    WECOM_WS_URL: fake.wsUrl,
    WECOM_API_BASE: fake.apiBase,
    ...env,
  });
  const url = `http://127.0.0.1:${port}`;
  // A start on two cores shared with other work can take half a minute (tsx compiling, migrations).
  await waitForOk(`${url}/healthz`, 60_000, child);
  return { ...child, url };
}

/** Resolves once some process holds a working connection (the bot's /readyz, which says so for the holder and others). */
export async function ready(bot: BotChild, timeoutMs = 30_000): Promise<number> {
  return waitForOk(`${bot.url}/readyz`, timeoutMs, bot);
}

export async function until(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Per ticket number, how often the crews' chats showed it as work: a card, or a line of a folded list. */
export function workShown(fake: FakeWeCom, crewChats: string[]): { first: Map<string, number>; resent: Map<string, number> } {
  const first = new Map<string, number>();
  const resent = new Map<string, number>();
  for (const chatId of crewChats) {
    for (const entry of fake.transcript(chatId)) {
      if (entry.from !== 'bot' || entry.kind === 'webhook') continue;
      if (entry.kind !== 'card' && !entry.content.includes('【消息汇总】')) continue;
      const tally = entry.content.includes('（重发）') ? resent : first;
      for (const no of new Set(entry.content.match(/[A-Z]{2}\d{8}-\d{4}/g) ?? [])) tally.set(no, (tally.get(no) ?? 0) + 1);
    }
  }
  return { first, resent };
}

export const CREW_CHATS = ORG.units.filter((unit) => unit.type !== 'desk').map((unit) => unit.chatId);
