import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHAT, Desk, numberIn } from '../tickets/desk';

/**
 * Each kind of work order walks its whole path in the chats of the county, on Tuesday 24 November 2026: intake at the
 * desk, the work order in the owner's group, receive, reply, review, the answer to the customer, and the revisit.
 */
let desk: Desk;
beforeAll(async () => (desk = await Desk.open()), 60_000);
afterAll(() => desk.close());

const HOUR = 3_600_000;

async function types(no: string): Promise<string[]> {
  return (await desk.events(no)).map((e) => e.type);
}

async function texts(chatId: string, after = 0): Promise<string[]> {
  return (await desk.seen(chatId, after)).map((s) => s.text);
}

describe('a complaint', () => {
  it('goes from the desk to the station involved and back to the customer, who is called back', async () => {
    const intake = await desk.say('wangfang', CHAT.desk, '/投诉 南溪供电所 抄表员多抄电量还态度恶劣 要求:更正电费并道歉 回访:电话 李四 13900000000');
    const no = numberIn(intake);
    expect(intake).toBe(
      `已受理投诉 **${no}**，已交办南溪供电所（投诉涉及南溪供电所，由该单位处理）。办理结果将回复客服班，可发送 \`/查单 ${no}\` 查看进度。`,
    );
    // The work order: the card with the facts and the handling deadline, and the @ that wakes who is on duty.
    const [card] = await desk.seen(CHAT.nanxi);
    expect(await desk.wakes('sandbox-robot-nanxi')).toEqual([
      { text: `新的投诉工单 ${no}：南溪供电所。请接收：/接收 ${no}（或点工单卡片的按钮）`, mentions: ['zhengyong'] },
    ]);
    expect(card!.text).toContain(`投诉 ${no}`);
    expect(card!.text).toContain('诉求: 更正电费并道歉');
    // The station is what the complaint is about: it does not learn who complained (the desk answers the customer).
    expect(card!.text).not.toContain('李四');
    expect(card!.text).not.toContain('13900000000');
    expect(card!.text).toContain('回访方式: 电话');
    expect(card!.text).toContain('办理时限: 12-01 10:00 前');
    expect(card!.text).toMatch(/\[接收\] \[退回\] \[答复\]$/);

    // 接收 by tap; the card now offers what is left.
    await desk.advance(HOUR);
    const before = await desk.lastOutboxId();
    await desk.tap('zhengyong', card!.taskId!, 'accept');
    const [update] = await desk.seen(CHAT.nanxi, before);
    expect(update).toMatchObject({ channel: 'update' });
    expect(update!.text).toMatch(/\[退回\] \[答复\]$/);

    // The reply with the customer's acceptance goes to the desk for review.
    await desk.advance(2 * 24 * HOUR);
    expect(await desk.say('zhengyong', CHAT.nanxi, `/答复 ${no} 已核实多抄 120 度并退还电费及上门道歉 客户意见:认可`)).toBe(
      `**${no}** 已完成，待审核。已提交客户服务班审核。`,
    );
    const review = await texts(CHAT.desk, before);
    expect(review.at(-1)).toBe(
      `**${no}** 已由 郑勇 答复：已核实多抄 120 度并退还电费及上门道歉（客户意见：认可）\n请审核：\`/审核 ${no} 通过\` 或 \`/审核 ${no} 退回 原因\``,
    );

    expect(await desk.say('wangfang', CHAT.desk, `/审核 ${no} 通过`)).toBe(
      `**${no}** 已归档。请答复客户：\`/回复客户 ${no} 电话 答复内容\`。`,
    );
    // Approved is not answered: the handling clock still runs, and the desk still owes the customer.
    expect(await desk.say('wangfang', CHAT.desk, '/待回访')).not.toContain(no);
    expect(await desk.say('wangfang', CHAT.desk, '/我的工单')).toContain(no);

    const answered = await desk.say('wangfang', CHAT.desk, `/回复客户 ${no} 电话 已退还多收电费且抄表员已上门道歉`);
    expect(answered).toBe(`**${no}** 已答复。回访请发送 \`/回访 ${no} 满意|基本满意|不满意\`。`);
    expect((await texts(CHAT.nanxi)).at(-1)).toBe(`投诉 **${no}** 答复：已退还多收电费且抄表员已上门道歉`);
    expect(await desk.ticket(no)).toMatchObject({ state: 'answered', answer_method: 'phone', customer_acceptance: '认可', overdue_at: null });
    expect(await desk.say('wangfang', CHAT.desk, '/待回访')).toContain(no);

    expect(await desk.say('wangfang', CHAT.desk, `/回访 ${no} 满意`)).toBe(`**${no}** 已回访。回访已记录，工单闭环。`);
    expect(await desk.say('wangfang', CHAT.desk, '/待回访')).not.toContain(no);
    expect(await types(no)).toEqual(['created', 'dispatched', 'accepted', 'completed', 'approved', 'answered', 'revisited']);
    const [event] = (await desk.events(no)).filter((e) => e.type === 'accepted');
    expect(event).toMatchObject({ via: 'tap', actor_id: 'zhengyong' });
  });
});

