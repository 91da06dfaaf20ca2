import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromShanghai } from '../../src/calendar/calendar';
import { frozenClock } from '../support/app';
import { CHAT, Desk, numberIn } from '../tickets/desk';

/**
 * A residential connection application (业扩报装) accepted on Wednesday 30 September 2026, the eve of the National Day
 * week (1–7 October off, Saturday 10 October a make-up workday): its steps taken on the marketing department's card,
 * its progress answered to the customer from our own data. The limits themselves, for every class, are walked in
 * test/sla/ten-limits.test.ts and test/sla/policies.test.ts.
 */
let desk: Desk;
beforeAll(async () => (desk = await Desk.open({}, frozenClock(fromShanghai('2026-09-30', '10:00')))), 60_000);
afterAll(() => desk.close());

describe('a connection application', () => {
  it('is accepted with its supply-plan deadline after the holiday, and its card goes to the marketing department', async () => {
    const reply = await desk.say('wangfang', CHAT.desk, '/报装 居民 城关镇 人民路88号 新建住宅 孙一 13700000000');
    const no = numberIn(reply);
    expect(no).toMatch(/^YK20260930-\d{4}$/);
    // 3 working days: 8, 9 and the make-up Saturday 10 October.
    expect(reply).toContain('已受理业扩报装');
    expect(reply).toContain('（居民），交市场营销部办理');
    expect(reply).toContain('供电方案须在 10-10 10:00 前答复');
    const card = await desk.lastCard(CHAT.yxb);
    expect(card.text).toContain(`业扩报装 ${no}`);
    expect(card.text).toContain('答复供电方案');
    // Who must act is woken through the department's group robot, with the command twin of the first button.
    const woken = await desk.db.selectFrom('outbox').select('body').where('channel', '=', 'webhook').execute();
    expect(JSON.stringify(woken.map((row) => row.body))).toContain(`请答复供电方案：/方案答复 ${no} 方案要点`);
    // It is the department's to-do from the start, not the desk's.
    expect(await desk.say('jiangli', CHAT.yxb, '/我的工单')).toContain(`**${no}** 业扩报装`);
    expect(await desk.say('wangfang', CHAT.desk, '/我的工单')).not.toContain(no);

    await desk.tap('jiangli', card.taskId!, 'answer_plan');
    expect((await desk.ticket(no)).state).toBe('plan_answered');
    const progress = await desk.say('wangfang', CHAT.desk, `/查询 报装进度 ${no}`);
    expect(progress).toContain(`报装申请 ${no}（居民，人民路88号）受理于 9月30日 10:00，当前：已答复供电方案，待验收。`);
    expect((await desk.ticket(numberIn(progress.replace(no, '')))).state).toBe('answered');

    await desk.tap('jiangli', card.taskId!, 'inspect');
    // Residential power-on: 3 working days from the inspection.
    expect(await desk.say('wangfang', CHAT.desk, `/查询 报装进度 ${no}`)).toContain('当前：验收合格，待送电，送电时限：10月10日 10:00 前。');
    await desk.tap('jiangli', card.taskId!, 'power_on');
    expect((await desk.ticket(no)).state).toBe('powered');
    expect(await desk.say('wangfang', CHAT.desk, `/查单 ${no}`)).toContain('状态：已送电');
  });

  it('says what is missing or contradictory, and lists what is valid', async () => {
    expect(await desk.say('wangfang', CHAT.desk, '/报装 城关镇 人民路90号 孙二 13700000001')).toContain(
      '请写明报装类型：居民、非居民，或供电类别低压、高压单电源、高压双电源',
    );
    expect(await desk.say('wangfang', CHAT.desk, '/报装 居民 高压双电源 人民路90号 孙二 13700000001')).toContain(
      '居民用户为低压供电，不能按「高压双电源」报装',
    );
    expect(await desk.say('jiangli', CHAT.yxb, '/送电 YK20260930-0001')).toBe('抱歉，YK20260930-0001 已由 蒋丽 于 10:00 送电');
  });

  it('a number that is not ours goes to the marketing system', async () => {
    const reply = await desk.say('wangfang', CHAT.desk, '/查询 报装进度 YK20260101-0009');
    expect(reply).toMatch(/^营销系统尚未接入本机器人，已记录为查询工单/);
  });
});
