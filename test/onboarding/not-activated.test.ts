/**
 * A group nobody has @-ed the bot in: WeCom refuses every push there. The work is kept, shown and announced once, and
 * leaves the moment the group speaks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { opsSelfCheck } from '../../jobs/ops-self-check';
import { frozenClock } from '../support/app';
import { Chats } from '../tickets/chats';
import { CHAT, numberIn } from '../tickets/desk';

describe('a crew group that never @-ed the bot', () => {
  let chats: Chats;
  // Monday 30 November 2026, 08:29: a working day, a minute before the morning self-check.
  beforeAll(async () => {
    chats = await Chats.open({}, frozenClock(new Date('2026-11-30T08:29:00+08:00')), { env: { OPS_REPORTS: '1' }, activate: false });
  }, 60_000);
  afterAll(() => chats.close());

  it('keeps its cards, tells the desk once, shows 未送达 and lists the group, and delivers when the group @-s the bot', async () => {
    // Every group but 客户中心 (the crew of 城关镇) has @-ed the bot on day one.
    await Promise.all(
      Object.entries(CHAT)
        .filter(([name]) => name !== 'khzx')
        .map(([, chatId]) => chats.activate(chatId)),
    );
    const first = numberIn(await chats.say('wangfang', CHAT.desk, '/报修 城关镇 人民路12号 农贸市场对面 变压器冒烟 张三 13800000000'));
    const second = numberIn(await chats.say('wangfang', CHAT.desk, '/报修 城关镇 解放路8号 邮局旁边 电线杆倾斜 李四 13900000000'));
    // The notice is queued right after WeCom's refusal.
    await chats.waitFor(CHAT.desk, (e) => e.content.includes('消息未送达'));
    await chats.delivered();

    // WeCom refused both cards; the outbox keeps them.
    const kept = await chats.app.ctx.db.selectFrom('outbox').select(['status', 'body']).where('chat_id', '=', CHAT.khzx).execute();
    expect(kept.filter((r) => r.status === 'waiting')).toHaveLength(2);
    // Only the group robot's @ line (a webhook, which needs no activation) reached the group, not the cards.
    expect(chats.fake.transcript(CHAT.khzx).filter((e) => e.kind !== 'webhook')).toEqual([]);

    // The desk is told once, naming the first ticket and how to activate the group.
    const notices = chats.shows(CHAT.desk).filter((e) => e.content.includes('消息未送达'));
    expect(notices).toHaveLength(1);
    expect(notices[0]!.content).toContain('客户中心');
    expect(notices[0]!.content).toContain(first);
    expect(notices[0]!.content).toContain('@机器人');

    // The board marks both tickets 未送达 and names the silent group; /readyz lists it.
    const board = (await (await chats.app.api('/api/board')).json()) as {
      groups: { items: { no: string; undelivered: string[] }[] }[];
      notActivated: string[];
    };
    const items = board.groups.flatMap((g) => g.items);
    expect(items.find((i) => i.no === first)?.undelivered).toEqual(['客户中心']);
    expect(items.find((i) => i.no === second)?.undelivered).toEqual(['客户中心']);
    expect(board.notActivated).toEqual(['客户中心']);
    const ready = (await (await chats.app.api('/readyz', { token: null })).json()) as { notActivated: string[] };
    expect(ready.notActivated).toEqual(['客户中心']);

    // The 08:30 self-check lists it too.
    chats.clock.advance(60_000);
    await opsSelfCheck.handle(chats.app.jobs.services);
    const check = await chats.waitFor(CHAT.desk, (e) => e.content.includes('系统巡视'));
    expect(check.content).toMatch(/1 个群未激活<\/font>：客户中心/);

    // Someone in 客户中心 @-s the bot: both cards arrive, in order, and the board forgets 未送达.
    await chats.say('zhangwei', CHAT.khzx, '');
    await chats.delivered();
    const cards = chats.shows(CHAT.khzx).filter((e) => e.kind === 'card');
    expect(cards.map((c) => numberIn(c.content))).toEqual([first, second]);
    const after = (await (await chats.app.api('/api/board')).json()) as typeof board;
    expect(after.groups.flatMap((g) => g.items).every((i) => i.undelivered.length === 0)).toBe(true);
    expect(after.notActivated).toEqual([]);
    // Still one notice: nothing more to tell.
    expect(chats.shows(CHAT.desk).filter((e) => e.content.includes('消息未送达'))).toHaveLength(1);
  }, 60_000);
});
