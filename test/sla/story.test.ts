import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Chats } from '../tickets/chats';
import { CHAT, numberIn } from '../tickets/desk';
import { MINUTE } from './support';

/**
 * The clocks as the county sees them, through WeCom: a fault reported in the desk group, a crew that is slow to
 * arrive, nags in the crew's group with the people on duty mentioned, and quiet once the crew is there.
 */
let chats: Chats;
beforeAll(async () => (chats = await Chats.open()), 60_000);
afterAll(() => chats.close());

async function passes(minutes: number): Promise<void> {
  chats.clock.advance(minutes * MINUTE);
  await chats.app.jobs.services.sla.sweep();
}

// The report to the city centre is chased on its own clock (test/sla/limits.test.ts); this story follows the county's.
const nagsIn = (chatId: string, no: string) =>
  chats
    .shows(chatId)
    .filter((e) => e.kind === 'markdown' && /^【(预警|催办|督办|升级督办)】/.test(e.content) && e.content.includes(no) && !e.content.includes('市公司'));

describe('a crew late on site', () => {
  it('is warned, chased with its people on duty mentioned, and left alone once it arrives; the ticket stays 超时', async () => {
    const no = numberIn(await chats.say('wangfang', CHAT.desk, '/报修 城关镇 人民路12号 农贸市场对面 变压器冒烟 张三 13800000000'));

    await passes(3);
    const acknowledge = await chats.waitFor(CHAT.khzx, (e) => e.content.startsWith(`【预警】${no} 派工后已 3 分钟未接单或退回`));
    expect(acknowledge.mentions).toEqual(['zhangwei', 'yangfan']);
    expect(await chats.say('zhangwei', CHAT.khzx, `/接单 ${no}`)).toContain(no);

    await passes(33);
    const warning = await chats.waitFor(CHAT.khzx, (e) => e.content.startsWith(`【预警】${no} 派工后已 36 分钟未到达现场`));
    expect(warning.content).toContain('（时限 45 分钟，还剩 9 分钟）');
    await passes(14);
    const chase = await chats.waitFor(CHAT.khzx, (e) => e.content.startsWith(`【催办】${no}`));
    expect(chase.content).toBe(
      `【催办】${no} 派工后已 50 分钟未到达现场（时限 45 分钟，超时 5 分钟），请 <@zhangwei> <@yangfan> 尽快到达并回复 /到达 ${no}`,
    );
    expect(chase.mentions).toEqual(['zhangwei', 'yangfan']);

    expect(await chats.say('zhangwei', CHAT.khzx, `/到达 ${no}`)).toContain(no);
    await passes(120);
    // The 20-minute on-site report is owed now, and chased; the arrival is not chased again, nor escalated.
    const escalated = await chats.waitFor(CHAT.leaders, (e) => e.content.startsWith(`【升级督办】${no} 到达现场后已 2 小时未报告现场情况`));
    expect(escalated.content).toMatch(new RegExp(`^【升级督办】${no} 到达现场后已 2 小时未报告现场情况.*请 <@mazhiyuan> 督促客户中心办理$`));
    await chats.waitFor(CHAT.khzx, (e) => e.content.startsWith(`【督办】${no}`));
    expect(nagsIn(CHAT.khzx, no).map((e) => e.content.slice(0, e.content.indexOf('（')))).toEqual([
      `【预警】${no} 派工后已 3 分钟未接单或退回`,
      `【预警】${no} 派工后已 36 分钟未到达现场`,
      `【催办】${no} 派工后已 50 分钟未到达现场`,
      `【催办】${no} 到达现场后已 2 小时未报告现场情况`,
      `【督办】${no} 到达现场后已 2 小时未报告现场情况`,
    ]);
    expect(nagsIn(CHAT.leaders, no)).toHaveLength(1);

    const response = await chats.app.api('/api/tickets?overdue=true');
    const listed = (await response.json()) as { items: { no: string; overdue_at: string }[] };
    expect(listed.items.map((t) => [t.no, t.overdue_at])).toContainEqual([no, expect.any(String)]);
  });
});
