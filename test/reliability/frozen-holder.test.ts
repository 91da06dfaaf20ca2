import { afterAll, describe, expect, it } from 'vitest';
import type { FakeWeCom } from '../../fake-wecom/index';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { BOT, CREW_CHATS, fakeWecom, ready, sleep, startBot, until, workShown, type BotChild } from './bot-process';

/**
 * The holder is frozen (SIGSTOP) while reports come in: the standby takes the lease over within seconds, /readyz says
 * nobody holds a working connection meanwhile, and the old holder, resumed (SIGCONT), sends nothing more. Reports keep
 * being typed through the gap; the gap (the old holder's last reply to the new holder's first) is printed, with what
 * the reports typed inside it met: WeCom hands them to the frozen socket until the standby subscribes, and they are
 * answered once the old process resumes and reads them into the inbox (a killed holder's kernel buffer would lose them).
 */
const report = (i: number) => `/报修 城关镇 建设街${i + 1}号 路口 电线落地 李四 137${String(i).padStart(8, '0')}`;

let fake: FakeWeCom;
let database: TestDatabase;
const bots: BotChild[] = [];
afterAll(async () => {
  for (const bot of bots) {
    bot.child.kill('SIGCONT');
    if (bot.child.exitCode === null) bot.child.kill('SIGKILL');
  }
  await fake?.close();
  await database?.close();
});

const status = (bot: BotChild) => fetch(`${bot.url}/readyz`).then((r) => r.status, () => 0);

describe('a frozen holder', () => {
  it('is taken over within seconds, and sends nothing after it resumes', async () => {
    database = await createTestDatabase();
    fake = await fakeWecom();
    const a = await startBot(fake, database.url);
    bots.push(a);
    await ready(a);
    const b = await startBot(fake, database.url);
    bots.push(b);
    await ready(b); // a standby is ready while someone holds a working connection

    let n = 0;
    const say = async () => {
      const i = n++;
      return (await fake.userSays({ chatType: 'single', userId: `caller-${i % 10}`, text: report(i) })).reqId;
    };
    for (let i = 0; i < 20; i++) await say();
    await until(async () => (await database.db.selectFrom('tickets').select('id').execute()).length === 20, 20_000, 'first 20 handled');
    const holderConn = fake.connections(BOT.botId).find((c) => c.subscribed)!.id;

    const repliesFrom = (connId: number) =>
      fake.frames.filter((f) => f.direction === 'in' && f.connId === connId && f.cmd === 'aibot_respond_msg').map((f) => f.at);
    const lastOldReply = Math.max(...repliesFrom(holderConn));
    a.child.kill('SIGSTOP');
    const frozenAt = Date.now();
    // Reports keep coming, one every 250 ms; WeCom delivers them to the frozen socket until the standby subscribes.
    let notReady = false;
    const inGap: { reqId: string; at: number }[] = [];
    let lastTyped = 0;
    let tookOver = false;
    const watching = (async () => {
      while (!tookOver) {
        if ((await status(b)) === 503) notReady = true;
        await sleep(25);
      }
    })();
    await until(
      async () => {
        if (Date.now() - lastTyped >= 250) {
          lastTyped = Date.now();
          inGap.push({ reqId: await say(), at: lastTyped });
        }
        return fake.connections(BOT.botId).some((c) => c.subscribed && c.id !== holderConn);
      },
      20_000,
      'the standby took over',
    ).catch(async (error: Error) => {
      const leases = await database.db.selectFrom('wecom_leases').selectAll().execute();
      throw new Error(`${error.message}\n${JSON.stringify(leases)}\n${JSON.stringify(fake.connections())}\n${b.output().slice(-3000)}`);
    });
    const takeoverMs = Date.now() - frozenAt;
    await until(() => notReady, 3000, '/readyz 503 at the handover').catch(() => undefined);
    tookOver = true;
    await watching;
    const newConn = fake.connections(BOT.botId).find((c) => c.subscribed && c.id !== holderConn)!.id;
    await ready(b);
    const afterGap = n;
    for (let i = 0; i < 20; i++) await say();
    await until(() => repliesFrom(newConn).length > 0, 20_000, 'the new holder replied');
    const gapMs = Math.min(...repliesFrom(newConn)) - lastOldReply;

    const framesBefore = fake.frames.length;
    a.child.kill('SIGCONT');
    const resumedAt = Date.now();
    await sleep(3000);
    for (let i = 0; i < 10; i++) await say();

    const tickets = () => database.db.selectFrom('tickets').select(['no', 'phone']).execute();
    await until(async () => (await tickets()).length >= n, 30_000, `${n} tickets`);
    await until(() => workShown(fake, CREW_CHATS).first.size >= n, 30_000, 'every ticket shown to its crew');
    const replies = () => Array.from({ length: 10 }, (_, k) => fake.transcript(`caller-${k}`).filter((e) => e.from === 'bot' && e.content.includes('已受理')).length);
    await until(() => replies().reduce((x, y) => x + y, 0) >= n, 30_000, 'every report answered');
    await sleep(1000);

    const all = await tickets();
    const { first: shown, resent } = workShown(fake, CREW_CHATS);
    const fromOld = fake.frames.slice(framesBefore).filter((f) => f.direction === 'in' && f.connId === holderConn && f.cmd !== 'ping');
    // The gap's reports: when each was answered, counted from when it was typed.
    const answeredAfter = inGap.map(({ reqId, at }) => {
      const reply = fake.frames.find((f) => f.direction === 'in' && f.cmd === 'aibot_respond_msg' && f.reqId === reqId);
      return reply ? reply.at - at : NaN;
    });
    console.info(
      `SIGSTOP gap: last reply by the old holder → first by the new ${gapMs} ms (lease 6 s; the follower tries the moment it lapses); ` +
        `${inGap.length} reports typed inside it (after the freeze, before the new subscribe), answered ${answeredAfter.filter(Number.isFinite).length}, ` +
        `${(Math.min(...answeredAfter) / 1000).toFixed(1)}–${(Math.max(...answeredAfter) / 1000).toFixed(1)} s after they were typed (once the frozen process resumed and read them); ` +
        `reports after the subscribe ${n - afterGap}`,
    );
    console.info(
      `SIGSTOP: takeover ${takeoverMs} ms, /readyz 503 seen ${notReady}, frames from the resumed holder ${fromOld.length} ` +
        `(${Date.now() - resumedAt} ms watched), sent ${n}, tickets ${all.length}, replies ${replies().reduce((x, y) => x + y, 0)}, ` +
        `cards ${shown.size}, duplicated cards ${[...shown.values()].filter((c) => c > 1).length}, marked （重发） ${resent.size}`,
    );
    expect(takeoverMs).toBeLessThan(15_000);
    expect(notReady).toBe(true);
    expect(fromOld).toEqual([]);
    expect(all).toHaveLength(n);
    expect(new Set(all.map((t) => t.phone)).size).toBe(n);
    // Each person typed every tenth report (the gap's pace leaves n not a multiple of ten).
    expect(replies()).toEqual(Array.from({ length: 10 }, (_, k) => Math.ceil((n - k) / 10)));
    expect(shown.size).toBe(n);
    expect([...shown.values()].every((c) => c === 1)).toBe(true);
  }, 85_000);
});
