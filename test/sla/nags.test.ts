import { afterEach, describe, expect, it } from 'vitest';
import { Chats } from '../tickets/chats';
import { CHAT, numberIn } from '../tickets/desk';
import { MINUTE } from './support';

/** Nags and cards through the fake WeCom under load: consolidated per chat, within WeCom's budgets, never stale. */
let chats: Chats;
afterEach(() => chats?.close());

const WORKING_DAY = 24 * 60 * MINUTE;
const report = (i: number) => `/报修 城关镇 人民路${i}号 门口 变压器冒烟 张三 1380000${String(i).padStart(4, '0')}`;

describe('consolidated nags', () => {
  it('4 open repairs for one crew, one working day later: a few messages per chat, and the desk has an overdue summary', async () => {
    chats = await Chats.open();
    const nos: string[] = [];
    for (let i = 1; i <= 4; i++) nos.push(numberIn(await chats.say('wangfang', CHAT.desk, report(i))));
    await chats.fake.waitFor(() => chats.shows(CHAT.khzx).filter((e) => e.kind === 'card').length === 4, 10_000);
    // Everything the reports themselves sent (the cards' group-robot @s) is out before the day passes.
    await chats.delivered();
    const crewBefore = chats.shows(CHAT.khzx).length;
    const leadersBefore = chats.shows(CHAT.leaders).length;

    chats.clock.advance(WORKING_DAY);
    await chats.app.jobs.services.sla.sweep();
    await chats.app.jobs.services.digest.sendIfDue();
    await chats.waitFor(CHAT.desk, (e) => e.content.startsWith('【超时汇总】'));
    await chats.waitFor(CHAT.leaders, (e) => e.kind === 'webhook');
    await chats.delivered();

    const crew = chats.shows(CHAT.khzx).slice(crewBefore);
    const leaders = chats.shows(CHAT.leaders).slice(leadersBefore);
    expect(crew.length, JSON.stringify(crew.map((e) => [e.kind, e.content.slice(0, 60)]))).toBeLessThanOrEqual(3);
    // The escalation summary and its @, and the morning digest: its picture and its few lines.
    expect(leaders.length, JSON.stringify(leaders.map((e) => [e.kind, e.content.slice(0, 60)]))).toBeLessThanOrEqual(4);
    const crewText = crew.map((e) => e.content).join('\n');
    for (const no of nos) expect(crewText).toContain(no);
    expect(crew.find((e) => e.kind === 'webhook')?.mentions).toEqual(expect.arrayContaining(['zhangwei', 'yangfan', 'lijianguo']));
    expect(leaders.find((e) => e.kind === 'webhook')?.mentions).toEqual(['mazhiyuan']);
  });

  it('a nag held back by WeCom names the tickets handled meanwhile instead of chasing them', async () => {
    chats = await Chats.open();
    const [done, open] = [numberIn(await chats.say('wangfang', CHAT.desk, report(1))), numberIn(await chats.say('wangfang', CHAT.desk, report(2)))];
    await chats.fake.waitFor(() => chats.shows(CHAT.khzx).filter((e) => e.kind === 'card').length === 2, 10_000);
    // WeCom refuses the bot's pushes for a while (frequency); replies and the group robot still go.
    chats.fake.faults.pushError = { every: 1, errcode: 846607, errmsg: 'api freq out of limit' };
    chats.clock.advance(60 * MINUTE);
    await chats.app.jobs.services.sla.sweep();
    const atLine = await chats.waitFor(CHAT.khzx, (e) => e.kind === 'webhook' && e.content.includes(done) && e.content.includes(open));
    expect(atLine.mentions).toEqual(expect.arrayContaining(['zhangwei']));
    expect(await chats.say('zhangwei', CHAT.khzx, `/接单 ${done}`)).toContain('已接单');
    expect(await chats.say('zhangwei', CHAT.khzx, `/到达 ${done}`)).toContain(done);

    chats.fake.faults.pushError = undefined;
    const nag = () => chats.shows(CHAT.khzx).find((e) => e.kind !== 'webhook' && e.content.startsWith('【') && e.content.includes(open));
    for (let i = 0; i < 40 && !nag(); i++) {
      chats.clock.advance(5_000);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const text = nag()!.content;
    expect(text).toContain(`${open} `);
    expect(text.split('\n').at(-1)).toBe(`（发出前已办理：${done}，不再催办）`);
  });

  it('50 open tickets in one chat: a handful of messages, all 50 listed', async () => {
    chats = await Chats.open();
    for (let i = 1; i <= 50; i++) {
      await chats.fake.userSays({ chatId: CHAT.desk, userId: 'wangfang', text: report(i) });
      await until(async () => (await count()) >= i);
      chats.clock.advance(3_000);
    }
    const nos = (await chats.app.ctx.db.selectFrom('tickets').select('no').execute()).map((t) => t.no);
    expect(nos).toHaveLength(50);
    const before = chats.shows(CHAT.khzx).length;
    chats.clock.advance(60 * MINUTE);
    await chats.app.jobs.services.sla.sweep();
    // The robot's 20 a minute is still spent on the 50 work @s (folded): let WeCom's minutes pass.
    const nag = () => chats.shows(CHAT.khzx).slice(before).filter((e) => !/^【消息汇总】|^新的故障/.test(e.content));
    for (let i = 0; i < 20 && !nag().some((e) => e.kind === 'webhook'); i++) {
      chats.clock.advance(15_000);
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    const after = nag();
    expect(after.length).toBeLessThanOrEqual(4);
    const text = after.map((e) => e.content).join('\n');
    for (const no of nos) expect(text).toContain(no);
  });
});

describe('cards that never lie', () => {
  it('a ticket moved only by typed commands: the chat saw a status line, a tap on the old card shows the current state', async () => {
    chats = await Chats.open();
    const no = numberIn(await chats.say('wangfang', CHAT.desk, report(7)));
    const card = await chats.waitFor(CHAT.khzx, (e) => e.kind === 'card' && e.content.includes(no));
    // Typed elsewhere than the chat that holds the card.
    await chats.say('zhangwei', CHAT.desk, `/接单 ${no}`);
    await chats.waitFor(CHAT.khzx, (e) => e.kind === 'markdown' && e.content.startsWith(`**${no}** 已`));
    chats.clock.advance(60 * MINUTE);
    await chats.tap('yangfan', card.taskId!, 'accept');
    const shown = chats.shows(CHAT.khzx, 'yangfan').find((e) => e.taskId === card.taskId)!;
    expect(shown.content).not.toContain('待接单');
    expect(shown.content).toContain('超时');
  });
});

describe('status lines', () => {
  it('only for a typed step that moved the ticket: an on-site report leaves the card as it was', async () => {
    chats = await Chats.open();
    const no = numberIn(await chats.say('wangfang', CHAT.desk, report(8)));
    await chats.waitFor(CHAT.khzx, (e) => e.kind === 'card' && e.content.includes(no));
    const lines = () => chats.shows(CHAT.khzx).filter((e) => e.kind === 'markdown' && e.content.includes('发送指令')).map((e) => e.content);
    // Typed in the desk's chat, away from the card in the crew's chat.
    await chats.say('zhangwei', CHAT.desk, `/接单 ${no}`);
    await chats.say('zhangwei', CHAT.desk, `/到达 ${no}`);
    await chats.say('zhangwei', CHAT.desk, `/现场 ${no} 跌落式熔断器烧毁 预计恢复:14:00`);
    await chats.delivered();
    expect(lines()).toEqual([
      `**${no}** 已接单（张伟 发送指令）；以此为准，旧卡片点按即更新。`,
      `**${no}** 已到达现场（张伟 发送指令）；以此为准，旧卡片点按即更新。`,
    ]);
  });
});

async function count(): Promise<number> {
  const row = await chats.app.ctx.db.selectFrom('tickets').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

async function until(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 500 && !(await check()); i++) await new Promise((resolve) => setTimeout(resolve, 10));
}
