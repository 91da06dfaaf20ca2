import { afterAll, beforeAll, expect, it } from 'vitest';
import { CHAT, Desk, numberIn } from '../tickets/desk';

/**
 * A 举报's reporter is known to the desk and the political work department only. The report is returned, re-routed
 * to marketing, looked up from other chats, left to go overdue (nags, escalations to the leaders), summed up in the
 * leaders' digest and the monthly export: the reporter's name and phone appear nowhere else.
 */
const NAME = '王先生';
const PHONE = '13911112222';
let desk: Desk;
beforeAll(async () => (desk = await Desk.open()), 60_000);
afterAll(() => desk.close());

it('never shows the reporter of a 举报 outside the desk and the political work department', async () => {
  const no = numberIn(await desk.say('wangfang', CHAT.desk, `/举报 抄表员张某 收取好处费后少抄电量 回访:电话 ${NAME} ${PHONE}`));
  expect((await desk.lastCard(CHAT.szb)).text).toContain(`客户: ${NAME} ${PHONE}`);
  expect(await desk.say('hanxue', CHAT.szb, `/查单 ${no}`)).toContain(`客户：${NAME} ${PHONE}`);

  // Returned and re-routed: marketing's card has no reporter; lookups from other chats neither.
  await desk.say('hanxue', CHAT.szb, `/退回 ${no} 少抄电量属营销部稽查职责`);
  await desk.say('wangfang', CHAT.desk, `/转派 ${no} 市场营销部`);
  const card = await desk.lastCard(CHAT.yxb);
  expect(card.text).toContain(`举报 ${no}`);
  expect(card.text).not.toContain('客户:');
  await desk.tap('jiangli', card.taskId!, 'accept');
  expect(await desk.say('jiangli', CHAT.yxb, `/查单 ${no}`)).not.toMatch(/^客户：/m);
  expect(await desk.say('zhangwei', CHAT.khzx, `/查单 ${no}`)).not.toMatch(/^客户：/m);
  expect(await desk.say('wangfang', CHAT.desk, `/查单 ${no}`)).toContain(`客户：${NAME} ${PHONE}`);

  // Ten working days and more pass: nags in marketing's chat, escalations to the leaders, the morning digests.
  await desk.until('2026-12-15', '10:00');
  await desk.app.jobs.services.digest.sendIfDue();
  const leaders = await desk.seen(CHAT.leaders);
  expect(leaders.some((s) => s.text.startsWith('【升级督办】') && s.text.includes(no))).toBe(true);
  // A 举报 goes up to the leader over the political work department, not to the marketing leader.
  const woken = (await desk.wakes('sandbox-robot-leaders')).filter((w) => w.text.includes(no));
  expect(woken.length).toBeGreaterThan(0);
  expect(woken.every((w) => w.mentions.join() === 'zhouming')).toBe(true);
  expect(leaders.some((s) => s.text.includes('每日简报'))).toBe(true);
  expect((await desk.seen(CHAT.yxb)).some((s) => s.text.startsWith('【督办】') && s.text.includes(no))).toBe(true);

  // A unit's console view, the leaders' read-only view, the exports and the monthly analysis.
  const api = async (path: string, token?: string) => {
    const response = await desk.app.api(path, token ? { token } : {});
    expect(response.status, path).toBe(200);
    return response.text();
  };
  const views = [
    await api('/api/tickets?unit=yxb'),
    await api(`/api/tickets/${no}?unit=yxb`),
    await api(`/api/tickets/${no}`, desk.app.leaderToken),
    await api('/api/tickets?kind=report', desk.app.leaderToken),
    await api('/api/exports/tickets.csv?kind=report'),
    await api('/api/reports/analysis?month=2026-11'),
    await api('/api/reports/assessment?month=2026-11'),
    await api('/api/reports/assessment?month=2026-12'),
  ];
  expect(await api(`/api/tickets/${no}`)).toContain(PHONE);
  expect(await api(`/api/tickets/${no}?unit=szb`)).toContain(PHONE);

  const rows = await desk.db.selectFrom('outbox').select(['chat_id', 'body']).execute();
  // The desk's and the department's own chats, with their group robots' @ lines.
  const allowed = [CHAT.desk, CHAT.szb, 'webhook:sandbox-robot-desk', 'webhook:sandbox-robot-szb'];
  const elsewhere = rows.filter((row) => !allowed.includes(row.chat_id));
  expect(new Set(elsewhere.map((row) => row.chat_id))).toEqual(
    new Set([CHAT.yxb, CHAT.khzx, CHAT.leaders, 'webhook:sandbox-robot-yxb', 'webhook:sandbox-robot-leaders']),
  );
  for (const text of [...elsewhere.map((row) => JSON.stringify(row.body)), ...views]) {
    expect(text).not.toContain(NAME);
    expect(text).not.toContain(PHONE);
  }
});
