import { afterAll, describe, expect, it } from 'vitest';
import type { FakeWeCom } from '../../fake-wecom/index';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { CREW_CHATS, fakeWecom, ready, sleep, startBot, until, workShown, type BotChild } from './bot-process';

/**
 * kill -9 of the connection holder in the middle of a burst of 500 fault reports from 50 people (10 each, so each
 * chat's handling queues up behind its earlier reports). Nothing is redelivered: every frame WeCom put on the socket
 * before the kill must already be in the inbox, and the next holder turns each into one ticket, one reply and one card.
 */
const PEOPLE = 50;
const REPORTS = 500;
const report = (i: number) => `/报修 城关镇 人民路${i + 1}号 门口 变压器冒烟 张三 139${String(i).padStart(8, '0')}`;
const caller = (i: number) => `caller-${i % PEOPLE}`;

let fake: FakeWeCom;
let database: TestDatabase;
const bots: BotChild[] = [];
afterAll(async () => {
  for (const bot of bots) if (bot.child.exitCode === null) bot.child.kill('SIGKILL');
  await fake?.close();
  await database?.close();
});

describe('kill -9 under a burst', () => {
  it('500 reports, the holder killed mid-burst: each report one ticket, one reply, one card, without redelivery', async () => {
    database = await createTestDatabase();
    fake = await fakeWecom();
    const first = await startBot(fake, database.url);
    bots.push(first);
    await ready(first);

    const sent: { i: number; msgId: string }[] = [];
    const say = async (i: number) => {
      const { msgId, delivered } = await fake.userSays({ chatType: 'single', userId: caller(i), text: report(i) });
      expect(delivered).toBe(true);
      sent.push({ i, msgId });
    };
    for (let i = 0; i < REPORTS / 2; i++) await say(i);
    // Long enough for the process to read the socket; far too short to handle 250 reports 10 deep per chat.
    await sleep(300);
    first.child.kill('SIGKILL');
    await first.exited;
    const killedAt = Date.now();
    const handled = await database.db.selectFrom('tickets').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const second = await startBot(fake, database.url);
    bots.push(second);
    await ready(second);
    const takeoverMs = Date.now() - killedAt;
    // Counted before the next holder sees any new frame (inserts the dead process had sent still commit in the server).
    const stored = await database.db.selectFrom('inbox').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    for (let i = REPORTS / 2; i < REPORTS; i++) await say(i);

    const tickets = () => database.db.selectFrom('tickets').select(['no', 'phone']).execute();
    await until(async () => (await tickets()).length >= REPORTS, 60_000, 'every report a ticket');
    const all = await tickets();
    const replies = () =>
      Array.from({ length: PEOPLE }, (_, k) => fake.transcript(`caller-${k}`).filter((e) => e.from === 'bot' && e.content.includes('已受理')).length);
    await until(() => replies().reduce((a, b) => a + b, 0) >= REPORTS, 60_000, 'every report answered');
    await until(() => workShown(fake, CREW_CHATS).first.size >= REPORTS, 60_000, 'every ticket shown to its crew');
    await sleep(1000); // anything sent twice would arrive now

    const { first: shown, resent } = workShown(fake, CREW_CHATS);
    const duplicatedTickets = all.length - new Set(all.map((t) => t.phone)).size;
    const duplicatedCards = [...shown.values()].filter((n) => n > 1).length;
    const answered = replies();
    console.info(
      `kill -9 burst: sent ${sent.length}, in the inbox at the kill ${stored.n} of ${REPORTS / 2} (handled ${handled.n}), ` +
        `tickets ${all.length}, duplicated tickets ${duplicatedTickets}, replies ${answered.reduce((a, b) => a + b, 0)}, ` +
        `cards ${shown.size}, duplicated cards ${duplicatedCards}, marked （重发） ${resent.size}, takeover ${takeoverMs} ms`,
    );
    expect(stored.n).toBe(REPORTS / 2);
    expect(all).toHaveLength(REPORTS);
    expect(duplicatedTickets).toBe(0);
    expect(answered.every((n) => n === REPORTS / PEOPLE)).toBe(true);
    expect(shown.size).toBe(REPORTS);
    expect(duplicatedCards).toBe(0);
  }, 85_000);
});
