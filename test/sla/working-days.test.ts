import { afterEach, describe, expect, it } from 'vitest';
import { fromShanghai } from '../../src/calendar/calendar';
import { frozenClock, startTestApp, type TestApp } from '../support/app';
import { advance, MINUTE, nags, openTicket, seedOrg, tell } from './support';

let app: TestApp | undefined;
afterEach(async () => {
  await app?.stop();
  app = undefined;
});

async function startAt(date: string, time: string): Promise<TestApp> {
  app = await startTestApp({}, frozenClock(fromShanghai(date, time)));
  await seedOrg(app.ctx.db, app.clock);
  return app;
}

/** Moves the clock to a Shanghai date and time, firing what comes due on the way. */
async function until(app: TestApp, date: string, time: string): Promise<void> {
  await advance([app], [app.clock], fromShanghai(date, time).getTime() - app.clock.nowMs());
}

async function dueOf(app: TestApp, ticketId: number, code: string): Promise<Date> {
  const row = await app.ctx.db
    .selectFrom('sla_clocks as c')
    .innerJoin('sla_policies as p', 'p.id', 'c.policy_id')
    .select('c.due_at')
    .where('c.ticket_id', '=', ticketId)
    .where('p.code', '=', code)
    .executeTakeFirstOrThrow();
  return row.due_at;
}

describe('working-day limits follow the holiday calendar', () => {
  it('a complaint handed over on Friday 16:00 before the Spring Festival week is due Friday 27 February, 16:00', async () => {
    // 2026: Saturday 14 Feb is a make-up workday, 15–23 Feb are the festival, 28 Feb is another make-up workday.
    const app = await startAt('2026-02-13', '16:00');
    const complaint = await openTicket(app.ctx.db, app.clock.now(), 'complaint', { unitId: 'marketing' });
    const report = await openTicket(app.ctx.db, app.clock.now(), 'report', { unitId: 'politics' });
    for (const ticket of [complaint, report]) {
      await tell(app, ticket, 'created');
      await tell(app, ticket, 'dispatched');
    }

    expect(await dueOf(app, complaint.id, 'complaint.acknowledge')).toEqual(fromShanghai('2026-02-14', '16:00'));
    expect(await dueOf(app, complaint.id, 'complaint.resolve')).toEqual(fromShanghai('2026-02-27', '16:00'));
    expect(await dueOf(app, report.id, 'report.resolve')).toEqual(fromShanghai('2026-03-05', '16:00'));

    const resolveNags = async () => (await nags(app.ctx.db, complaint.no)).filter((n) => n.policy === 'complaint.resolve');
    // The warning comes on the working day before the deadline, at 14:00.
    await until(app, '2026-02-26', '13:59');
    expect(await resolveNags()).toEqual([]);
    await until(app, '2026-02-26', '14:00');
    expect((await resolveNags()).map((n) => n.step)).toEqual(['warn']);
    expect((await resolveNags())[0]!.text).toContain(`【预警】${complaint.no} 首次交办后已 3 个工作日未答复客户（时限 5 个工作日，2月27日 16:00 到期，还剩 1 天`);
    expect((await resolveNags())[0]!.text).toContain(`抓紧办结（/完成 ${complaint.no} 处理结果），客服班审核后 /答复 ${complaint.no} 答复内容`);
    expect((await resolveNags())[0]!.mentions).toEqual(['mk_qian']);
    await until(app, '2026-02-27', '16:00');
    expect((await resolveNags()).map((n) => n.step)).toEqual(['warn', 'breach']);
  });

  it('a working-day nag waits for working hours, while the ticket is marked overdue at the deadline itself', async () => {
    const app = await startAt('2026-11-24', '20:00');
    const complaint = await openTicket(app.ctx.db, app.clock.now(), 'complaint', { unitId: 'marketing' });
    await tell(app, complaint, 'created');
    await tell(app, complaint, 'dispatched');
    const acknowledge = async () =>
      (await nags(app.ctx.db, complaint.no)).filter((n) => n.policy === 'complaint.acknowledge').map((n) => n.step);
    const overdueAt = async () =>
      (await app.ctx.db.selectFrom('tickets').select('overdue_at').where('id', '=', complaint.id).executeTakeFirstOrThrow())
        .overdue_at;

    // Due Wednesday 20:00; the 0.75 warning (Wednesday 14:00) is inside working hours.
    await until(app, '2026-11-25', '14:00');
    expect(await acknowledge()).toEqual(['warn']);
    await until(app, '2026-11-25', '19:59');
    expect(await acknowledge()).toEqual(['warn']);
    expect(await overdueAt()).toBeNull();
    await until(app, '2026-11-25', '20:00');
    expect(await overdueAt()).toEqual(fromShanghai('2026-11-25', '20:00'));
    await until(app, '2026-11-26', '08:29');
    expect(await acknowledge()).toEqual(['warn']);
    await until(app, '2026-11-26', '08:30');
    expect(await acknowledge()).toEqual(['warn', 'breach']);
    const [, breach] = (await nags(app.ctx.db, complaint.no)).filter((n) => n.policy === 'complaint.acknowledge');
    expect(breach!.text).toContain('（时限 1 个工作日，11月25日 20:00 到期，超时 12 小时 30 分钟）');
  });

  it('repair nags go out at any hour: Sunday 02:00, the crew is chased at 02:45', async () => {
    const app = await startAt('2026-11-29', '02:00');
    const repair = await openTicket(app.ctx.db, app.clock.now(), 'repair', { areaClass: 'urban', unitId: 'chengguan' });
    await tell(app, repair, 'dispatched');
    await advance([app], [app.clock], 36 * MINUTE);
    await advance([app], [app.clock], 9 * MINUTE);
    const arrival = (await nags(app.ctx.db, repair.no)).filter((n) => n.policy === 'repair.arrival.urban');
    expect(arrival.map((n) => n.step)).toEqual(['warn', 'breach']);
  });
});

