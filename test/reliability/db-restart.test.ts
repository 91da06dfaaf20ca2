import { afterAll, describe, expect, it } from 'vitest';
import type { FakeWeCom } from '../../fake-wecom/index';
import { connectDatabase, type DatabaseHandle } from '../../src/db/database';
import { BOT, CREW_CHATS, fakeWecom, ready, sleep, startBot, until, workShown, type BotChild } from './bot-process';
import { PrivatePostgres } from './private-postgres';

/**
 * The database server is stopped and started again while reports keep coming from many people. The server stays away
 * longer than the WeCom lease (6 s), and the bot keeps its WeCom connection all the same: frames read meanwhile go to
 * the inbox journal and are written and handled, in order, when the server is back. Every report becomes one ticket,
 * one reply and one card; /readyz is 503 while the server is away and 200 after; the log says each cause once per
 * half-minute, not every second. The server is this file's own (the run's shared one is never restarted under other
 * test files). RELIABILITY_DB_DOWN_MS=90000 RELIABILITY_REPORTS=300 is the long outage (bench/RESULTS.md).
 */
const SOAK = process.env.RELIABILITY_SOAK === '1';
const PEOPLE = 30;
const REPORTS = Number(process.env.RELIABILITY_REPORTS ?? (SOAK ? 300 : 150));
/** How long the server stays down: twice the 6 s WeCom lease, which a holder used to give up with its connection. */
const DOWN_MS = Number(process.env.RELIABILITY_DB_DOWN_MS ?? 12_000);
/** Reports are spread so that they keep coming before, during and after the restart. */
const PACE_MS = 60;
/** The outage, then handling at a few reports a second on two shared cores (each report opens a numbered ticket). */
const BUDGET_MS = DOWN_MS + REPORTS * 600 + (SOAK ? 120_000 : 25_000);
const report = (i: number) => `/报修 青龙街道 滨江路${i + 1}号 小区门口 整栋楼没电 王五 135${String(i).padStart(8, '0')}`;
const caller = (i: number) => `caller-${i % PEOPLE}`;

let server: PrivatePostgres | undefined;
let database: DatabaseHandle | undefined;
let fake: FakeWeCom | undefined;
let bot: BotChild | undefined;
afterAll(async () => {
  if (bot && bot.child.exitCode === null) bot.child.kill('SIGKILL');
  await fake?.close();
  await database?.close();
  await server?.close();
});

const readyz = (b: BotChild) => fetch(`${b.url}/readyz`).then((r) => r.status, () => 0);

