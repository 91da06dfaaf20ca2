import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHAT, Desk, numberIn } from './desk';

/**
 * What is sent as /咨询 but is not a question for the knowledge base: a fault at the customer's place, a complaint, a
 * praise. The bot says what it reads, answers no FAQ entry, and one tap (or the word typed back) opens the right kind
 * of ticket with the customer's words and details carried over; the inquiry closes with the new ticket's number.
 */
describe('an inquiry that is really another kind of ticket', () => {
  let desk: Desk;
  beforeAll(async () => {
    desk = await Desk.open();
  });
  afterAll(() => desk.close());

  const opened = (text: string) => /\*\*((?:GZ|TS|BY|JB|JY)\d{8}-\d{4})\*\*/.exec(text)?.[1];
  /** The customer's words as the inquiry recorded them (the parser reads a Chinese comma as a space). */
  const words = async (no: string) => (await desk.ticket(no)).description;

  it('a fault at the customer’s place: read as a repair, and one tap dispatches it with the words kept', async () => {
    const story = '我家店里突然没电了，隔壁几家都有电，麻烦赶紧派人来看看';
    const reply = await desk.say('huanglei', CHAT.khzx, `/咨询 ${story} 城关镇 张三 13800000000`);
    const no = numberIn(reply);
    expect(reply).toContain(`**${no}** 这条听起来不是咨询，而是**报修**`);
    expect(reply).not.toContain('知识库答复');
    expect(reply).toContain(`/报修 城关镇 地址 ${story} 张三 13800000000`);
    expect(await words(no)).toBe(story);
    const card = await desk.lastCard(CHAT.khzx);
    expect(card.text).toContain(`咨询 ${no} 像是报修`);
    expect(card.text).toMatch(/\[转报修\] \[转人工\]$/);

    const mark = await desk.lastOutboxId();
    await desk.tap('zhangwei', card.taskId!, 'as:repair');
    const seen = await desk.seen(CHAT.khzx, mark);
    const answer = seen.find((s) => s.channel === 'push' && s.text.startsWith(`咨询 **${no}** 已转为故障报修`));
    const update = seen.find((s) => s.channel === 'update');
    const repair = opened(answer!.text.split('\n')[1]!)!;
    expect(repair).toMatch(/^GZ/);
    expect(await desk.ticket(repair)).toMatchObject({ kind: 'repair', state: 'dispatched', description: await words(no), area: '城关镇', reporter_name: '张三', phone: '13800000000' });
    // The crew (客户中心 serves 城关镇) gets its dispatch card with the customer's words.
    expect(seen.some((s) => s.text.includes(`故障报修 ${repair}`) && s.text.includes('隔壁几家都有电'))).toBe(true);
    expect(update).toMatchObject({ channel: 'update', taskId: card.taskId });
    expect(update!.text).toContain(`已转为故障报修 ${repair}`);
    expect(await desk.ticket(no)).toMatchObject({ state: 'answered', answer: `已转为故障报修 ${repair}` });

    // Once turned into its ticket, the inquiry cannot be turned again.
    const again = await desk.lastOutboxId();
    await desk.tap('huanglei', card.taskId!, 'as:repair');
    const [refusal] = await desk.seen(CHAT.khzx, again);
    expect(refusal).toMatchObject({ channel: 'update', userIds: ['huanglei'] });
    expect(refusal!.text).toContain('没有等待您选择的咨询');
  });

  it('a complaint: typing 转投诉 back opens it in one step, with the text and the phone', async () => {
    const story = '营业厅那个收费员对我大吼大叫，态度太差了';
    const reply = await desk.say('huanglei', CHAT.khzx, `/咨询 ${story} 李四 13900000000`);
    const no = numberIn(reply);
    expect(reply).toContain('而是**投诉**');
    const tickets = await desk.count('tickets');
    const answer = await desk.say('huanglei', CHAT.khzx, '转投诉');
    expect(answer.split('\n')[0]).toMatch(new RegExp(`^咨询 \\*\\*${no}\\*\\* 已转为投诉 TS`));
    const complaint = opened(answer.split('\n')[1]!)!;
    expect(await desk.ticket(complaint)).toMatchObject({ kind: 'complaint', description: await words(no), reporter_name: '李四', phone: '13900000000' });
    expect(await words(no)).toBe(story);
    expect(await desk.count('tickets')).toBe(tickets + 1);
  });

  it('a praise: one tap passes it on as a praise', async () => {
    const story = '昨晚暴雨，抢修的师傅冒雨把电修好了，真心感谢他们';
    const no = numberIn(await desk.say('yangfan', CHAT.khzx, `/咨询 ${story}`));
    const card = await desk.lastCard(CHAT.khzx);
    expect(card.text).toContain(`咨询 ${no} 像是表扬`);
    const mark = await desk.lastOutboxId();
    await desk.tap('yangfan', card.taskId!, 'as:praise');
    const [answer] = await desk.seen(CHAT.khzx, mark);
    const praise = opened(answer!.text.split('\n')[1]!)!;
    expect(await desk.ticket(praise)).toMatchObject({ kind: 'praise', description: await words(no) });
    expect(await words(no)).toBe(story);
  });

  it('a repair without the area or phone to dispatch asks for them, and the inquiry stays open', async () => {
    const no = numberIn(await desk.say('yangfan', CHAT.khzx, '/咨询 门口电线杆上的线断了掉下来了'));
    expect(await desk.say('yangfan', CHAT.khzx, '转报修')).toContain('报修需要区域和客户电话才能派工，请发送：/报修 区域 地址 门口电线杆上的线断了掉下来了 电话');
    expect(await desk.ticket(no)).toMatchObject({ state: 'offered' });
    expect(await desk.say('yangfan', CHAT.khzx, '转人工')).toBe(`已转人工：咨询 **${no}** 由客户服务班答复，请稍候。`);
  });

  it('a question about how to complain is still answered from the knowledge base', async () => {
    const reply = await desk.say('huanglei', CHAT.khzx, '/咨询 对供电服务不满意的话怎么投诉，多久能答复');
    expect(reply).not.toContain('听起来不是咨询');
  });

  it('close candidates give the numbered list, not an answer', async () => {
    const reply = await desk.say('huanglei', CHAT.khzx, '/咨询 电费怎么交');
    expect(reply).toContain('知识库中可能相关的问题');
    expect(reply).toMatch(/1\. .+\n2\. .+/);
    expect(reply).not.toContain('知识库答复');
  });
});
