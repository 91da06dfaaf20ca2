import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrgDoc } from '../../src/domain/org';
import { CHAT, Desk, numberIn } from '../tickets/desk';

/** Crews work dispatch cards with taps; every tap is a guarded step, and everyone sees the card move once. */
let desk: Desk;
beforeAll(async () => (desk = await Desk.open()));
afterAll(() => desk.close());

async function dispatchedCard(address: string): Promise<{ no: string; taskId: string }> {
  const no = numberIn(await desk.say('wangfang', CHAT.desk, `/报修 城关镇 ${address} 变压器冒烟 13800000000`));
  const card = await desk.lastCard(CHAT.khzx);
  expect(card.text).toContain(no);
  return { no, taskId: card.taskId! };
}

async function updatesSince(afterId: number) {
  return (await desk.seen(CHAT.khzx, afterId)).filter((s) => s.channel === 'update');
}

describe('taps on a dispatch card', () => {
  it('accept and arrive move the ticket and update the card for everyone; 完成 asks for the result and closes nothing', async () => {
    const { no, taskId } = await dispatchedCard('人民路1号');
    const mark = await desk.lastOutboxId();
    await desk.tap('zhangwei', taskId, 'accept');
    await desk.tap('zhangwei', taskId, 'arrive');
    await desk.tap('yangfan', taskId, 'complete');

    const updates = await updatesSince(mark);
    expect(updates.map((u) => u.userIds)).toEqual([undefined, undefined, ['yangfan']]);
    expect(updates.every((u) => u.taskId === taskId)).toBe(true);
    expect(updates[0]!.text).toMatch(/已接单[\s\S]*10:00 张伟 接单[\s\S]*\[到达\] \[退回\]$/);
    expect(updates[1]!.text).toMatch(/已到达现场[\s\S]*10:00 张伟 到达[\s\S]*\[完成\]$/);
    expect(updates[2]!.text).toContain(`提示 请发送处理结果（按钮不能代替结果）：/完成 ${no} 处理结果`);
    expect(updates[2]!.text).toMatch(/\[完成\]$/);
    expect((await desk.ticket(no)).state).toBe('arrived');

    // The result typed after the tap is taken as if no button had been pressed.
    expect(await desk.say('yangfan', CHAT.khzx, `/完成 ${no} 更换跌落式熔断器 10:40 恢复供电`)).toContain('已完成，待审核');
    expect((await desk.events(no)).map((e) => [e.type, e.via])).toEqual([
      ['created', 'message'],
      ['dispatched', 'message'],
      ['accepted', 'tap'],
      ['arrived', 'tap'],
      ['completed', 'message'],
    ]);
    const deskNotice = (await desk.seen(CHAT.desk, mark)).at(-1)!;
    expect(deskNotice.text).toContain(`**${no}** 已由 杨帆 完成：更换跌落式熔断器 10:40 恢复供电`);
  });

  it('a second tap on the same step is told who did it and when, on the tapper’s view only', async () => {
    const { no, taskId } = await dispatchedCard('人民路2号');
    await desk.tap('zhangwei', taskId, 'accept');
    const mark = await desk.lastOutboxId();
    await desk.tap('yangfan', taskId, 'accept');
    const [refusal] = await updatesSince(mark);
    expect(refusal!.userIds).toEqual(['yangfan']);
    expect(refusal!.text).toContain(`提示 ${no} 已由 张伟 于 10:00 接单`);
    expect((await desk.events(no)).filter((e) => e.type === 'accepted')).toHaveLength(1);
  });

  it('a tap by someone outside the owning unit is refused politely and changes nothing', async () => {
    const { no, taskId } = await dispatchedCard('人民路3号');
    const events = (await desk.events(no)).length;
    const mark = await desk.lastOutboxId();
    await desk.tap('zhengyong', taskId, 'accept');
    const [refusal] = await updatesSince(mark);
    expect(refusal!.userIds).toEqual(['zhengyong']);
    expect(refusal!.text).toContain(`提示 ${no} 由客户中心负责，郑勇不是该单位成员，不能接单`);
    expect(refusal!.text).toMatch(/\[接单\] \[退回\]$/);
    expect((await desk.events(no)).length).toBe(events);
    expect((await desk.ticket(no)).state).toBe('dispatched');
  });

  it('a tap on an archived ticket is refused and changes nothing', async () => {
    const { no, taskId } = await dispatchedCard('人民路4号');
    await desk.tap('zhangwei', taskId, 'accept');
    await desk.tap('zhangwei', taskId, 'arrive');
    await desk.say('zhangwei', CHAT.khzx, `/完成 ${no} 更换熔断器`);
    await desk.say('wangfang', CHAT.desk, `/审核 ${no} 通过`);
    expect((await desk.ticket(no)).state).toBe('archived');
    const events = (await desk.events(no)).length;
    const mark = await desk.lastOutboxId();
    await desk.tap('yangfan', taskId, 'complete');
    const [refusal] = await updatesSince(mark);
    expect(refusal!.userIds).toEqual(['yangfan']);
    expect(refusal!.text).toContain(`提示 ${no} 已由 张伟 于 10:00 完成`);
    expect(refusal!.text).toMatch(/\[已归档\]$/);
    expect((await desk.events(no)).length).toBe(events);
  });

  it('a tap on a card whose task id we never issued changes nothing and says nothing', async () => {
    const before = { tickets: await desk.count('tickets'), events: await desk.count('ticket_events'), outbox: await desk.count('outbox') };
    await desk.tap('zhangwei', 'GZ20261124-0001_forged', 'accept', CHAT.khzx);
    expect({ tickets: await desk.count('tickets'), events: await desk.count('ticket_events'), outbox: await desk.count('outbox') }).toEqual(before);
  });

  it('退回 asks the tapper for a reason; the chosen reason returns the ticket to the desk for re-dispatch', async () => {
    const { no, taskId } = await dispatchedCard('工业园3号');
    const mark = await desk.lastOutboxId();
    await desk.tap('zhangwei', taskId, 'return');
    const [menu] = await updatesSince(mark);
    expect(menu!.userIds).toEqual(['zhangwei']);
    expect(menu!.text).toMatch(/\[非本辖区\] \[地址不详\] \[重复报修\] \[取消\]$/);
    expect((await desk.ticket(no)).state).toBe('dispatched');

    await desk.tap('zhangwei', taskId, 'return:not_ours');
    expect(await desk.ticket(no)).toMatchObject({ state: 'returned' });
    const notice = (await desk.seen(CHAT.desk, mark)).at(-1)!;
    expect(notice.text).toBe(`**${no}** 被客户中心 张伟 退回：不属于本单位管辖范围\n请重新派工：\`/转派 ${no} 单位\``);

    expect(await desk.say('wangfang', CHAT.desk, `/转派 ${no} 修试所`)).toBe(`**${no}** 已派工，待接单。已派至修试所，须在 10:45 前到达现场。`);
    const card = await desk.lastCard(CHAT.xiushi);
    expect(card.text).toContain(no);
    expect((await desk.ticket(no)).owner_unit_id).toBe('xiushi');

    const again = await desk.lastOutboxId();
    await desk.tap('zhangwei', taskId, 'accept');
    expect((await updatesSince(again))[0]!.text).toContain(`${no} 由修试所负责，张伟不是该单位成员，不能接单`);
  });

  it('a hundred crew members tapping 接单 at once: one winner, one card update for all, 99 polite refusals', async () => {
    const { org } = (await (await desk.app.api('/api/org')).json()) as { org: OrgDoc };
    const crew = Array.from({ length: 100 }, (_, i) => ({ userId: `crew${i}`, name: `抢修${i}号` }));
    const bigger = { ...org, units: org.units.map((u) => (u.id === 'khzx' ? { ...u, members: [...u.members, ...crew] } : u)) };
    expect((await desk.app.api('/api/org', { method: 'PUT', body: bigger })).status).toBe(200);

    const { no, taskId } = await dispatchedCard('人民路100号');
    const mark = await desk.lastOutboxId();
    await Promise.all(crew.map((c) => desk.tap(c.userId, taskId, 'accept')));

    const accepted = (await desk.events(no)).filter((e) => e.type === 'accepted');
    expect(accepted).toHaveLength(1);
    const updates = await updatesSince(mark);
    expect(updates).toHaveLength(100);
    const forAll = updates.filter((u) => u.userIds === undefined);
    expect(forAll).toHaveLength(1);
    expect(forAll[0]!.text).toContain(`${accepted[0]!.actor_name} 接单`);
    const refusals = updates.filter((u) => u.userIds !== undefined);
    expect(refusals).toHaveLength(99);
    expect(new Set(refusals.map((u) => u.userIds![0])).size).toBe(99);
    for (const refusal of refusals) expect(refusal.text).toContain(`提示 ${no} 已由 ${accepted[0]!.actor_name} 于 10:00 接单`);
  });
});

