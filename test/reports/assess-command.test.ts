import { afterAll, beforeAll, expect, it } from 'vitest';
import { frozenClock } from '../support/app';
import { Chats } from '../tickets/chats';
import { CHAT } from '../tickets/desk';

let chats: Chats;
beforeAll(async () => (chats = await Chats.open({}, frozenClock(new Date('2026-12-01T09:00:00+08:00')))), 60_000);
afterAll(() => chats.close());

it('/考核 shows a leader or the desk the month’s analysis and the units to assess; crews are refused', async () => {
  await chats.say('wangfang', CHAT.desk, '/投诉 城关供电所 抄表员态度恶劣 要求:道歉 李四 13900000000');
  const shown = await chats.say('mazhiyuan', CHAT.leaders, '/考核 2026-12');
  expect(shown).toContain('**95598 月度分析 · 2026年12月**');
  expect(shown).toContain('投诉、举报、建议、表扬共 1 件');
  expect(shown).toContain('2026年12月应考核单位名单');
  expect(await chats.say('wangfang', CHAT.desk, '/考核 2026年11月')).toContain('2026年11月');
  expect(await chats.say('wangfang', CHAT.desk, '/考核 2026-13')).toContain('月份「2026-13」不正确');
  expect(await chats.say('zhangwei', CHAT.khzx, '/考核')).not.toContain('月度分析');
});
