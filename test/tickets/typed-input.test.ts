import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHAT, Desk, numberIn } from './desk';

/** Chat input as people really type it, each case doing what the person meant. */
let desk: Desk;
beforeAll(async () => (desk = await Desk.open()));
afterAll(() => desk.close());

/** A fault at a street of its own, so no report is linked to an earlier one at the same place. */
const repairAt = (street: string) => `/报修 城关镇 ${street} 变压器冒烟 张三 13800000000`;

describe('chat input as people type it', () => {
  it('a command word without the slash is still the command', async () => {
    const before = await desk.count('tickets');
    const reply = await desk.say('wangfang', CHAT.desk, '@客服机器人 报修 城关 人民路12号 停电了 13800000000');
    expect(reply).toMatch(/已受理故障报修 \*\*GZ\d{8}-\d{4}\*\*/);
    expect(await desk.count('tickets')).toBe(before + 1);
    expect(await desk.say('wangfang', CHAT.desk, '今天城关停电了吗')).toMatch(/请用指令告诉我要办的事/);
  });

  it('an unknown area is named and the valid areas are listed', async () => {
    const before = await desk.count('tickets');
    const reply = await desk.say('wangfang', CHAT.desk, '/报修 火星 人民路12号 变压器冒烟 13800000000');
    expect(reply).toMatch(/区域「火星」不在本公司供区/);
    expect(reply).toMatch(/可选：城关镇、青龙街道/);
    const missing = await desk.say('wangfang', CHAT.desk, '/报修 人民路12号 变压器冒烟 13800000000');
    expect(missing).toMatch(/缺少「区域」（可选：城关镇、青龙街道/);
    expect(await desk.count('tickets')).toBe(before);
  });

  it("today's number without its prefix finds the ticket, for /查单 and for a step", async () => {
    const no = numberIn(await desk.say('wangfang', CHAT.desk, repairAt('建设路1号')));
    const tail = no.slice(-4);
    expect(await desk.say('wangfang', CHAT.desk, `/查单 ${tail}`)).toContain(no);
    expect(await desk.say('zhangwei', CHAT.khzx, `/接单 ${tail}`)).toContain(no);
    expect(await desk.say('zhangwei', CHAT.khzx, `/到达 ${tail}`)).toContain(no);
    expect(await desk.say('zhangwei', CHAT.khzx, `/完成 ${Number(tail)} 好了`)).toContain(no);
    expect((await desk.ticket(no)).state).toBe('completed');
    expect(await desk.say('wangfang', CHAT.desk, '/查单 9999')).toMatch(/没有找到尾号为 9999 的工单/);
  });

  it('/转派 without a unit lists the units that can take it', async () => {
    const no = numberIn(await desk.say('wangfang', CHAT.desk, repairAt('建设路2号')));
    await desk.say('zhangwei', CHAT.khzx, `/退回 ${no} 不属于我单位`);
    const reply = await desk.say('wangfang', CHAT.desk, `/转派 ${no}`);
    expect(reply).toMatch(/请写明派给哪个单位/);
    expect(reply).toMatch(/可选：.*修试所.*南溪供电所/);
    expect((await desk.ticket(no)).state).toBe('returned');
  });

  it('/我的工单 超时 lists only the overdue ones', async () => {
    const late = numberIn(await desk.say('wangfang', CHAT.desk, repairAt('建设路3号')));
    desk.app.clock.advance(50 * 60_000);
    await desk.app.jobs.services.sla.sweep();
    const fresh = numberIn(await desk.say('wangfang', CHAT.desk, repairAt('建设路4号')));
    const all = await desk.say('zhangwei', CHAT.khzx, '/我的工单');
    expect(all).toContain(late);
    expect(all).toContain(fresh);
    const overdue = await desk.say('zhangwei', CHAT.khzx, '/我的工单 超时');
    expect(overdue).toContain('待办（超时）');
    expect(overdue).toContain(late);
    expect(overdue).not.toContain(fresh);
  });

  it('/帮助 shows a crew member the crew commands first, and the rest on one line', async () => {
    const crew = await desk.say('zhangwei', CHAT.khzx, '/帮助');
    expect(crew.indexOf('**处理**')).toBeLessThan(crew.indexOf('**查看**'));
    expect(crew).toContain('- `/接单`');
    expect(crew).not.toContain('**客服班**');
    expect(crew).toMatch(/其他指令：.*`\/派单`/);
    expect(crew.split('\n').length).toBeLessThan((await desk.say('wangfang', CHAT.desk, '/帮助')).split('\n').length);
  });
});
