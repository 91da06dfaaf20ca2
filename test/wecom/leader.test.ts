import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { markdown, type Outbound } from '../../src/protocol/outbound';
import { enqueue } from '../../src/wecom/outbox';
import { BOT, botSaid, eventually, harness, noop, outboxRows, pendingOutbox, type BotProcess, type Harness } from './harness';

let h: Harness;
afterEach(() => h.close());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function queueNotices(chatId: string, from: number, to: number): Promise<void> {
  const messages: Outbound[] = [];
  for (let n = from; n <= to; n++) messages.push({ channel: 'push', chatId, body: markdown(`抢修进度 ${n}`) });
  await h.database.db.transaction().execute((tx) => enqueue(tx, h.clock, BOT.botId, messages));
}

async function twoProcesses(lockRetryMs: number): Promise<{ holder: BotProcess; follower: BotProcess }> {
  const a = h.startBot(noop, { lockRetryMs });
  const b = h.startBot(noop, { lockRetryMs });
  const holder = await eventually(() => [a, b].find((p) => p.transport.isConnected()));
  return { holder, follower: holder === a ? b : a };
}

describe('one connection holder among several bot processes', () => {
  it('lets exactly one process connect; when it dies the other takes over within 15 s and sends the queue once', async () => {
    h = await harness();
    // Production's lease period: renewed every second, taken over after five.
    const { holder, follower } = await twoProcesses(1000);
    await sleep(2500); // several rounds in which the follower tries the lock
    expect(holder.transport.isHolder()).toBe(true);
    expect(follower.transport.isHolder()).toBe(false);
    expect(h.fake.connections().filter((c) => c.live)).toHaveLength(1);
    expect(h.fake.subscribeCount()).toBe(1);
    expect(await follower.transport.readiness.check()).toBe(true);

    await h.fake.userSays({ chatId: 'wrgroup-repair', userId: 'desk01', text: '订阅' });
    await queueNotices('wrgroup-repair', 1, 5);
    await eventually(async () => (await pendingOutbox(h.database)) === 0);

    holder.transport.kill();
    const killedAt = Date.now();
    await queueNotices('wrgroup-repair', 6, 10);
    await eventually(() => follower.transport.isConnected(), 15_000);
    expect(Date.now() - killedAt).toBeLessThan(15_000);
    await eventually(async () => (await pendingOutbox(h.database)) === 0);

    expect(botSaid(h.fake, 'wrgroup-repair')).toEqual(Array.from({ length: 10 }, (_, i) => `抢修进度 ${i + 1}`));
    expect((await outboxRows(h.database)).every((row) => row.status === 'sent' && row.attempts === 1)).toBe(true);
    expect(h.fake.subscribeCount()).toBe(2);
  });

  it('keeps the connection through a lost lease connection, and drops it when its lease is taken over', async () => {
    h = await harness();
    const { holder, follower } = await twoProcesses(500);
    // The database ends the holder's lease session, as a server restart does: the lease outlives it.
    await sql`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name LIKE 'wecom-lease %'`.execute(h.database.db);
    await sleep(1500);
    expect(holder.transport.isConnected()).toBe(true);
    expect(holder.transport.isHolder()).toBe(true);
    expect(follower.transport.isHolder()).toBe(false);

    // The holder can no longer renew (the database refuses its renewals, as behind a network partition): its lease
    // runs out and the follower takes over with a new epoch.
    const { holder: holderId } = await h.database.db.selectFrom('wecom_leases').select('holder').executeTakeFirstOrThrow();
    await sql`CREATE FUNCTION refuse_renewal() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF OLD.holder = ${sql.lit(holderId)} AND NEW.holder = OLD.holder THEN RAISE EXCEPTION 'renewal refused'; END IF;
        RETURN NEW;
      END $$`.execute(h.database.db);
    await sql`CREATE TRIGGER partition BEFORE UPDATE ON wecom_leases FOR EACH ROW EXECUTE FUNCTION refuse_renewal()`.execute(h.database.db);
    await eventually(() => follower.transport.isConnected(), 10_000);
    await sql`DROP TRIGGER partition ON wecom_leases`.execute(h.database.db);
    await eventually(() => !holder.transport.isHolder(), 5000);
    await eventually(() => holder.transport.readiness.check(), 5000); // a follower now, and someone holds a working connection
    await eventually(() => h.fake.connections().filter((c) => c.live).length === 1);
    expect(holder.logs.some((entry) => entry.msg.includes('lost the WeCom lease'))).toBe(true);
  });

  it('stays off when WeCom hands the bot to another connection, instead of kicking it back', async () => {
    h = await harness();
    const bot = h.startBot();
    await eventually(() => bot.transport.isConnected());
    await h.fake.takeover();
    await eventually(() => !bot.transport.isConnected());
    await sleep(1000);
    expect(h.fake.subscribeCount()).toBe(1);
    expect(bot.transport.isHolder()).toBe(true);
    expect(await bot.transport.readiness.check()).toBe(false);
    expect(bot.logs.some((entry) => entry.msg.includes('disconnected_event'))).toBe(true);
  });
});
