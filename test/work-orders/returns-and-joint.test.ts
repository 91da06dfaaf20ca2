import { afterEach, describe, expect, it } from 'vitest';
import { CHAT, Desk, numberIn } from '../tickets/desk';

/** Tuesday 24 November 2026, 10:00: returns within and past 1 working day, and a complaint handled jointly. */
let desk: Desk | undefined;
afterEach(async () => {
  await desk?.close();
  desk = undefined;
});

async function acknowledgeClocks(d: Desk, no: string) {
  return d.db
    .selectFrom('sla_clocks as c')
    .innerJoin('sla_policies as p', 'p.id', 'c.policy_id')
    .select(['c.unit_id', 'c.stop_event', 'c.due_at', 'c.stopped_at'])
    .where('c.ticket_id', '=', (await d.ticket(no)).id)
    .where('p.code', '=', 'complaint.acknowledge')
    .orderBy('c.id')
    .execute();
}

describe('a department returns an order that is not its own', () => {
  it('within 1 working day: the desk re-routes it and nobody is late', async () => {
    const d = (desk = await Desk.open());
    const no = numberIn(await d.say('wangfang', CHAT.desk, '/投诉 南溪供电所 线路老化多年无人更换 李四 13900000000'));
    await d.until('2026-11-25', '09:00');
    expect(await d.say('zhengyong', CHAT.nanxi, `/退回 ${no} 线路改造属生产技术部职责`)).toBe(`**${no}** 已退回客服班。已退回客户服务班，等待重新派工。`);
    expect((await d.seen(CHAT.desk)).at(-1)!.text).toBe(
      `**${no}** 被南溪供电所 郑勇 退回：线路改造属生产技术部职责\n请重新派工：\`/转派 ${no} 单位\``,
    );
    expect(await d.say('wangfang', CHAT.desk, `/转派 ${no} 生产技术部`)).toContain(`已交办生产技术部，办理时限 12-01 10:00`);
    expect((await d.lastCard(CHAT.scb)).text).toContain(`投诉 ${no}`);
    const [first, second] = await acknowledgeClocks(d, no);
    expect(first).toMatchObject({ unit_id: 'nanxi', stop_event: 'returned' });
    expect(first!.stopped_at! < first!.due_at).toBe(true);
    expect(second).toMatchObject({ unit_id: 'scb', stop_event: null });
    expect((await d.ticket(no)).overdue_at).toBeNull();
  });

  it('past 1 working day: the return is still taken, and counted against the department that was late', async () => {
    const d = (desk = await Desk.open());
    const no = numberIn(await d.say('wangfang', CHAT.desk, '/投诉 南溪供电所 线路老化多年无人更换 李四 13900000000'));
    await d.until('2026-11-25', '09:00');
    expect(await d.say('zhengyong', CHAT.nanxi, `/接收 ${no}`)).toContain('已接单');
    await d.until('2026-11-26', '09:00');
    expect(await d.say('zhengyong', CHAT.nanxi, `/退回 ${no} 核实后属生产技术部职责`)).toContain('已退回客服班');
    const [clock] = await acknowledgeClocks(d, no);
    expect(clock).toMatchObject({ unit_id: 'nanxi', stop_event: 'returned' });
    expect(clock!.stopped_at! > clock!.due_at).toBe(true);
    expect((await d.ticket(no)).overdue_at).toEqual(clock!.due_at);

    d.app.clock.freeze(new Date('2026-12-01T09:00:00+08:00'));
    const response = await d.app.api('/api/reports/assessment?month=2026-11');
    const { units } = (await response.json()) as { units: { unitId: string; categories: Record<string, unknown> }[] };
    expect(units.find((u) => u.unitId === 'nanxi')!.categories.department_return).toEqual({ met: 0, missed: 1, open: 0, rate: 0 });
  });
});

