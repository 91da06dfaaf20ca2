import { afterAll, beforeAll, expect, it } from 'vitest';
import { fromShanghai } from '../../src/calendar/calendar';
import { frozenClock } from '../support/app';
import { CHAT, Desk, numberIn } from '../tickets/desk';

/**
 * Friday 13 February 2026, 16:00, before the Spring Festival (15–23 February off; 14 and 28 February make-up workdays).
 * A complaint has 5 working days and a report 10, from the first hand-over to the answer to the customer, and only
 * the answer stops them: not a return and re-routing, not the department's reply, not the review.
 */
let desk: Desk;
beforeAll(async () => (desk = await Desk.open({}, frozenClock(fromShanghai('2026-02-13', '16:00')))), 60_000);
afterAll(() => desk.close());

async function handlingClocks(no: string) {
  return desk.db
    .selectFrom('sla_clocks as c')
    .innerJoin('sla_policies as p', 'p.id', 'c.policy_id')
    .select(['p.code', 'c.unit_id', 'c.due_at', 'c.stopped_at', 'c.stop_event'])
    .where('c.ticket_id', '=', (await desk.ticket(no)).id)
    .where('p.once', '=', true)
    .execute();
}

it('a complaint is due Friday 27 February 16:00 and is met by the answer to the customer the same afternoon', async () => {
  const no = numberIn(await desk.say('wangfang', CHAT.desk, '/投诉 南溪供电所 电表走得快 李四 13900000000'));
  const due = fromShanghai('2026-02-27', '16:00');
  expect((await desk.lastCard(CHAT.nanxi)).text).toContain('办理时限: 02-27 16:00 前');

  await desk.until('2026-02-14', '10:00');
  await desk.say('zhengyong', CHAT.nanxi, `/退回 ${no} 电表校验属市场营销部计量班`);
  await desk.say('wangfang', CHAT.desk, `/转派 ${no} 市场营销部`);
  expect((await desk.lastCard(CHAT.yxb)).text).toContain('办理时限: 02-27 16:00 前');
  await desk.say('jiangli', CHAT.yxb, `/接收 ${no}`);
  await desk.until('2026-02-25', '10:00');
  await desk.say('jiangli', CHAT.yxb, `/答复 ${no} 已校验电表误差超标并更换 客户意见:认可`);
  await desk.say('wangfang', CHAT.desk, `/审核 ${no} 退回 未写明退补电费`);
  await desk.until('2026-02-26', '10:00');
  await desk.say('jiangli', CHAT.yxb, `/答复 ${no} 已更换电表并退补电费 86 元 客户意见:认可`);
  await desk.say('wangfang', CHAT.desk, `/审核 ${no} 通过`);
  // Replied, reviewed and approved: the clock still runs, owed by the desk, which now holds the order.
  expect(await handlingClocks(no)).toEqual([{ code: 'complaint.resolve', unit_id: null, due_at: due, stopped_at: null, stop_event: null }]);

  await desk.until('2026-02-27', '15:00');
  await desk.say('wangfang', CHAT.desk, `/回复客户 ${no} 电话 已更换电表并退补电费 86 元`);
  expect(await handlingClocks(no)).toEqual([
    { code: 'complaint.resolve', unit_id: null, due_at: due, stopped_at: fromShanghai('2026-02-27', '15:00'), stop_event: 'answered' },
  ]);
  expect((await desk.ticket(no)).overdue_at).toBeNull();
});