describe('command twins of the buttons', () => {
  it('/接单 /到达 /完成 do what the buttons do', async () => {
    const { no } = await dispatchedCard('人民路5号');
    expect(await desk.say('yangfan', CHAT.khzx, `/接单 ${no}`)).toBe(`**${no}** 已接单。到达现场后请发送 \`/到达 ${no}\`。`);
    expect(await desk.say('yangfan', CHAT.khzx, `/到达 ${no}`)).toBe(
      `**${no}** 已到达现场。请在 10:20 前报告现场情况：\`/现场 ${no} 情况\`；处理完毕发送 \`/完成 ${no} 结果\`。`,
    );
    expect(await desk.say('yangfan', CHAT.khzx, `/完成 ${no} 更换低压熔丝`)).toBe(`**${no}** 已完成，待审核。已提交客户服务班审核。`);
    expect((await desk.events(no)).slice(2).map((e) => [e.type, e.via, e.actor_name])).toEqual([
      ['accepted', 'message', '杨帆'],
      ['arrived', 'message', '杨帆'],
      ['completed', 'message', '杨帆'],
    ]);
  });

  it('an on-site report before arriving is refused and publishes no outage', async () => {
    const { no } = await dispatchedCard('人民路7号');
    const outages = await desk.count('outages');
    expect(await desk.say('yangfan', CHAT.khzx, `/现场 ${no} 整片停电 片区停电`)).toBe(`抱歉，${no} 当前状态为「已派工，待接单」，不能报告现场情况`);
    expect(await desk.count('outages')).toBe(outages);
  });

  it('/退回 needs a reason, and a crew cannot arrive before accepting', async () => {
    const { no } = await dispatchedCard('人民路6号');
    expect(await desk.say('yangfan', CHAT.khzx, `/退回 ${no}`)).toMatch(/缺少「原因」/);
    expect(await desk.say('yangfan', CHAT.khzx, `/到达 ${no}`)).toBe(`抱歉，${no} 当前状态为「已派工，待接单」，不能到达`);
  });
});
