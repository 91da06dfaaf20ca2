import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import type { Registry } from 'prom-client';
import type { RunningApp } from '../../src/app';
import { FakeWeCom } from '../../fake-wecom/index';
import { frozenClock, wecomEnv } from '../support/app';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { BOT } from '../wecom/harness';
import { advance, MINUTE, nags, openTicket, seedOrg, startAppOn, tell, type TestTicket } from './support';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup.length = 0;
});

async function database(): Promise<TestDatabase> {
  const db = await createTestDatabase();
  cleanup.push(() => db.close());
  return db;
}

async function fired(metrics: Registry): Promise<number> {
  const metric = metrics.getSingleMetric('sla_nags_total');
  return metric ? (await metric.get()).values.reduce((sum, v) => sum + v.value, 0) : 0;
}

describe('each nag exactly once', () => {
  it('across a restart: steps due while no process ran are sent once by the next one, and never again', async () => {
    const db = await database();
    const clock = frozenClock();
    const first = await startAppOn(db.url, clock);
    await seedOrg(first.ctx.db, clock);
    const tickets: TestTicket[] = [];
    for (let i = 0; i < 20; i++) {
      const ticket = await openTicket(first.ctx.db, clock.now(), 'repair', { areaClass: 'urban', unitId: 'chengguan' });
      await tell(first, ticket, 'dispatched');
      tickets.push(ticket);
    }
    await advance([first], [clock], 3 * MINUTE);
    await advance([first], [clock], 7 * MINUTE);
    await first.stop();

    // 70 minutes pass with no process running: the 36-minute warning is overtaken, everything else is owed.
    clock.advance(70 * MINUTE);
    const second = await startAppOn(db.url, clock);
    await second.jobs.services.sla.sweep();
    await second.stop();
    const third = await startAppOn(db.url, clock);
    cleanup.push(() => third.stop());
    await third.jobs.services.sla.sweep();

    const sent = await nags(third.ctx.db);
    for (const ticket of tickets) {
      const steps = sent.filter((n) => n.ticketNo === ticket.no).map((n) => `${n.policy}:${n.step}`);
      expect(steps).toHaveLength(7);
      expect(steps).toEqual(expect.arrayContaining([
        'repair.acknowledge:warn',
        'repair.acknowledge:breach',
        'repair.acknowledge:unit_leader',
        // Sent after the restart.
        'repair.acknowledge:company_leader',
        'repair.arrival.urban:breach',
        'repair.arrival.urban:unit_leader',
        'repair.arrival.urban:company_leader',
      ]));
    }
    const pending = await third.ctx.db.selectFrom('sla_timers').select('id').where('fired_at', 'is', null).execute();
    expect(pending).toEqual([]);
  });

  it('two processes on one database, 1,000 tickets with due timers: each nag reaches WeCom once', { timeout: 180_000 }, async () => {
    const db = await database();
    const clocks = [frozenClock(), frozenClock()];
    const fake = await FakeWeCom.start({ bots: [BOT], now: () => clocks[0]!.nowMs(), pushRequiresActivation: false });
    cleanup.push(() => fake.close());
    const env = wecomEnv(fake, BOT);
    const apps: RunningApp[] = await Promise.all(clocks.map((clock) => startAppOn(db.url, clock, env)));
    for (const app of apps) cleanup.push(() => app.stop());
    await seedOrg(apps[0]!.ctx.db, clocks[0]!);

    // Half the repairs for each crew, each told to the clocks by one process or the other; accepted at once, so each
    // ticket owes one thing: arrival within 45 minutes (warn, breach, unit leader, company leader).
    const tickets: TestTicket[] = [];
    for (let i = 0; i < 1000; i++) {
      const unitId = i % 2 ? 'xiushi' : 'chengguan';
      tickets.push(await openTicket(apps[0]!.ctx.db, clocks[0]!.now(), 'repair', { areaClass: 'urban', unitId }));
    }
    for (let i = 0; i < tickets.length; i += 50) {
      await Promise.all(
        tickets.slice(i, i + 50).map(async (ticket, j) => {
          const app = apps[j % 2]!;
          await tell(app, ticket, 'dispatched');
          await tell(app, ticket, 'accepted');
        }),
      );
    }
    for (const minutes of [36, 9, 15, 15]) await advance(apps, clocks, minutes * MINUTE);
    // Both processes also ask for the leaders' morning digest at the same moment (a working morning): queued once, too.
    await Promise.all(apps.map((app) => app.jobs.services.digest.sendIfDue()));
    const digests = await apps[0]!.ctx.db.selectFrom('outbox').select('body').where('dedupe_key', 'like', 'digest:%').orderBy('id').execute();
    // One digest: its picture and its few lines, each once.
    expect(digests.map((row) => (row.body as { msgtype: string }).msgtype)).toEqual(['picture', 'markdown']);

    const queued = await nags(apps[0]!.ctx.db);
    expect(queued).toHaveLength(4000);
    const perProcess = await Promise.all(apps.map((app) => fired(app.ctx.metrics)));
    expect(perProcess[0]! + perProcess[1]!).toBe(4000);
    // Both processes did fire some: the once-only guarantee was exercised, not sidestepped.
    expect(Math.min(...perProcess)).toBeGreaterThan(0);

    // The connection holder sends within WeCom's per-chat limits (30 a minute, 1,000 an hour): when sending stalls,
    // move the clocks on a minute.
    const pendingRows = async () =>
      (await sql<{ n: number }>`SELECT count(*)::int AS n FROM outbox WHERE status = 'pending'`.execute(apps[0]!.ctx.db)).rows[0]!.n;
    let clockMinutes = 0;
    for (let last = -1, now = await pendingRows(); now > 0; last = now, now = await pendingRows()) {
      if (now === last) {
        for (const clock of clocks) clock.advance(MINUTE);
        clockMinutes++;
      }
      expect(clockMinutes, 'outbox drained within 3 hours of clock time').toBeLessThan(180);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }

    // Each chat hears a sweep's steps as one message (split only past WeCom's size): every step of every ticket is
    // listed exactly once across what the chats show.
    const fromBot = ['chat-chengguan', 'chat-xiushi', 'chat-leaders'].flatMap((chat) =>
      fake.transcript(chat).filter((entry) => entry.from === 'bot' && entry.kind !== 'webhook'),
    );
    const seen = new Map<string, number>();
    for (const entry of fromBot) {
      for (const [, tag, no] of entry.content.matchAll(/^\d+\.【(.+?)】(\S+)/gm)) seen.set(`${tag} ${no}`, (seen.get(`${tag} ${no}`) ?? 0) + 1);
    }
    expect(fromBot.length).toBeLessThan(100);
    // A warning still queued when its deadline came is dropped (the breach says it); nothing else is.
    expect([...seen.values()].every((count) => count === 1)).toBe(true);
    for (const ticket of tickets) {
      for (const tag of ['催办', '督办', '升级督办']) expect(seen.get(`${tag} ${ticket.no}`)).toBe(1);
    }
  });
});
