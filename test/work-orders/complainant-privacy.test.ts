import { afterAll, beforeAll, expect, it } from 'vitest';
import { CHAT, Desk, numberIn } from '../tickets/desk';

/**
 * A conduct complaint is a 举报 for the political work department whatever unit or town it names, and a unit that a
 * complaint or report is about never reads who complained: not on its card, not by looking the ticket up.
 */
const NAME = '杨一';
const PHONE = '13900000011';
let desk: Desk;
beforeAll(async () => (desk = await Desk.open()), 60_000);
afterAll(() => desk.close());

it('sends a conduct complaint naming a town to the political work department, timed as a 举报', async () => {
  const intake = await desk.say('wangfang', CHAT.desk, `/投诉 南溪镇抄表员 索要好处费 回访:电话 ${NAME} ${PHONE}`);
  const no = numberIn(intake);
  expect(no).toMatch(/^JB/);
  expect(intake).toContain('已交办思想政治工作部');
  expect((await desk.lastCard(CHAT.szb)).text).toContain(`客户: ${NAME} ${PHONE}`);
  // Ten working days from Tuesday 24 November, not the five of a complaint.
  expect((await desk.lastCard(CHAT.szb)).text).toContain('办理时限: 12-08');
  expect(await desk.seen(CHAT.nanxi)).toEqual([]);

  // Handed on to the station it is about, the station sees the case but not who made it.
  await desk.say('hanxue', CHAT.szb, `/退回 ${no} 请南溪供电所先核实抄表员情况`);
  await desk.say('wangfang', CHAT.desk, `/转派 ${no} 南溪供电所`);
  const card = await desk.lastCard(CHAT.nanxi);
  expect(card.text).toContain(no);
  expect(card.text).not.toContain(NAME);
  expect(card.text).not.toContain(PHONE);
  expect(await desk.say('zhengyong', CHAT.nanxi, `/查单 ${no}`)).not.toContain(PHONE);
});

it('keeps the complainant from the unit an ordinary complaint is about, and shows them to the desk', async () => {
  const no = numberIn(await desk.say('wangfang', CHAT.desk, '/投诉 江口供电所 抢修人员迟迟不来 回访:电话 李五 13900000012'));
  const card = await desk.lastCard(CHAT.jiangkou);
  expect(card.text).toContain(no);
  expect(card.text).not.toContain('13900000012');
  expect(card.text).not.toContain('李五');
  expect(await desk.say('wangfang', CHAT.desk, `/查单 ${no}`)).toContain('客户：李五 13900000012');
});
