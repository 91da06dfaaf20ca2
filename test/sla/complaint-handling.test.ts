import { afterEach, describe, expect, it } from 'vitest';
import { fromShanghai } from '../../src/calendar/calendar';
import type { UnitAssessment } from '../../src/domain/reports/assessment';
import { frozenClock } from '../support/app';
import { Chats } from '../tickets/chats';
import { CHAT, numberIn } from '../tickets/desk';

/**
 * A complaint's 5 working days (五、二) run once, from the first hand-over to the answer to the customer: a return and a
 * re-dispatch do not restart them, rework after a failed review does not stop them, and a breach is counted once, for
 * the unit holding the complaint at the deadline. Handed over on Wednesday 30 September 2026 10:00, across the National
 * Day week (1–7 October off, Saturday 10 October worked): working days 8, 9, 10, 12, 13 October, due Tuesday 13 October
 * 10:00; working day 6 is Wednesday 14 October.
 */
let chats: Chats | undefined;
afterEach(async () => {
  await chats?.close();
  chats = undefined;
});

const DUE = fromShanghai('2026-10-13', '10:00');

async function at(date: string, time: string): Promise<void> {
  chats!.clock.advance(fromShanghai(date, time).getTime() - chats!.clock.nowMs());
  await chats!.app.jobs.services.sla.sweep();
}

const say = (user: string, chat: string, text: string) => chats!.say(user, chat, text);

async function handlingClocks(no: string) {
  return chats!.app.ctx.db
    .selectFrom('sla_clocks as c')
    .innerJoin('sla_policies as p', 'p.id', 'c.policy_id')
    .innerJoin('tickets as k', 'k.id', 'c.ticket_id')
    .select(['c.unit_id', 'c.started_at', 'c.due_at', 'c.stopped_at', 'c.stop_event'])
    .where('k.no', '=', no)
    .where('p.code', '=', 'complaint.resolve')
    .execute();
}

async function october(): Promise<UnitAssessment[]> {
  const response = await chats!.app.api('/api/reports/assessment?month=2026-10');
  expect(response.status).toBe(200);
  return ((await response.json()) as { units: UnitAssessment[] }).units;
}

/** Every 催办/督办 on the handling limit of a ticket, in any chat. */
function handlingNags(no: string) {
  return Object.values(CHAT).flatMap((chatId) =>
    chats!
      .shows(chatId)
      .filter((e) => /^【(催办|督办|升级督办)】/.test(e.content) && e.content.includes(`${no} 首次交办后`))
      .map((e) => ({ chatId, head: e.content.slice(0, e.content.indexOf(no)) })),
  );
}