describe('PostgreSQL restarted under load', () => {
  it(`${REPORTS} reports from ${PEOPLE} people, the server down ${DOWN_MS} ms among them: each one ticket, one reply, one card`, async () => {
    const deadline = Date.now() + BUDGET_MS;
    const left = () => Math.max(0, deadline - Date.now());
    server = await PrivatePostgres.start();
    const url = await server.createDatabase('desk');
    database = connectDatabase(url, 2);
    database.pool.on('error', () => undefined);
    fake = await fakeWecom();
    bot = await startBot(fake, url); // migrates the fresh database
    await ready(bot);
    const subscribesBefore = fake.subscribeCount(BOT.botId);
    const statusBefore = await readyz(bot);

    // Reports keep coming, one every PACE_MS, whatever the database does.
    let said = 0;
    let undelivered = 0;
    const saying = (async () => {
      for (let i = 0; i < REPORTS; i++) {
        if (!fake!.connections(BOT.botId).some((c) => c.subscribed)) {
          const lines = bot!.output().split('\n').filter((line) => /lease|WeCom|wecom/.test(line));
          throw new Error(`the bot dropped its WeCom connection after ${said} reports:\n${lines.slice(-30).join('\n')}`);
        }
        const { delivered } = await fake!.userSays({ chatType: 'single', userId: caller(i), text: report(i) });
        if (delivered) said++;
        else undelivered++;
        await sleep(PACE_MS);
      }
    })();
    let sayFailure: unknown;
    saying.catch((error: unknown) => (sayFailure = error));
    const saidSoFar = () => {
      if (sayFailure) throw sayFailure;
      return said;
    };

    // The stop comes while reports are being handled, so handling is cut by it and later reports arrive during it.
    await until(() => saidSoFar() >= REPORTS / 3, left(), 'a third of the reports sent');
    const count = async (sql: string) => Number((await database!.pool.query<{ n: string }>(sql)).rows[0]!.n);
    const stopStarted = Date.now();
    const logBefore = bot.output().split('\n').length;
    await server.stop();
    const stoppedAt = Date.now();
    const saidAtStop = said;
    // /readyz while the server is away.
    const downStatuses = new Set<number>();
    while (Date.now() - stoppedAt < DOWN_MS) {
      downStatuses.add(await readyz(bot));
      await sleep(200);
    }
    const logDuring = bot.output().split('\n').slice(logBefore).filter((line) => /"level":(40|50|60)/.test(line));
    await server.resume();
    const resumedAt = Date.now();
    const saidDuringDown = said - saidAtStop;
    await until(async () => (await readyz(bot!)) === 200, left(), '/readyz 200 after the restart').catch(async (error: Error) => {
      const body = await fetch(`${bot!.url}/readyz`).then((r) => r.text(), String);
      const lines = bot!.output().split('\n').filter((line) => !line.includes('job wake-up'));
      throw new Error(`${error.message}: ${body} ${JSON.stringify(fake!.connections())}\n${lines.slice(-40).join('\n')}`);
    });
    const readyAgainMs = Date.now() - resumedAt;
    await saying;

    const tickets = () => database!.pool.query<{ no: string; phone: string }>('SELECT no, phone FROM tickets').then((r) => r.rows);
    await until(async () => (await tickets().catch(() => [])).length >= REPORTS, left(), 'every report a ticket').catch(async (error: Error) => {
      const inbox = await database!.pool.query('SELECT handled_at IS NOT NULL AS handled, failed_at IS NOT NULL AS failed, count(*) FROM inbox GROUP BY 1, 2');
      throw new Error(`${error.message}: ${(await tickets()).length} tickets, inbox ${JSON.stringify(inbox.rows)}\n${bot!.output().slice(-4000)}`);
    });
    const allTicketsMs = Date.now() - resumedAt;
    const replies = () =>
      Array.from({ length: PEOPLE }, (_, k) => fake!.transcript(`caller-${k}`).filter((e) => e.from === 'bot' && e.content.includes('已受理')).length);
    const total = (counts: number[]) => counts.reduce((a, b) => a + b, 0);
    await until(() => total(replies()) >= REPORTS, left(), 'every report answered');
    await until(() => workShown(fake!, CREW_CHATS).first.size >= REPORTS, left(), 'every ticket shown to its crew');
    await until(async () => (await count(`SELECT count(*) AS n FROM outbox WHERE status = 'pending' AND channel <> 'webhook'`)) === 0, left(), 'the bot\'s messages sent').catch(async (error: Error) => {
      const rows = await database!.pool.query(`SELECT id, channel, chat_id, attempts, locked_by, locked_until, next_attempt_at, possibly_sent, attempt_log FROM outbox WHERE status = 'pending' AND channel <> 'webhook' ORDER BY id LIMIT 20`);
      throw new Error(`${error.message}: ${JSON.stringify(rows.rows, null, 1)}\n${bot!.output().slice(-6000)}`);
    });
    await sleep(1000); // anything sent twice would arrive now

    const all = await tickets();
    const { first: shown, resent } = workShown(fake, CREW_CHATS);
    const answered = replies();
    const apologies = total(Array.from({ length: PEOPLE }, (_, k) => fake!.transcript(`caller-${k}`).filter((e) => e.from === 'bot' && e.content.includes('抱歉')).length));
    const inboxFailed = await count('SELECT count(*) AS n FROM inbox WHERE failed_at IS NOT NULL OR handled_at IS NULL');
    const retried = await count('SELECT count(*) AS n FROM inbox WHERE attempts > 1 OR last_error IS NOT NULL');
    const outboxFailed = await count(`SELECT count(*) AS n FROM outbox WHERE status = 'failed'`);
    const possiblySent = await count('SELECT count(*) AS n FROM outbox WHERE possibly_sent');
    // Each person's reports are handled in the order they were sent, a restart notwithstanding: ticket numbers rise.
    const outOfTurn = Array.from({ length: PEOPLE }, (_, k) =>
      all
        .filter((t) => Number(t.phone.slice(3)) % PEOPLE === k)
        .sort((a, b) => Number(a.phone.slice(3)) - Number(b.phone.slice(3)))
        .filter((t, n, mine) => n > 0 && t.no < mine[n - 1]!.no).length,
    ).reduce((a, b) => a + b, 0);
    const duplicatedTickets = all.length - new Set(all.map((t) => t.phone)).size;
    const duplicatedCards = [...shown.values()].filter((n) => n > 1).length;
    const subscribes = fake.subscribeCount(BOT.botId) - subscribesBefore;
    console.info(
      `PostgreSQL restart: sent ${said} (undelivered ${undelivered}), ${saidDuringDown} while the server was down ` +
        `(stop ${stoppedAt - stopStarted} ms, down ${resumedAt - stoppedAt} ms, /readyz 200 again ${readyAgainMs} ms after the start, every ticket ${allTicketsMs} ms after), ` +
        `tickets ${all.length}, duplicated tickets ${duplicatedTickets}, replies ${total(answered)}, apologies ${apologies}, handled again ${retried}, out of turn ${outOfTurn}, ` +
        `cards ${shown.size}, duplicated cards ${duplicatedCards}, marked （重发） ${resent.size}, possibly sent rows ${possiblySent}, ` +
        `failed rows ${outboxFailed}, WeCom re-subscribes ${subscribes}, /readyz during the outage ${[...downStatuses].join('/')}, ` +
        `warning and error lines during the outage ${logDuring.length}`,
    );
    expect(statusBefore).toBe(200);
    expect(undelivered).toBe(0);
    expect(saidDuringDown).toBeGreaterThan(0);
    expect([...downStatuses]).toEqual([503]);
    expect(all).toHaveLength(REPORTS);
    expect(duplicatedTickets).toBe(0);
    expect(outOfTurn).toBe(0);
    expect(answered.every((n) => n === REPORTS / PEOPLE)).toBe(true);
    expect(apologies).toBe(0);
    expect(inboxFailed).toBe(0);
    expect(outboxFailed).toBe(0);
    expect(shown.size).toBe(REPORTS);
    expect(duplicatedCards).toBe(0);
    expect(subscribes).toBe(0);
    // One line per cause per half-minute (a handful of causes: lease, inbox, outbox, jobs), not one a second.
    expect(logDuring.length).toBeLessThan(20 + DOWN_MS / 1000);
  }, BUDGET_MS + 15_000);
});
