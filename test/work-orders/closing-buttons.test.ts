import { afterAll, beforeAll, expect, it } from 'vitest';
import { CHAT, Desk, numberIn } from '../tickets/desk';

/**
 * A complaint's 答复 button cannot carry the answer nor the customer's opinion: it tells the tapper what to type and
 * closes nothing, and the answer typed afterwards is taken in full.
 */
let desk: Desk;
beforeAll(async () => (desk = await Desk.open()), 60_000);
afterAll(() => desk.close());

it('答复 on a complaint card asks for the answer and the customer’s opinion, and the typed answer is taken', async () => {
  const no = numberIn(await desk.say('wangfang', CHAT.desk, '/投诉 营业厅 电费多收了两百元 要求:退还 回访:电话 李四 13900000000'));
  const card = await desk.lastCard(CHAT.yxb);
  await desk.tap('jiangli', card.taskId!, 'accept');
  const mark = await desk.lastOutboxId();
  await desk.tap('jiangli', card.taskId!, 'complete');

  const [prompt] = (await desk.seen(CHAT.yxb, mark)).filter((s) => s.channel === 'update');
  expect(prompt!.userIds).toEqual(['jiangli']);
  expect(prompt!.text).toContain(`请发送处理结果和客户意见（按钮不能代替答复）：/答复 ${no} 处理结果 客户意见:认可|不认可`);
  expect((await desk.ticket(no)).state).toBe('accepted');
  expect((await desk.seen(CHAT.desk, mark)).filter((s) => s.text.includes(no))).toEqual([]);

  expect(await desk.say('jiangli', CHAT.yxb, `/答复 ${no} 已核实抄表差错并退还多收电费 客户意见:认可`)).toContain('已完成，待审核');
  expect(await desk.ticket(no)).toMatchObject({ state: 'completed', result: '已核实抄表差错并退还多收电费', customer_acceptance: '认可' });
});