describe('a complaint for several departments', () => {
  it('the leader in charge of marketing names a lead and two helpers; one helper is late; the lead consolidates', async () => {
    const d = (desk = await Desk.open());
    const no = numberIn(await d.say('wangfang', CHAT.desk, '/投诉 电费和电压 电费贵不说家里电压低到空调开不了 张三 13800000001'));
    expect(await d.ticket(no)).toMatchObject({ owner_unit_id: 'leaders', owner_user_id: 'huxiaodong' });
    expect(await d.wakes('sandbox-robot-leaders')).toEqual([
      { text: `新的投诉工单 ${no}：电费和电压。请接收：/接收 ${no}（或点工单卡片的按钮）`, mentions: ['huxiaodong'] },
    ]);

    await d.until('2026-11-24', '10:30');
    expect(await d.say('huxiaodong', CHAT.leaders, `/协办 ${no} 市场营销部 生产技术部 调度中心`)).toBe(
      `**${no}** 已派工，待接单。已交办市场营销部，办理时限 12-01 10:00。`,
    );
    expect(await d.ticket(no)).toMatchObject({ owner_unit_id: 'yxb', owner_user_id: null, route_rule: '市场营销部牵头，生产技术部、调度中心协办' });
    expect((await d.lastCard(CHAT.yxb)).text).toMatch(/\[接收\] \[退回\] \[答复\]$/);
    // Each helper gets its part, due one working day before the customer's deadline (12-01 10:00) falls, whole working
    // days counted from now: the lead has a day to consolidate.
    for (const [chat, robot, duty] of [[CHAT.scb, 'sandbox-robot-scb', 'yuanchao'], [CHAT.dispatch, 'sandbox-robot-ddzx', 'xieming']] as const) {
      const [card] = await d.seen(chat);
      expect(await d.wakes(robot)).toEqual([
        { text: `协办投诉 ${no}：电费和电压，市场营销部牵头。请接收并答复协办意见：/接收 ${no}、/答复 ${no} 协办意见（或点工单卡片的按钮）`, mentions: [duty] },
      ]);
      expect(card!.text).toContain('协办 · 待接收');
      expect(card!.text).toContain('协办时限: 11-27 10:30 前');
      expect(card!.text).toMatch(/\[接收\] \[答复\]$/);
    }
    expect(await d.say('yuanchao', CHAT.scb, '/我的工单')).toContain(`**${no}** 投诉 · 电费和电压 · 已派工，待接单 · 市场营销部 · 协办 · 11-27 10:30 前`);

    // 生产技术部 receives by tap and replies in time.
    await d.tap('yuanchao', (await d.lastCard(CHAT.scb)).taskId!, 'accept');
    expect((await d.seen(CHAT.scb)).at(-1)!.text).toMatch(/协办 · 已接收[^]*\[答复\]$/);
    await d.until('2026-11-25', '15:00');
    await d.say('yuanchao', CHAT.scb, `/答复 ${no} 已调整台区分接头电压恢复正常`);
    expect((await d.seen(CHAT.yxb)).at(-1)!.text).toBe(
      `**${no}** 生产技术部 袁超 协办答复：已调整台区分接头电压恢复正常\n汇总各协办意见后请答复：\`/答复 ${no} 处理结果 客户意见:认可\``,
    );
    // The lead cannot reply before every helper has.
    expect(await d.say('jiangli', CHAT.yxb, `/答复 ${no} 电费核算无误`)).toBe(`抱歉，${no} 的协办部门调度中心尚未答复，请汇总各部门意见后再答复`);

    // 调度中心's part runs late: warned, chased at its deadline, then its leader a working day later, each by a real @ of
    // its group robot, with the part's own limit (3 working days); 生产技术部, which replied in time, never.
    const chased = async () => (await d.wakes('sandbox-robot-ddzx')).slice(1);
    await d.until('2026-11-26', '17:00');
    expect(await chased()).toEqual([{ text: `【预警】调度中心 1 件将到期：${no}，请尽快处理（明细见本群机器人消息）`, mentions: ['xieming'] }]);
    await d.until('2026-11-27', '10:31');
    expect((await chased()).slice(1)).toEqual([{ text: `【催办】调度中心 1 件超时：${no}，请尽快处理（明细见本群机器人消息）`, mentions: ['xieming'] }]);
    expect((await d.seen(CHAT.dispatch)).at(-1)!.text).toBe(
      `【催办】调度中心 1 件超时：\n1.【催办】${no} 协办交办后已 3 个工作日未答复协办意见（时限 3 个工作日，11月27日 10:30 到期，超时 1 分钟），请答复协办意见：/答复 ${no} 协办意见`,
    );
    // The leaders' board lists the part with its own limit, owed by the helper.
    const board = (await (await d.app.api('/api/board?unit=ddzx')).json()) as { groups: { urgency: string; items: { no: string; limit: string; unitName: string }[] }[] };
    expect(board.groups.find((g) => g.urgency === 'overdue')!.items).toEqual([
      expect.objectContaining({ no, limit: '答复协办意见（协办交办起 3 个工作日）', unitName: '调度中心' }),
    ]);
    await d.until('2026-11-30', '11:00');
    expect((await chased()).slice(2)).toEqual([{ text: `【督办】调度中心 1 件超时：${no}，请尽快处理（明细见本群机器人消息）`, mentions: ['luobin'] }]);
    expect((await d.wakes('sandbox-robot-scb')).slice(1)).toEqual([]);
    // No status line about a helper's part in the other chats: their cards did not go stale.
    expect((await d.seen(CHAT.dispatch)).filter((e) => e.text.includes('发送指令'))).toEqual([]);

    // 调度中心 replies past its part's deadline: taken, marked late, and the lead sees it.
    await d.say('xieming', CHAT.dispatch, `/答复 ${no} 当月无计划停电`);
    expect((await d.seen(CHAT.yxb)).at(-1)!.text).toContain('调度中心 谢明 协办答复（超时）：当月无计划停电');
    const parts = await d.db.selectFrom('ticket_parts').select(['unit_id', 'state', 'replied_at', 'due_at']).orderBy('id').execute();
    expect(parts.map((p) => [p.unit_id, p.state, p.replied_at! > p.due_at])).toEqual([
      ['scb', 'replied', false],
      ['ddzx', 'replied', true],
    ]);
    expect(await d.say('wangfang', CHAT.desk, `/查单 ${no}`)).toContain('**协办**\n生产技术部：已答复，11-27 10:30 前\n调度中心：已答复（超时），11-27 10:30 前');
    // The late reply stopped its part's clock, late; nothing more is chased about it.
    const partClocks = await d.db
      .selectFrom('sla_clocks')
      .select(['part_of', 'unit_id', 'due_at', 'stop_event'])
      .where('part_of', 'is not', null)
      .orderBy('part_of')
      .execute();
    expect(partClocks.map((c) => [c.part_of, c.unit_id, c.stop_event, c.due_at.toISOString()])).toEqual([
      ['ddzx', 'ddzx', 'assist_replied', '2026-11-27T02:30:00.000Z'],
      ['scb', 'scb', 'assist_replied', '2026-11-27T02:30:00.000Z'],
    ]);

    expect(await d.say('jiangli', CHAT.yxb, `/答复 ${no} 电费核算无误且电压已恢复 客户意见:认可`)).toContain('已完成，待审核');
    await d.say('wangfang', CHAT.desk, `/审核 ${no} 通过`);
    expect(await d.say('wangfang', CHAT.desk, `/回复客户 ${no} 电话 电费核算无误且电压已恢复正常`)).toContain('已答复');
    expect(await d.say('wangfang', CHAT.desk, `/回访 ${no} 基本满意`)).toContain('已回访');
    expect((await d.events(no)).map((e) => e.type)).toEqual([
      'created', 'dispatched', 'dispatched', 'assist_assigned', 'assist_assigned', 'assist_accepted', 'assist_replied',
      'assist_replied', 'completed', 'approved', 'answered', 'revisited',
    ]);
  });
});