describe('a complaint returned, re-dispatched and answered on working day 6', () => {
  it('is breached once, on the department holding it at the deadline, on the clock of the first hand-over', async () => {
    chats = await Chats.open({}, frozenClock(fromShanghai('2026-09-30', '10:00')));
    const no = numberIn(await say('wangfang', CHAT.desk, '/投诉 南溪供电所 抄表员态度恶劣 要求:当面道歉 李四 13900000000'));

    // The station returns it on the first working day after the holiday, in time; the desk hands it to marketing.
    await at('2026-10-08', '09:00');
    expect(await say('zhengyong', CHAT.nanxi, `/退回 ${no} 抄表属营销部管理`)).toContain(no);
    await at('2026-10-08', '09:10');
    expect(await say('wangfang', CHAT.desk, `/转派 ${no} 市场营销部`)).toContain(no);
    expect(await say('jiangli', CHAT.yxb, `/接单 ${no}`)).toContain(no);

    const [clock] = await handlingClocks(no);
    expect(await handlingClocks(no)).toHaveLength(1);
    expect(clock).toMatchObject({ started_at: fromShanghai('2026-09-30', '10:00'), due_at: DUE, stopped_at: null, unit_id: 'yxb' });

    await at('2026-10-13', '09:59');
    expect(handlingNags(no)).toEqual([]);
    await at('2026-10-13', '10:01');
    await chats.waitFor(CHAT.yxb, (e) => e.kind === 'markdown' && e.content.includes(`【催办】${no}`));
    const woken = await chats.waitFor(CHAT.yxb, (e) => e.kind === 'webhook' && e.content.includes(no));
    expect(woken.mentions).toEqual(['jiangli']);
    expect(await say('wangfang', CHAT.desk, `/查单 ${no}`)).toMatch(/超时/);

    await at('2026-10-13', '15:00');
    expect(await say('jiangli', CHAT.yxb, `/完成 ${no} 已上门当面道歉`)).toContain(no);
    expect(await say('wangfang', CHAT.desk, `/审核 ${no} 通过`)).toContain('已归档');
    await at('2026-10-14', '09:30');
    expect(await say('wangfang', CHAT.desk, `/答复 ${no} 已当面道歉，客户表示接受`)).toContain(no);
    await at('2026-10-20', '10:00');

    // One clock, stopped by the answer, 23.5 hours late; chased in marketing's chat only, never in the station's.
    expect(await handlingClocks(no)).toEqual([
      expect.objectContaining({ unit_id: 'yxb', due_at: DUE, stopped_at: fromShanghai('2026-10-14', '09:30'), stop_event: 'answered' }),
    ]);
    expect(handlingNags(no).map((n) => n.chatId)).toEqual([CHAT.yxb]);

    const units = await october();
    const unit = (id: string) => units.find((u) => u.unitId === id)!;
    expect(unit('yxb').categories.handling).toEqual({ met: 0, missed: 1, open: 0, rate: 0 });
    expect(unit('nanxi').categories.handling).toBeUndefined();
    // The station's return was in time (1 working day: due 8 October 10:00), and so was marketing's acceptance.
    expect(unit('nanxi').categories.department_return).toEqual({ met: 1, missed: 0, open: 0, rate: 1 });
    expect(unit('yxb').categories.department_return).toEqual({ met: 1, missed: 0, open: 0, rate: 1 });
    const handling = units.map((u) => u.categories.handling).filter((c) => c !== undefined);
    expect(handling.reduce((sum, c) => sum + c.missed + c.met, 0)).toBe(1);
  }, 60_000);
});

describe('rework after a failed review', () => {
  it('keeps the handling clock running, and its breach counts', async () => {
    chats = await Chats.open({}, frozenClock(fromShanghai('2026-09-30', '10:00')));
    const no = numberIn(await say('wangfang', CHAT.desk, '/投诉 南溪供电所 抄表员态度恶劣 要求:当面道歉 李四 13900000000'));
    expect(await say('zhengyong', CHAT.nanxi, `/接单 ${no}`)).toContain(no);

    await at('2026-10-09', '10:00');
    expect(await say('zhengyong', CHAT.nanxi, `/完成 ${no} 已电话致歉`)).toContain(no);
    expect(await say('wangfang', CHAT.desk, `/审核 ${no} 退回 客户要求当面道歉，未落实`)).toContain(no);
    expect(await handlingClocks(no)).toEqual([expect.objectContaining({ due_at: DUE, stopped_at: null, unit_id: 'nanxi' })]);

    await at('2026-10-13', '10:01');
    const chase = await chats.waitFor(CHAT.nanxi, (e) => e.kind === 'markdown' && e.content.includes(`【催办】${no}`));
    expect(chase.content).toContain('未答复客户');
    expect(await say('wangfang', CHAT.desk, `/查单 ${no}`)).toMatch(/超时/);

    await at('2026-10-14', '11:00');
    expect(await say('zhengyong', CHAT.nanxi, `/完成 ${no} 已上门当面道歉`)).toContain(no);
    expect(await say('wangfang', CHAT.desk, `/审核 ${no} 通过`)).toContain('已归档');
    expect(await say('wangfang', CHAT.desk, `/答复 ${no} 已当面道歉`)).toContain(no);

    expect(await handlingClocks(no)).toEqual([
      expect.objectContaining({ unit_id: 'nanxi', due_at: DUE, stopped_at: fromShanghai('2026-10-14', '11:00'), stop_event: 'answered' }),
    ]);
    const units = await october();
    expect(units.find((u) => u.unitId === 'nanxi')!.categories.handling).toEqual({ met: 0, missed: 1, open: 0, rate: 0 });
  }, 60_000);
});