describe('the nag says what is late, by how long, and what to do', () => {
  it('an urban arrival 5 minutes late', async () => {
    const app = await startAt('2026-11-24', '10:00');
    const repair = await openTicket(app.ctx.db, app.clock.now(), 'repair', { areaClass: 'urban', unitId: 'chengguan' });
    await tell(app, repair, 'dispatched');
    await advance([app], [app.clock], 50 * MINUTE);
    const arrival = (await nags(app.ctx.db, repair.no)).filter((n) => n.policy === 'repair.arrival.urban');
    // The 36-minute warning was overtaken by the breach and is not sent late.
    expect(arrival).toHaveLength(1);
    expect(arrival[0]).toMatchObject({ chatId: 'chat-chengguan', step: 'breach' });
    expect(arrival[0]!.text).toContain(
      `【催办】${repair.no} 派工后已 50 分钟未到达现场（时限 45 分钟，超时 5 分钟），尽快到达并回复 /到达 ${repair.no}`,
    );
    expect(arrival[0]!.mentions).toEqual(expect.arrayContaining(['zhangsan', 'lisi']));
  });

  it('escalations name the unit to the leaders', async () => {
    const app = await startAt('2026-11-24', '10:00');
    const repair = await openTicket(app.ctx.db, app.clock.now(), 'repair', { areaClass: 'rural', unitId: 'chengguan' });
    await tell(app, repair, 'dispatched');
    await advance([app], [app.clock], 150 * MINUTE);
    const arrival = (await nags(app.ctx.db, repair.no)).filter((n) => n.policy === 'repair.arrival.rural');
    // Breach and first escalation came due in one sweep: one message in the station's chat, whose @ wakes both.
    expect(arrival.map((n) => [n.step, n.chatId, n.mentions])).toEqual([
      ['breach', 'chat-chengguan', expect.arrayContaining(['zhangsan', 'lisi', 'cg_lead'])],
      ['unit_leader', 'chat-chengguan', expect.arrayContaining(['zhangsan', 'lisi', 'cg_lead'])],
      ['company_leader', 'chat-leaders', ['gm_he']],
    ]);
    expect(arrival[2]!.text).toContain(
      `【升级督办】${repair.no} 派工后已 2 小时 30 分钟未到达现场（时限 1 小时 30 分钟，超时 1 小时），请督促城关供电所办理`,
    );
  });
});
