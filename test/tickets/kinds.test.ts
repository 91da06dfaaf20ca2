import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ticket } from '../../src/domain/tickets/session';
import { Chats } from './chats';
import { CHAT, numberIn } from './desk';

/**
 * A desk member takes each kind of request in the desk group through WeCom. Each story checks the ticket, its
 * owner by the regulation's rules, and what the desk group and the owner's group show.
 */
let chats: Chats;
beforeAll(async () => (chats = await Chats.open()), 60_000);
afterAll(() => chats.close());

async function ticket(no: string): Promise<Ticket> {
  return (await chats.app.ctx.db.selectFrom('tickets').selectAll().where('no', '=', no).executeTakeFirstOrThrow()) as Ticket;
}

describe('every kind of request, from a message in the desk group', () => {
  it('a fault report becomes a repair ticket dispatched to the area’s customer centre, with a card in its group', async () => {
    const reply = await chats.say('wangfang', CHAT.desk, '/报修 城关镇 人民路12号 农贸市场对面 变压器冒烟 张三 13800000000');
    expect(reply).toBe(
      [
        '已受理故障报修 **GZ20261124-0001**，派至客户中心（城关镇35kV 以下故障由客户中心处理）。',
        '城关镇 人民路12号（农贸市场对面）：变压器冒烟',
        '抢修人员须在 10:45 前到达现场（城区）。可随时发送 `/查单 GZ20261124-0001` 查看进度。',
      ].join('\n'),
    );
    expect(await ticket('GZ20261124-0001')).toMatchObject({ kind: 'repair', state: 'dispatched', owner_unit_id: 'khzx', area_class: 'urban' });

    const card = await chats.waitFor(CHAT.khzx, (e) => e.kind === 'card');
    expect(card.content).toContain('故障报修 GZ20261124-0001');
    expect(card.content).toContain('地标: 农贸市场对面');
    expect(card.content).toContain('报修人: 张三 13800000000');
    expect(card.content).toContain('到达时限: 10:45 前');
    expect(card.content).toMatch(/\[接单\] \[退回\]$/);
    const notice = await chats.waitFor(CHAT.khzx, (e) => e.kind === 'webhook');
    expect(notice.mentions).toEqual(['zhangwei', 'yangfan']);
    expect(notice.content).toContain('/接单 GZ20261124-0001');
  });

  it('a complaint naming a supply station becomes its work order', async () => {
    const reply = await chats.say('wangfang', CHAT.desk, '/投诉 南溪供电所 抄表员态度恶劣 要求:当面道歉 李四 13900000000');
    const no = numberIn(reply);
    expect(no).toMatch(/^TS20261124-\d{4}$/);
    expect(reply).toContain('已交办南溪供电所（投诉涉及南溪供电所，由该单位处理）');
    expect(await ticket(no)).toMatchObject({ kind: 'complaint', owner_unit_id: 'nanxi', subject: '南溪供电所', demand: '当面道歉', phone: '13900000000' });
    const card = await chats.waitFor(CHAT.nanxi, (e) => e.kind === 'card' && e.content.includes(no));
    expect(card.content).toContain('诉求: 当面道歉');
    expect(card.content).toMatch(/\[接收\] \[退回\] \[答复\]$/);
  });

  it('a report goes to the political work department, anonymously if the caller wishes', async () => {
    const no = numberIn(await chats.say('wangfang', CHAT.desk, '/举报 某抄表员 收取好处费后少抄电量 回访:不回访'));
    expect(no).toMatch(/^JB/);
    expect(await ticket(no)).toMatchObject({ kind: 'report', owner_unit_id: 'szb', revisit_method: 'none', phone: null, anonymous: true });
    await chats.waitFor(CHAT.szb, (e) => e.kind === 'card' && e.content.includes(no));
  });

  it('a suggestion about the business hall goes to marketing', async () => {
    const no = numberIn(await chats.say('wangfang', CHAT.desk, '/建议 营业厅 周末增加缴费窗口 王五 13700000000'));
    expect(no).toMatch(/^JY/);
    expect(await ticket(no)).toMatchObject({ kind: 'suggestion', owner_unit_id: 'yxb', reporter_name: '王五' });
    await chats.waitFor(CHAT.yxb, (e) => e.kind === 'card' && e.content.includes(no));
  });

  it('praise is passed on to the station praised', async () => {
    const no = numberIn(await chats.say('wangfang', CHAT.desk, '/表扬 清水供电所 雨夜抢修两小时恢复供电 赵六 13600000000'));
    expect(no).toMatch(/^BY/);
    expect(await ticket(no)).toMatchObject({ kind: 'praise', owner_unit_id: 'qingshui' });
    await chats.waitFor(CHAT.qingshui, (e) => e.kind === 'card' && e.content.includes(no));
  });

  it('an inquiry the knowledge base knows is answered at once and closed', async () => {
    const reply = await chats.say('huanglei', CHAT.khzx, '/咨询 电费逾期了违约金收多少 孙七 13500000000');
    const no = numberIn(reply);
    expect(reply.split('\n')[0]).toBe(`**${no}** 知识库答复：`);
    expect(reply).toContain('违约金');
    const row = await ticket(no);
    expect(row).toMatchObject({ kind: 'inquiry', state: 'answered' });
    expect(reply).toContain(row.answer);
  });

  it('an inquiry the knowledge base is unsure of offers numbered candidates, and 转人工 takes it to the desk', async () => {
    const reply = await chats.say('huanglei', CHAT.khzx, '/咨询 供电所今年招不招临时工 孙七 13500000000');
    const no = numberIn(reply);
    const [first, ...candidates] = reply.split('\n');
    expect(first).toBe(`**${no}** 知识库中可能相关的问题：`);
    expect(candidates[0]).toMatch(/^1\. /);
    expect(await chats.say('huanglei', CHAT.khzx, '转人工')).toBe(`已转人工：咨询 **${no}** 由客户服务班答复，请稍候。`);
    await chats.waitFor(CHAT.desk, (e) => e.kind === 'markdown' && e.content.includes(`咨询 **${no}**（客户要求转人工）`));
    const ask = await chats.waitFor(CHAT.desk, (e) => e.kind === 'webhook' && e.content.includes(`咨询 ${no}（客户要求转人工）`));
    expect(ask.mentions).toEqual(['wangfang']);

    expect(await chats.say('wangfang', CHAT.desk, `/答复 ${no} 招聘信息以公司官网公告为准`)).toBe(`**${no}** 已答复。`);
    expect(await ticket(no)).toMatchObject({ kind: 'inquiry', state: 'answered', answer: '招聘信息以公司官网公告为准' });
    await chats.waitFor(CHAT.khzx, (e) => e.content === `咨询 **${no}** 答复：招聘信息以公司官网公告为准`);
  });

  it('a query about power cuts is answered at once from the published outages', async () => {
    const reply = await chats.say('wangfang', CHAT.desk, '/查询 停电 城关镇');
    const no = numberIn(reply);
    expect(reply).toBe(`已受理查询 **${no}**：城关镇目前没有已发布的停电信息。`);
    expect(await ticket(no)).toMatchObject({ kind: 'query', state: 'answered', topic: '停电', area: '城关镇' });
  });
});
