import { afterAll, beforeAll, expect, it } from 'vitest';
import { MINUTE_MS } from '../../src/clock';
import { Chats } from '../tickets/chats';
import { CHAT } from '../tickets/desk';

/**
 * One fault from the call to the revisit, through WeCom, as the desk, the crew of the customer centre and the
 * dispatch group live it (regulation chapter 3, 一.1–10). Each step checks what each chat shows.
 */
let chats: Chats;
beforeAll(async () => (chats = await Chats.open()), 60_000);
afterAll(() => chats.close());

const NO = 'GZ20261124-0001';

async function events(): Promise<string[]> {
  const rows = await chats.app.ctx.db
    .selectFrom('ticket_events')
    .innerJoin('tickets', 'tickets.id', 'ticket_events.ticket_id')
    .select(['ticket_events.type', 'ticket_events.actor_name', 'ticket_events.via'])
    .where('tickets.no', '=', NO)
    .orderBy('ticket_events.id')
    .execute();
  return rows.map((r) => `${r.type} ${r.actor_name} ${r.via}`);
}

async function state(): Promise<string> {
  return (await chats.app.ctx.db.selectFrom('tickets').select('state').where('no', '=', NO).executeTakeFirstOrThrow()).state;
}

it('a transformer fault in 城关镇, from the call to the revisit', async () => {
  // 1. The desk takes the call.
  const taken = await chats.say('wangfang', CHAT.desk, '/报修 城关镇 人民路12号 农贸市场对面 变压器冒烟 张三 13800000000');
  expect(taken).toContain(`已受理故障报修 **${NO}**，派至客户中心`);

  // 2. The crew group gets the card, and its group robot @s the crew on duty (a real mention) with the command.
  const card = await chats.waitFor(CHAT.khzx, (e) => e.kind === 'card');
  const taskId = card.taskId!;
  expect(card.content).toMatch(/故障报修 GZ20261124-0001\n已派工，待接单[\s\S]*\[接单\] \[退回\]$/);
  const line = await chats.waitFor(CHAT.khzx, (e) => e.kind === 'webhook');
  expect(line.mentions).toEqual(['zhangwei', 'yangfan']);
  expect(line.content).toContain(`/接单 ${NO}`);
  // One message per piece of work on the bot: the card carries the details.
  expect(chats.shows(CHAT.khzx).filter((e) => e.kind === 'markdown')).toEqual([]);

  // 3. 接单 and 到达 by taps: the card changes for everyone.
  chats.clock.advance(2 * MINUTE_MS);
  await chats.tap('zhangwei', taskId, 'accept');
  expect(chats.fake.card(taskId)!.card.main_title?.desc).toBe('已接单');
  chats.clock.advance(25 * MINUTE_MS);
  await chats.tap('zhangwei', taskId, 'arrive');
  const arrived = chats.shows(CHAT.khzx, 'yangfan').find((e) => e.taskId === taskId)!;
  expect(arrived.content).toMatch(/已到达现场[\s\S]*10:02 张伟 接单[\s\S]*10:27 张伟 到达[\s\S]*\[完成\]$/);

  // 4. On site: an area-wide fault, and the repair needs a 10 kV cut, so dispatch is told.
  chats.clock.advance(10 * MINUTE_MS);
  const onsite = await chats.say('zhangwei', CHAT.khzx, `/现场 ${NO} 跌落式熔断器烧毁 片区停电 范围:人民路、解放路 需停电10kV 预计恢复:12:00`);
  expect(onsite).toMatch(/^已记录现场情况。\*\*GZ20261124-0001\*\* 已到达现场。处理完毕发送 `\/完成 GZ20261124-0001 结果`[\s\S]*已登记故障停电 TD20261124-0001/);
  // The answer to the on-site report does not ask for it again.
  expect(onsite).not.toContain('请在 20 分钟内报告现场情况');
  const deskSaw = await chats.waitFor(CHAT.desk, (e) => e.content.includes('现场情况'));
  expect(deskSaw.content).toContain('跌落式熔断器烧毁');
  expect(deskSaw.content).toContain('已登记为片区故障停电 TD20261124-0001');
  const dispatchSaw = await chats.waitFor(CHAT.dispatch, (e) => e.kind === 'markdown' && e.content.includes('抢修需停电'));
  const dispatchWoken = await chats.waitFor(CHAT.dispatch, (e) => e.kind === 'webhook');
  expect(dispatchWoken.mentions).toEqual(['xieming']);
  expect(dispatchSaw.content).toContain(`抢修需停电：**${NO}** 城关镇 人民路12号，需 10kV 停电`);

  // A neighbour calls about the same fault: told, not dispatched.
  const neighbour = await chats.say('chenjing', CHAT.desk, '/报修 城关镇 解放路3号 整条街没电 王五 13700000000');
  expect(neighbour).toContain('故障停电 TD20261124-0001：城关镇，10:37 起，预计 12:00 恢复供电。原因：跌落式熔断器烧毁');

  // 5. 完成 tapped: a button carries no result, so the tapper is asked for it and nothing closes; then typed.
  chats.clock.advance(30 * MINUTE_MS);
  await chats.tap('zhangwei', taskId, 'complete');
  expect(chats.fake.card(taskId)!.perUser.zhangwei!.quote_area?.quote_text).toContain(`/完成 ${NO} 处理结果`);
  expect(chats.fake.card(taskId)!.card.main_title?.desc).toMatch(/^已到达现场/);
  expect(await chats.say('zhangwei', CHAT.khzx, `/完成 ${NO} 熔断器已更换`)).toContain('已完成，待审核');
  await chats.waitFor(CHAT.desk, (e) => e.content.includes(`**${NO}** 已由 张伟 完成`));
  await chats.waitFor(CHAT.desk, (e) => e.kind === 'webhook' && e.content.includes(`${NO} 已由 张伟 完成`) && e.mentions?.includes('wangfang') === true);

  // 6. The desk sends it back: the crew gets a new card with 完成 and the reason.
  const sentBack = await chats.say('wangfang', CHAT.desk, `/审核 ${NO} 退回 未写明故障原因和恢复时间`);
  expect(sentBack).toBe(`**${NO}** 审核退回，待重新处理。已退回客户中心重新处理。`);
  const redo = await chats.waitFor(CHAT.khzx, (e) => e.kind === 'card' && e.taskId !== taskId);
  expect(redo.content).toMatch(/审核退回，待重新处理[\s\S]*\[完成\]$/);
  await chats.waitFor(CHAT.khzx, (e) => e.content.includes('审核退回：未写明故障原因和恢复时间'));

  // The crew completes again, this time with a result.
  const redone = await chats.say('zhangwei', CHAT.khzx, `/完成 ${NO} 跌落式熔断器烧毁，已更换，11:05 恢复供电`);
  expect(redone).toBe(`**${NO}** 已完成，待审核。已提交客户服务班审核。`);

  // 7. The desk approves; the crew hears it; the ticket waits for the revisit.
  expect(await chats.say('wangfang', CHAT.desk, `/审核 ${NO} 通过`)).toBe(
    `**${NO}** 已归档。回访请发送 \`/回访 ${NO} 满意|基本满意|不满意\`。`,
  );
  await chats.waitFor(CHAT.khzx, (e) => e.content === `**${NO}** 审核通过，已归档。`);
  expect(await chats.say('wangfang', CHAT.desk, '/待回访')).toContain(`**${NO}** 故障报修 · 城关镇 人民路12号 · 已归档`);

  // 8. The revisit.
  expect(await chats.say('liumin', CHAT.desk, `/回访 ${NO} 满意 抢修及时`)).toBe(`**${NO}** 已回访。回访已记录，工单闭环。`);
  expect(await chats.say('liumin', CHAT.desk, '/待回访')).toBe('**待回访工单**\n没有待回访的工单。');

  expect(await events()).toEqual([
    'created 王芳 message',
    'dispatched 客服机器人 message',
    'accepted 张伟 tap',
    'arrived 张伟 tap',
    'onsite_reported 张伟 message',
    'completed 张伟 message',
    'sent_back 王芳 message',
    'completed 张伟 message',
    'approved 王芳 message',
    'revisited 刘敏 message',
  ]);
  expect(await state()).toBe('revisited');
  const timeline = await chats.say('wangfang', CHAT.desk, `/查单 ${NO}`);
  expect(timeline).toContain('满意度：满意');
  expect(timeline).toContain('10:37 张伟 报告现场：跌落式熔断器烧毁 片区停电 需停电10kV（已登记故障停电 TD20261124-0001）');
});
