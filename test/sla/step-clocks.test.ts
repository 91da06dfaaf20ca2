import { afterAll, beforeAll, expect, it } from 'vitest';
import { CHAT, Desk, numberIn } from '../tickets/desk';

/**
 * Rework and the desk's review are timed (one working day each): a repair left in review, or left in rework, is
 * chased like any other step. Tuesday 24 November 2026 from 10:00.
 */
let desk: Desk;
beforeAll(async () => (desk = await Desk.open()), 60_000);
afterAll(() => desk.close());

const nagsAbout = async (chatId: string, no: string, after: number) =>
  (await desk.seen(chatId, after)).filter((s) => /^【(提醒|催办|督办)】/.test(s.text) && s.text.includes(no));

async function completedRepair(address: string): Promise<string> {
  const no = numberIn(await desk.say('wangfang', CHAT.desk, `/报修 城关镇 ${address} 一户没电 13800000000`));
  await desk.say('zhangwei', CHAT.khzx, `/接单 ${no}`);
  await desk.say('zhangwei', CHAT.khzx, `/到达 ${no}`);
  await desk.say('zhangwei', CHAT.khzx, `/现场 ${no} 表后线烧断 已报市公司`);
  await desk.say('zhangwei', CHAT.khzx, `/完成 ${no} 更换表后线`);
  return no;
}

it('a repair waiting for the desk’s review is chased in the desk’s chat', async () => {
  const no = await completedRepair('人民路30号');
  const mark = await desk.lastOutboxId();
  await desk.until('2026-11-25', '11:00');
  expect((await nagsAbout(CHAT.desk, no, mark)).some((s) => s.text.includes('审核'))).toBe(true);
  await desk.say('wangfang', CHAT.desk, `/审核 ${no} 通过`);
});

it('a repair sent back and not redone is chased in the crew’s chat', async () => {
  const no = await completedRepair('人民路32号');
  await desk.say('wangfang', CHAT.desk, `/审核 ${no} 退回 未写明故障原因`);
  const mark = await desk.lastOutboxId();
  await desk.until('2026-11-26', '12:00');
  expect((await nagsAbout(CHAT.khzx, no, mark)).some((s) => s.text.includes('重新处理'))).toBe(true);
});
