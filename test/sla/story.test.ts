import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TranscriptEntry } from '../../fake-wecom/index';
import { Chats } from '../tickets/chats';
import { CHAT, numberIn } from '../tickets/desk';
import { MINUTE } from './support';

/**
 * The clocks as the county sees them, through WeCom: a fault reported in the desk group, a crew slow to accept and to
 * arrive, woken each time by a real @ of its group robot; the leaders woken when it escalates; quiet once the crew is there.
 */
let chats: Chats;
beforeAll(async () => (chats = await Chats.open()), 60_000);
afterAll(() => chats.close());

async function passes(minutes: number): Promise<void> {
  chats.clock.advance(minutes * MINUTE);
  await chats.app.jobs.services.sla.sweep();
}

/** The group robot's @ lines in a chat: the only messages that notify anyone. */
const woken = (chatId: string) => chats.shows(chatId).filter((e) => e.kind === 'webhook' && (e.mentions ?? []).length > 0);
const wakeAfter = (chatId: string, seen: number, match: (e: TranscriptEntry) => boolean) =>
  chats.fake.waitFor(() => woken(chatId).slice(seen).find(match), 10_000);

describe('a crew late on site', () => {
  it('is woken by a real @ at dispatch, warning and breach; the leaders at escalation; left alone once it arrives', async () => {
    const reportedAt = chats.clock.nowMs();
    const no = numberIn(await chats.say('wangfang', CHAT.desk, '/报修 城关镇 人民路12号 农贸市场对面 变压器冒烟 张三 13800000000'));

    // Work arrived: the on-duty crew are in the robot's mentioned_list, at once; the bot's card carries no @.
    const arrived = await wakeAfter(CHAT.khzx, 0, (e) => e.content.includes(no));
    expect(arrived.mentions).toEqual(['zhangwei', 'yangfan']);
    expect(arrived.at - reportedAt).toBeLessThan(5_000);
    expect(chats.shows(CHAT.khzx).filter((e) => e.kind !== 'webhook').every((e) => (e.mentions ?? []).length === 0)).toBe(true);

    await passes(3);
    const warned = await wakeAfter(CHAT.khzx, 1, (e) => e.content.startsWith('【预警】客户中心 1 件将到期'));
    expect(warned.mentions).toEqual(['zhangwei', 'yangfan']);
    const details = await chats.waitFor(CHAT.khzx, (e) => e.kind === 'markdown' && e.content.startsWith('【预警】'));
    expect(details.content).toContain(`1.【预警】${no} 派工后已 3 分钟未接单或退回（时限 5 分钟，还剩 2 分钟）`);

    await passes(2);
    const chased = await wakeAfter(CHAT.khzx, 2, (e) => e.content.startsWith('【催办】客户中心 1 件超时'));
    expect(chased.mentions).toEqual(['zhangwei', 'yangfan']);

    await passes(5);
    const unitLeader = await wakeAfter(CHAT.khzx, 3, (e) => e.content.startsWith('【督办】'));
    expect(unitLeader.mentions).toEqual(['lijianguo']);
    await passes(5);
    const companyLeader = await wakeAfter(CHAT.leaders, 0, (e) => e.content.startsWith('【升级督办】'));
    expect(companyLeader.mentions).toEqual(['mazhiyuan']);
    const summary = await chats.waitFor(CHAT.leaders, (e) => e.kind === 'markdown' && e.content.startsWith('【升级督办】'));
    expect(summary.content).toContain(`${no} 派工后已 15 分钟未接单或退回（时限 5 分钟，超时 10 分钟），请督促客户中心办理`);
    // The desk hears what is overdue anywhere.
    await chats.waitFor(CHAT.desk, (e) => e.content.startsWith('【超时汇总】') && e.content.includes('客户中心 1 项'));

    expect(await chats.say('zhangwei', CHAT.khzx, `/接单 ${no}`)).toContain(no);
    expect(await chats.say('zhangwei', CHAT.khzx, `/到达 ${no}`)).toContain(no);
    const before = chats.shows(CHAT.khzx).length;
    await passes(10);
    // Arrived in time: the arrival is never chased; the on-site report is not due yet.
    expect(chats.shows(CHAT.khzx).slice(before).filter((e) => /【(催办|督办)】/.test(e.content))).toEqual([]);

    const response = await chats.app.api('/api/tickets?overdue=true');
    const listed = (await response.json()) as { items: { no: string; overdue_at: string }[] };
    expect(listed.items.map((t) => [t.no, t.overdue_at])).toContainEqual([no, expect.any(String)]);
  });
});