describe('a report', () => {
  it('goes to the political work department, is redone once after review, and the reporter is called back', async () => {
    const no = numberIn(await desk.say('wangfang', CHAT.desk, '/举报 抄表员张某 收取好处费后少抄电量 回访:电话 王先生 13911112222'));
    expect(no).toMatch(/^JB/);
    const [card] = await desk.seen(CHAT.szb);
    expect(await desk.wakes('sandbox-robot-szb')).toEqual([
      { text: `新的举报工单 ${no}：抄表员张某。请接收：/接收 ${no}（或点工单卡片的按钮）`, mentions: ['hanxue'] },
    ]);
    expect(card!.text).toContain('客户: 王先生 13911112222');
    expect(card!.text).toContain('办理时限: 12-10 11:00 前');

    expect(await desk.say('hanxue', CHAT.szb, `/接收 ${no}`)).toBe(`**${no}** 已接单。办理完毕请发送 \`/答复 ${no} 处理结果 客户意见:认可\`。`);
    expect(await desk.say('hanxue', CHAT.szb, `/答复 ${no} 正在核查`)).toContain('已完成，待审核');
    // Rework: back to the department with the clock still running.
    expect(await desk.say('wangfang', CHAT.desk, `/审核 ${no} 退回 未写明核查结论`)).toBe(`**${no}** 审核退回，待重新处理。已退回思想政治工作部重新处理。`);
    expect((await desk.lastCard(CHAT.szb)).text).toMatch(/审核退回，待重新处理[^]*王芳 审核退回：未写明核查结论[^]*\n\[答复\]$/);
    expect((await desk.wakes('sandbox-robot-szb')).at(-1)).toEqual({
      text: `${no} 审核退回：未写明核查结论。请重新处理后发送 /答复 ${no} 处理结果 客户意见:认可`,
      mentions: ['hanxue'],
    });
    expect((await desk.ticket(no)).state).toBe('rework');
    const running = await desk.db
      .selectFrom('sla_clocks as c')
      .innerJoin('sla_policies as p', 'p.id', 'c.policy_id')
      .select(['p.code', 'c.stopped_at'])
      .where('c.ticket_id', '=', (await desk.ticket(no)).id)
      .where('p.code', '=', 'report.resolve')
      .execute();
    expect(running).toEqual([{ code: 'report.resolve', stopped_at: null }]);

    expect(await desk.say('hanxue', CHAT.szb, `/答复 ${no} 经查属实已给予张某记过处分并追缴电费 客户意见:认可`)).toContain('已完成，待审核');
    await desk.say('wangfang', CHAT.desk, `/审核 ${no} 通过`);
    // The desk's /答复 on an approved order is the answer to the customer, by the way they chose.
    expect(await desk.say('wangfang', CHAT.desk, `/答复 ${no} 经查属实已严肃处理感谢您的监督`)).toContain('已答复');
    expect(await desk.ticket(no)).toMatchObject({ state: 'answered', answer_method: 'phone' });
    expect(await desk.say('wangfang', CHAT.desk, `/回访 ${no} 满意`)).toContain('已回访');
    expect(await types(no)).toEqual([
      'created', 'dispatched', 'accepted', 'completed', 'sent_back', 'completed', 'approved', 'answered', 'revisited',
    ]);
  });
});