it('a report handed over at 16:30 is due Thursday 5 March 16:30; approved but not yet answered, the desk is chased and charged', async () => {
  desk.app.clock.freeze(fromShanghai('2026-02-13', '16:30'));
  const no = numberIn(await desk.say('wangfang', CHAT.desk, '/举报 抄表员张某 收取好处费 回访:电话 王先生 13911112222'));
  const due = fromShanghai('2026-03-05', '16:30');
  expect((await desk.lastCard(CHAT.szb)).text).toContain('办理时限: 03-05 16:30 前');
  await desk.say('hanxue', CHAT.szb, `/接收 ${no}`);
  await desk.until('2026-03-02', '10:00');
  await desk.say('hanxue', CHAT.szb, `/答复 ${no} 经查属实已处理 客户意见:认可`);
  await desk.say('wangfang', CHAT.desk, `/审核 ${no} 通过`);

  await desk.until('2026-03-05', '16:30');
  const nag = (await desk.seen(CHAT.desk)).find((s) => s.text.startsWith('【催办】') && s.text.includes(no));
  expect(nag?.text).toContain('首次交办后已 10 个工作日未答复客户');
  expect((await desk.seen(CHAT.szb)).some((s) => s.text.startsWith('【催办】') && s.text.includes(no))).toBe(false);
  expect((await desk.ticket(no)).overdue_at).toEqual(due);

  await desk.until('2026-03-06', '10:00');
  await desk.say('wangfang', CHAT.desk, `/回复客户 ${no} 电话 经查属实已严肃处理`);
  expect(await handlingClocks(no)).toEqual([
    { code: 'report.resolve', unit_id: null, due_at: due, stopped_at: fromShanghai('2026-03-06', '10:00'), stop_event: 'answered' },
  ]);
});

it('a complaint returned in time and never re-sent is the desk’s miss, not the department’s', async () => {
  desk.app.clock.freeze(fromShanghai('2026-03-09', '09:00'));
  const no = numberIn(await desk.say('wangfang', CHAT.desk, '/投诉 江口供电所 抢修人员迟迟不来 李四 13900000000'));
  await desk.until('2026-03-09', '11:00');
  await desk.say('hejun', CHAT.jiangkou, `/退回 ${no} 该线路属修试所管辖`);
  const mark = await desk.lastOutboxId();
  await desk.until('2026-03-17', '10:00');
  const nags = (chatId: string) => desk.seen(chatId, mark).then((seen) => seen.filter((s) => s.text.includes(no) && /^【(催办|督办|升级督办)】/.test(s.text)));
  expect(await nags(CHAT.jiangkou)).toEqual([]);
  expect((await nags(CHAT.desk)).length).toBeGreaterThan(0);
  expect(await handlingClocks(no)).toEqual([
    { code: 'complaint.resolve', unit_id: null, due_at: fromShanghai('2026-03-16', '09:00'), stopped_at: null, stop_event: null },
  ]);
  // The month's assessment charges the miss to the desk; the station that returned it in time has none.
  type Units = { units: { unitId: string; categories: Record<string, { missed: number }> }[] };
  const { units } = (await (await desk.app.api('/api/reports/assessment?month=2026-03')).json()) as Units;
  expect(units.find((u) => u.unitId === 'desk')!.categories.handling!.missed).toBeGreaterThan(0);
  expect(units.find((u) => u.unitId === 'jiangkou')!.categories.handling?.missed ?? 0).toBe(0);
});

it('a complaint re-classed as a 举报 keeps the start of its handling clock', async () => {
  desk.app.clock.freeze(fromShanghai('2026-03-23', '09:00'));
  const no = numberIn(await desk.say('wangfang', CHAT.desk, '/投诉 营业厅 电费多收了两百元 李四 13900000000'));
  await desk.until('2026-03-30', '10:00');
  const reply = await desk.say('wangfang', CHAT.desk, `/改类 ${no} 举报`);
  expect(reply).toContain('思想政治工作部');
  // Ten working days from Monday 23 March 09:00 (Qingming: 4–6 April off), not from the re-class on 30 March.
  const due = fromShanghai('2026-04-07', '09:00');
  expect(await handlingClocks(no)).toEqual([
    { code: 'complaint.resolve', unit_id: 'yxb', due_at: fromShanghai('2026-03-30', '09:00'), stopped_at: fromShanghai('2026-03-30', '10:00'), stop_event: 'reclassified' },
    { code: 'report.resolve', unit_id: 'szb', due_at: due, stopped_at: null, stop_event: null },
  ]);
  expect((await desk.lastCard(CHAT.szb)).text).toContain('办理时限: 04-07 09:00 前');
});
