import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shanghaiTime } from '../../src/calendar/calendar';
import { inquiryLapses } from '../../src/chat/lapses';
import { createFaqService } from '../../src/faq/service';
import { CHAT, Desk, numberIn } from './desk';

/**
 * Inquiries the knowledge base is not sure of (chapter 3, 三): the asker picks a candidate by its number, or asks for a
 * person; one inquiry is one ticket whatever follows. The desk answers, teaches the knowledge base with /入库, and
 * passes what it cannot answer to the specialist of the topic and area with /转专业.
 */
describe('the cheap hand-off of an inquiry', () => {
  let desk: Desk;
  beforeAll(async () => {
    desk = await Desk.open();
  });
  afterAll(() => desk.close());

  const feedback = (ticketId: number) =>
    desk.db.selectFrom('faq_feedback').select(['entry_id', 'source', 'rank', 'helped']).where('ticket_id', '=', ticketId).orderBy('id').execute();

  it('a numbered pick answers at once on the same ticket and records which entry helped', async () => {
    const tickets = await desk.count('tickets');
    const deskSeen = await desk.lastOutboxId();
    const reply = await desk.say('huanglei', CHAT.khzx, '/咨询 电费怎么交');
    const no = numberIn(reply);
    expect(reply).toContain('1. 用微信或支付宝怎么交电费？');
    expect(reply).toContain('2. 用网上国网App怎么交电费？');
    expect(await desk.ticket(no)).toMatchObject({ state: 'offered', topic: '电费' });
    // The desk is not asked while the asker is choosing.
    expect(await desk.seen(CHAT.desk, deskSeen)).toEqual([]);

    expect(await desk.say('zhangwei', CHAT.khzx, '2')).toContain('没有等待您选择的咨询');
    const answer = await desk.say('huanglei', CHAT.khzx, '@客服机器人 2');
    expect(answer.split('\n')[0]).toBe(`**${no}** 知识库答复：`);
    expect(answer).toContain('网上国网');
    const ticket = await desk.ticket(no);
    expect(ticket).toMatchObject({ state: 'answered', answer: answer.split('\n')[1] });
    expect(await desk.count('tickets')).toBe(tickets + 1);
    expect((await desk.events(no)).map((e) => [e.type, (e.data as { pick?: number }).pick])).toEqual([
      ['created', undefined],
      ['answered', 2],
    ]);
    expect(await feedback(ticket.id)).toEqual([{ entry_id: 'faq-003', source: 'pick', rank: 2, helped: true }]);

    // Another candidate: answered again on the same ticket, and the first pick no longer counts as the one that helped.
    expect(await desk.say('huanglei', CHAT.khzx, '1')).toContain('微信');
    expect(await desk.count('tickets')).toBe(tickets + 1);
    expect((await feedback(ticket.id)).map((f) => [f.entry_id, f.helped])).toEqual([
      ['faq-003', false],
      ['faq-004', true],
    ]);
    // Only the numbers offered are picks; anything else is ordinary chat.
    expect(await desk.say('huanglei', CHAT.khzx, '4')).toContain('/帮助');
  });

  it('the offer card: a colleague taps a number and the chat reads the answer; 转人工 there hands it to the desk', async () => {
    const tickets = await desk.count('tickets');
    const no = numberIn(await desk.say('huanglei', CHAT.khzx, '/咨询 电费怎么交'));
    const card = await desk.lastCard(CHAT.khzx);
    expect(card.text).toContain(`咨询 ${no} 知识库候选`);
    expect(card.text).toMatch(/\[1\] \[2\] \[3\] \[转人工\]$/);

    let mark = await desk.lastOutboxId();
    await desk.tap('zhangwei', card.taskId!, 'pick:2');
    const [answer, update] = await desk.seen(CHAT.khzx, mark);
    expect(answer!.text.split('\n')[0]).toBe(`**${no}** 知识库答复：`);
    expect(answer!.text).toContain('网上国网');
    expect(update).toMatchObject({ channel: 'update', taskId: card.taskId });
    expect(update!.userIds).toBeUndefined();
    expect(update!.text).toContain('已答复第 2 条，可改选或转人工');
    expect(await desk.ticket(no)).toMatchObject({ state: 'answered' });
    expect(await feedback((await desk.ticket(no)).id)).toEqual([{ entry_id: 'faq-003', source: 'pick', rank: 2, helped: true }]);

    mark = await desk.lastOutboxId();
    await desk.tap('huanglei', card.taskId!, 'to_person');
    expect((await desk.seen(CHAT.khzx, mark)).map((s) => s.text)).toEqual([
      `已转人工：咨询 **${no}** 由客户服务班答复，请稍候。`,
      expect.stringMatching(/已转客户服务班人工答复[\s\S]*\[已转人工\]$/),
    ]);
    expect((await desk.seen(CHAT.desk, mark)).at(-1)?.text).toContain(`咨询 **${no}**（客户要求转人工）：电费怎么交`);

    // The offer is closed: a late tap changes nothing but the card, which keeps no live button.
    mark = await desk.lastOutboxId();
    await desk.tap('zhangwei', card.taskId!, 'pick:1');
    const [refusal, ...more] = await desk.seen(CHAT.khzx, mark);
    expect(more).toEqual([]);
    expect(refusal).toMatchObject({ channel: 'update' });
    expect(refusal!.text).toMatch(/已转客户服务班，不再选择[\s\S]*\[已转客户服务班\]$/);
    expect(await desk.ticket(no)).toMatchObject({ state: 'received' });
    expect(await desk.count('tickets')).toBe(tickets + 1);

    // The desk answers; the card cannot change by itself, but the next tap on it shows the answered card to everyone.
    await desk.say('wangfang', CHAT.desk, `/答复 ${no} 可在网上国网App缴费`);
    mark = await desk.lastOutboxId();
    await desk.tap('huanglei', card.taskId!, 'pick:2');
    const [answered, ...nothingElse] = await desk.seen(CHAT.khzx, mark);
    expect(nothingElse).toEqual([]);
    expect(answered).toMatchObject({ channel: 'update', taskId: card.taskId });
    expect(answered!.userIds).toBeUndefined();
    expect(answered!.text).toMatch(/已答复，不再选择[\s\S]*\[已答复\]$/);
    expect(await desk.ticket(no)).toMatchObject({ state: 'answered', answer: '可在网上国网App缴费' });
  });

  it('转人工 makes one ticket for the desk; the desk answers, and /入库 is answered at once by another process', async () => {
    const tickets = await desk.count('tickets');
    const no = numberIn(await desk.say('huanglei', CHAT.khzx, '/咨询 供电所今年招不招临时工 孙七 13500000000'));
    const deskSeen = await desk.lastOutboxId();
    expect(await desk.say('huanglei', CHAT.khzx, '转人工')).toBe(`已转人工：咨询 **${no}** 由客户服务班答复，请稍候。`);
    expect(await desk.ticket(no)).toMatchObject({ state: 'received' });
    const [notice] = await desk.seen(CHAT.desk, deskSeen);
    expect(notice?.text).toContain(`咨询 **${no}**（客户要求转人工）：供电所今年招不招临时工`);
    expect(await desk.say('huanglei', CHAT.khzx, '转人工')).toContain('没有等待您选择的咨询');
    expect(await desk.count('tickets')).toBe(tickets + 1);

    await desk.say('wangfang', CHAT.desk, `/答复 ${no} 招聘信息以公司官网公告为准`);
    expect(await desk.say('huanglei', CHAT.khzx, `/入库 ${no}`)).toContain('仅限客户服务班');
    expect(await desk.say('wangfang', CHAT.desk, `/入库 ${no}`)).toBe(
      `已入库：咨询 **${no}** 的问题和答复已存为知识库条目 ${no}，同类问题机器人将直接答复。`,
    );
    expect((await desk.events(no)).at(-1)).toMatchObject({ type: 'learned', actor_id: 'wangfang' });

    // A second process on the same database, built before the desk's answer was saved, answers it now.
    const other = await createFaqService({ db: desk.db, clock: desk.app.clock, logger: pino({ level: 'silent' }) });
    const found = await other.answer('供电所今年招不招临时工');
    expect(found).toMatchObject({ kind: 'answer', entry: { id: no, answer: '招聘信息以公司官网公告为准' } });
    const again = await desk.say('zhangwei', CHAT.khzx, '/咨询 供电所今年招不招临时工');
    expect(again).toContain('招聘信息以公司官网公告为准');
    // An answer that did not help goes to the desk the same way, on the same ticket.
    const tickets2 = await desk.count('tickets');
    expect(await desk.say('zhangwei', CHAT.khzx, '转人工')).toBe(`已转人工：咨询 **${numberIn(again)}** 由客户服务班答复，请稍候。`);
    expect(await desk.count('tickets')).toBe(tickets2);
  });

  it('/入库 with an entry number adds the question as another way of asking that entry', async () => {
    const no = numberIn(await desk.say('yangfan', CHAT.khzx, '/咨询 俺家电表咋跑得飞快'));
    await desk.say('yangfan', CHAT.khzx, '转人工');
    await desk.say('wangfang', CHAT.desk, `/答复 ${no} 可申请电能表校验`);
    expect(await desk.say('wangfang', CHAT.desk, `/入库 ${no} faq-037`)).toBe('已入库：「俺家电表咋跑得飞快」已作为条目 faq-037（怀疑电表计量不准怎么办？）的相似问法。');
    const [entry] = await desk.app.ctx.faq.search('俺家电表咋跑得飞快', 1);
    expect(entry?.entry).toMatchObject({ id: 'faq-037' });
    expect(entry?.entry.similar).toContain('俺家电表咋跑得飞快');
  });

  it('an offer nobody takes up within 30 minutes goes to the desk', async () => {
    const no = numberIn(await desk.say('zhangwei', CHAT.khzx, '/咨询 电表'));
    const deskSeen = await desk.lastOutboxId();
    const lapses = inquiryLapses(desk.app.ctx);
    expect(await lapses.lapse()).toBe(0);
    desk.app.clock.freeze(new Date(desk.app.clock.now().getTime() + 31 * 60_000));
    expect(await lapses.lapse()).toBe(1);
    expect(await lapses.lapse()).toBe(0);
    expect(await desk.ticket(no)).toMatchObject({ state: 'received' });
    const [notice] = await desk.seen(CHAT.desk, deskSeen);
    expect(notice?.text).toContain(`咨询 **${no}**（30 分钟内未选择知识库候选）`);
    expect(await desk.say('zhangwei', CHAT.khzx, '1')).toContain('没有等待您选择的咨询');
  });

  it('/转专业 passes an inquiry to the specialist of its topic and area, with the limit the desk sets', async () => {
    const no = numberIn(await desk.say('zhengyong', CHAT.nanxi, '/咨询 家里电表走得快 南溪镇 李四 13900000000'));
    await desk.say('zhengyong', CHAT.nanxi, '转人工');
    expect(await desk.ticket(no)).toMatchObject({ topic: '计量', area: '南溪镇' });
    const nanxiSeen = await desk.lastOutboxId();
    expect(await desk.say('wangfang', CHAT.desk, `/转专业 ${no} 2小时`)).toBe(`**${no}** 已转专业人员。已转吴海（南溪供电所），专业人员答复后工单闭环。`);
    const [notice] = await desk.seen(CHAT.nanxi, nanxiSeen);
    expect(notice?.text).toContain(`客户服务班 王芳 转来计量咨询 **${no}**（南溪镇）：家里电表走得快`);
    // The specialist is woken by the group robot's @, since the bot's own message cannot notify anyone.
    const wake = await desk.db.selectFrom('outbox').select('body').where('chat_id', '=', 'webhook:sandbox-robot-nanxi').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(wake.body).toMatchObject({ msgtype: 'text', text: { mentioned_list: ['wuhai'] } });
    expect(notice?.text).toContain('客户：李四 13900000000');
    const due = new Date(desk.app.clock.now().getTime() + 2 * 3600_000);
    expect(notice?.text).toContain(`请在 ${shanghaiTime(due)} 前答复：\`/答复 ${no} 答复内容\``);
    const clock = await desk.db
      .selectFrom('sla_clocks as c')
      .innerJoin('sla_policies as p', 'p.id', 'c.policy_id')
      .select(['p.code', 'c.unit_id', 'c.due_at', 'c.stopped_at'])
      .where('c.ticket_id', '=', (await desk.ticket(no)).id)
      .executeTakeFirstOrThrow();
    expect(clock).toMatchObject({ code: 'inquiry.specialist', unit_id: 'nanxi', due_at: due });
    // The specialist's unit has it on its list until it is answered.
    expect(await desk.say('wuhai', CHAT.nanxi, '/我的工单')).toContain(`**${no}** 咨询`);
    // Chased with the limit the desk set, not the row's 1 working day.
    const beforeChase = await desk.lastOutboxId();
    await desk.advance(2 * 3600_000 + 60_000);
    const chase = (await desk.seen(CHAT.nanxi, beforeChase)).find((e) => e.text.includes(`【催办】${no}`));
    expect(chase?.text).toContain(`${no} 转专业后已 2 小时 1 分钟未专业答复（时限 2 小时，超时 1 分钟）`);

    expect(await desk.say('wuhai', CHAT.nanxi, `/答复 ${no} 已约定明天上门校验电表`)).toBe(`**${no}** 已答复。`);
    expect(await desk.ticket(no)).toMatchObject({ state: 'answered', answer: '已约定明天上门校验电表' });
    const stopped = await desk.db.selectFrom('sla_clocks').select('stop_event').where('ticket_id', '=', (await desk.ticket(no)).id).executeTakeFirstOrThrow();
    expect(stopped.stop_event).toBe('answered');
  });

  it('/转专业 refuses what it cannot pass on, saying why', async () => {
    const no = numberIn(await desk.say('wangfang', CHAT.desk, '/报修 城关镇 人民路12号 变压器冒烟 张三 13800000000'));
    expect(await desk.say('wangfang', CHAT.desk, `/转专业 ${no}`)).toContain('不是咨询工单');
    const inquiry = numberIn(await desk.say('huanglei', CHAT.khzx, '/咨询 电费'));
    expect(await desk.say('wangfang', CHAT.desk, `/转专业 ${inquiry} 明天`)).toContain('时限「明天」看不懂');
  });
});