describe('a suggestion', () => {
  it('is handled by taps, answered by letter, and closed without a revisit the customer did not want', async () => {
    const no = numberIn(await desk.say('wangfang', CHAT.desk, '/建议 营业厅 周末增加缴费窗口 回访:不回访 王五 13700000000'));
    const card = await desk.lastCard(CHAT.yxb);
    expect(card.text).toContain('回访方式: 不回访');
    await desk.tap('jiangli', card.taskId!, 'accept');
    await desk.tap('jiangli', card.taskId!, 'complete');
    expect((await desk.ticket(no)).state).toBe('accepted');
    await desk.say('jiangli', CHAT.yxb, `/答复 ${no} 周六上午增开一个缴费窗口`);
    expect(await desk.ticket(no)).toMatchObject({ state: 'completed', result: '周六上午增开一个缴费窗口' });
    await desk.say('wangfang', CHAT.desk, `/审核 ${no} 通过`);
    expect(await desk.say('wangfang', CHAT.desk, `/回复客户 ${no} 信函 周六上午已增开一个缴费窗口`)).toBe(`**${no}** 已办结（客户不需回访）。客户不需回访，工单闭环。`);
    expect(await desk.ticket(no)).toMatchObject({ state: 'closed', answer_method: 'letter' });
    expect(await desk.say('wangfang', CHAT.desk, '/待回访')).not.toContain(no);
    expect(await types(no)).toEqual(['created', 'dispatched', 'accepted', 'completed', 'approved', 'answered', 'closed']);
  });
});

describe('praise', () => {
  it('is passed on to the leader of the station praised, and the customer is thanked and called back', async () => {
    const no = numberIn(await desk.say('wangfang', CHAT.desk, '/表扬 清水供电所 雨夜抢修两小时恢复供电 赵六 13600000000'));
    expect(await desk.wakes('sandbox-robot-qingshui')).toEqual([
      { text: `新的表扬工单 ${no}：清水供电所。请接收：/接收 ${no}（或点工单卡片的按钮）`, mentions: ['denglin', 'caojun'] },
    ]);
    expect(await desk.say('caojun', CHAT.qingshui, `/接收 ${no}`)).toContain('已接单');
    expect(await desk.say('denglin', CHAT.qingshui, `/答复 ${no} 已在全所通报表扬抢修班`)).toContain('已完成，待审核');
    await desk.say('wangfang', CHAT.desk, `/审核 ${no} 通过`);
    expect(await desk.say('wangfang', CHAT.desk, `/回复客户 ${no} 电话 感谢您的表扬已转达清水供电所`)).toContain('已答复');
    // Dissatisfied: a follow-up for the desk, and the station's leader is told.
    expect(await desk.say('wangfang', CHAT.desk, `/回访 ${no} 不满意 希望给抢修班发奖金`)).toBe(
      `**${no}** 回访不满意，待客服班跟进。已告知清水供电所负责人。请跟进：\`/转派 ${no} 部门\` 重新交办，或 \`/回复客户 ${no} 电话 内容\` 再次答复。`,
    );
    expect((await texts(CHAT.qingshui)).at(-1)).toBe(`**${no}** 客户回访不满意：希望给抢修班发奖金。客服班将跟进处理，请督促本单位配合。`);
    expect((await desk.wakes('sandbox-robot-qingshui')).at(-1)).toEqual({
      text: `${no} 客户回访不满意：希望给抢修班发奖金。客服班将跟进处理，请督促本单位配合。`,
      mentions: ['denglin'],
    });
    expect(await desk.say('wangfang', CHAT.desk, '/我的工单')).toContain(no);
    expect(await desk.say('wangfang', CHAT.desk, `/回复客户 ${no} 电话 奖励事宜由供电所按制度办理`)).toContain('已答复');
    expect(await desk.say('wangfang', CHAT.desk, `/回访 ${no} 满意`)).toContain('已回访');
    expect(await types(no)).toEqual(['created', 'dispatched', 'accepted', 'completed', 'approved', 'answered', 'revisited', 'answered', 'revisited']);
  });
});

describe('re-classification', () => {
  it('/改类 turns a complaint into a report and hands it to the political work department', async () => {
    const no = numberIn(await desk.say('wangfang', CHAT.desk, '/投诉 营业厅 收费员私自加收费用 李四 13900000003'));
    expect((await desk.ticket(no)).owner_unit_id).toBe('yxb');
    expect(await desk.say('wangfang', CHAT.desk, `/改类 ${no} 举报`)).toContain('已交办思想政治工作部');
    expect(await desk.ticket(no)).toMatchObject({ kind: 'report', owner_unit_id: 'szb', state: 'dispatched' });
    expect(await types(no)).toEqual(['created', 'dispatched', 'reclassified', 'dispatched']);
    expect(await desk.say('zhengyong', CHAT.nanxi, `/改类 ${no} 投诉`)).toBe('抱歉，`/改类` 仅限客户服务班使用。');
  });
});
