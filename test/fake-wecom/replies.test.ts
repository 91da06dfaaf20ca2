/**
 * Answering people: replies on a message's req_id, streams, cards and taps, welcomes — and what the chat shows.
 * Time windows are crossed with the fake clock, never by waiting.
 */
import type { WSClient } from '@wecom/aibot-node-sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectBot, nextFrame } from './bot-client';
import { FakeWeCom } from '../../fake-wecom/index';

const BOT = { botId: 'bot-95598', secret: 's3cret', name: '95598客服' };
const GROUP = 'wr-repair-desk';

let t: number;
let fake: FakeWeCom;
let client: WSClient;

const ticketCard = (taskId: string, title = '新工单：城东10kV线路故障') => ({
  card_type: 'button_interaction',
  main_title: { title, desc: '报修人 张三' },
  button_list: [
    { text: '接单', style: 1, key: 'accept' },
    { text: '退回', style: 2, key: 'return' },
  ],
  task_id: taskId,
});

/** A user @-mentions the bot in the desk group; resolves with the frame the SDK emitted. */
async function someoneAsks(text: string, userId = 'zhangsan') {
  const got = nextFrame(client, 'message.text');
  await fake.userSays({ chatId: GROUP, userId, text });
  return got;
}

beforeEach(async () => {
  t = Date.parse('2026-03-02T09:00:00+08:00');
  fake = await FakeWeCom.start({ bots: [BOT], now: () => t });
  client = await connectBot(fake, BOT);
});

afterEach(async () => {
  client.removeAllListeners().disconnect();
  await fake.close();
});

describe('a message and its replies', () => {
  it('the group message reaches the SDK as message.text with the bot mention in front', async () => {
    const frame = await someoneAsks('城东停电了');
    expect(frame.body).toMatchObject({
      aibotid: BOT.botId,
      chatid: GROUP,
      chattype: 'group',
      from: { userid: 'zhangsan' },
      msgtype: 'text',
      text: { content: '@95598客服 城东停电了' },
    });
    expect(fake.transcript(GROUP)).toMatchObject([{ from: 'user', userId: 'zhangsan', kind: 'text', content: '@95598客服 城东停电了' }]);
  });

  it('a 1:1 message has no chatid and its chat is the user', async () => {
    const got = nextFrame(client, 'message.text');
    await fake.userSays({ userId: 'lisi', text: '查电费' });
    const frame = await got;
    expect(frame.body.chattype).toBe('single');
    expect(frame.body.chatid).toBeUndefined();
    expect(fake.transcript('lisi')).toHaveLength(1);
  });

  it('a stream shows one bubble with the latest full content, and nothing after finish', async () => {
    const frame = await someoneAsks('城东停电了');
    await client.replyStream(frame, 'st-1', '正在查询');
    await client.replyStream(frame, 'st-1', '正在查询停电信息……');
    await client.replyStream(frame, 'st-1', '城东因10kV线路故障停电，预计12:00恢复。', true);
    const bot = fake.transcript(GROUP).filter((e) => e.from === 'bot');
    expect(bot).toMatchObject([{ kind: 'stream', content: '城东因10kV线路故障停电，预计12:00恢复。', finished: true }]);
    await expect(client.replyStream(frame, 'st-1', '再补充一句')).rejects.toMatchObject({ errcode: 846606 });
  });

  it('a stream older than 6 minutes is expired (846608)', async () => {
    const frame = await someoneAsks('城东停电了');
    await client.replyStream(frame, 'st-1', '正在查询');
    t += 6 * 60_000 + 1;
    await expect(client.replyStream(frame, 'st-1', '查到了', true)).rejects.toMatchObject({ errcode: 846608 });
  });

  it('stream content over 20480 bytes is refused', async () => {
    const frame = await someoneAsks('长文');
    await expect(client.replyStream(frame, 'st-1', '电'.repeat(7000))).rejects.toMatchObject({ errcode: 45002 });
  });

  it('a card reply shows in the chat; a second non-stream reply is 846606', async () => {
    const frame = await someoneAsks('报修：城东10kV线路故障');
    await client.replyTemplateCard(frame, ticketCard('T20260302001'));
    expect(fake.transcript(GROUP).at(-1)).toMatchObject({
      kind: 'card',
      taskId: 'T20260302001',
      content: '新工单：城东10kV线路故障\n报修人 张三\n[接单] [退回]',
    });
    await expect(client.reply(frame, { msgtype: 'markdown', markdown: { content: '已受理' } })).rejects.toMatchObject({
      errcode: 846606,
    });
  });

  it('a message req_id takes only aibot_respond_msg, and not after 24 h', async () => {
    const frame = await someoneAsks('你好');
    await expect(client.reply(frame, { msgtype: 'text', text: { content: 'hi' } }, 'aibot_respond_welcome_msg')).rejects.toMatchObject({
      errcode: 846605,
    });
    t += 24 * 3_600_000 + 1;
    await expect(client.replyStream(frame, 's', '迟到的回复')).rejects.toMatchObject({ errcode: 846605 });
  });

  it('redelivery carries the same msgid under a fresh req_id, and each req_id may be answered', async () => {
    const first = await someoneAsks('报修');
    const again = nextFrame(client, 'message.text');
    await fake.redeliver(first.body.msgid);
    const second = await again;
    expect(second.body).toEqual(first.body);
    expect(second.headers.req_id).not.toBe(first.headers.req_id);
    expect(fake.transcript(GROUP).filter((e) => e.from === 'user')).toHaveLength(1);
  });

  it('response_url takes one markdown post into the chat', async () => {
    const frame = await someoneAsks('进度？');
    const post = () =>
      fetch(frame.body.response_url, { method: 'POST', body: JSON.stringify({ msgtype: 'markdown', markdown: { content: '处理中 <@zhangsan>' } }) }).then(
        (r) => r.json(),
      );
    expect(await post()).toEqual({ errcode: 0, errmsg: 'ok' });
    // `<@id>` in the bot's markdown is plain text on WeCom: nobody is notified.
    expect(fake.transcript(GROUP).at(-1)).toMatchObject({ kind: 'markdown', content: '处理中 <@zhangsan>', mentions: [] });
    expect(await post()).toMatchObject({ errcode: 846604 });
  });
});

describe('cards and taps', () => {
  async function cardShown(taskId: string) {
    const frame = await someoneAsks('报修：城东10kV线路故障');
    await client.replyTemplateCard(frame, ticketCard(taskId));
  }

  it('a tap arrives as template_card_event in the nested form and the update replaces the card for everyone', async () => {
    await cardShown('T1');
    const tapped = nextFrame(client, 'event.template_card_event');
    await fake.tap({ taskId: 'T1', eventKey: 'accept', userId: 'wangwu' });
    const frame = await tapped;
    expect(frame.body).toMatchObject({
      chatid: GROUP,
      chattype: 'group',
      from: { userid: 'wangwu' },
      msgtype: 'event',
      event: { eventtype: 'template_card_event', template_card_event: { card_type: 'button_interaction', event_key: 'accept', task_id: 'T1' } },
    });
    const done = { ...ticketCard('T1', '已接单：城东10kV线路故障'), button_list: [{ text: '王五已接单', style: 1, key: 'done' }] };
    await client.reply(frame, { response_type: 'update_template_card', template_card: done }, 'aibot_respond_update_msg');

    expect(fake.card('T1')).toMatchObject({ chatId: GROUP, updates: 1, perUser: {}, card: { main_title: { title: '已接单：城东10kV线路故障' } } });
    const cards = fake.transcript(GROUP).filter((e) => e.kind === 'card');
    expect(cards).toHaveLength(1);
    expect(cards[0]?.content).toBe('已接单：城东10kV线路故障\n报修人 张三\n[王五已接单]');
    await expect(fake.tap({ taskId: 'T1', eventKey: 'accept', userId: 'zhaoliu' })).rejects.toThrow('has no key accept');
  });

  it('an update with userids changes only those users’ view', async () => {
    await cardShown('T2');
    const tapped = nextFrame(client, 'event.template_card_event');
    await fake.tap({ taskId: 'T2', eventKey: 'return', userId: 'wangwu' });
    await client.updateTemplateCard(await tapped, { ...ticketCard('T2', '您已退回'), button_list: [{ text: '已退回', key: 'x' }] }, ['wangwu']);
    const state = fake.card('T2');
    expect(Object.keys(state?.perUser ?? {})).toEqual(['wangwu']);
    expect(fake.transcript(GROUP).at(-1)?.content).toContain('新工单');
    expect(fake.transcript(GROUP, 'wangwu').at(-1)?.content).toContain('您已退回');
  });

  it('an update after the window is 846605; a second update is 846606', async () => {
    await cardShown('T3');
    let tapped = nextFrame(client, 'event.template_card_event');
    await fake.tap({ taskId: 'T3', eventKey: 'accept', userId: 'wangwu' });
    const late = await tapped;
    t += 5001;
    await expect(client.updateTemplateCard(late, ticketCard('T3', '迟了'))).rejects.toMatchObject({ errcode: 846605 });

    tapped = nextFrame(client, 'event.template_card_event');
    await fake.tap({ taskId: 'T3', eventKey: 'accept', userId: 'wangwu' });
    const again = await tapped;
    await client.updateTemplateCard(again, ticketCard('T3', '已接单'));
    await expect(client.updateTemplateCard(again, ticketCard('T3', '又改'))).rejects.toMatchObject({ errcode: 846606 });
    expect(fake.card('T3')?.updates).toBe(1);
  });

  it('an update must keep the task_id, and a tap req_id takes no other reply', async () => {
    await cardShown('T4');
    const tapped = nextFrame(client, 'event.template_card_event');
    await fake.tap({ taskId: 'T4', eventKey: 'accept', userId: 'wangwu' });
    const frame = await tapped;
    await expect(client.updateTemplateCard(frame, ticketCard('OTHER'))).rejects.toMatchObject({ errcode: 40058 });
    await expect(client.replyStream(frame, 's', 'x')).rejects.toMatchObject({ errcode: 846605 });
  });

  it('card rules: task_id charset, unique per bot, at most 6 buttons', async () => {
    const frames = [await someoneAsks('a'), await someoneAsks('b'), await someoneAsks('c'), await someoneAsks('d')];
    const [a, b, c, d] = frames as [typeof frames[0], typeof frames[0], typeof frames[0], typeof frames[0]];
    await expect(client.replyTemplateCard(a, ticketCard('工单1'))).rejects.toMatchObject({ errcode: 40058 });
    await client.replyTemplateCard(b, ticketCard('T5'));
    await expect(client.replyTemplateCard(c, ticketCard('T5'))).rejects.toMatchObject({ errcode: 40058 });
    const seven = Array.from({ length: 7 }, (_, i) => ({ text: `b${i}`, key: `k${i}` }));
    await expect(client.replyTemplateCard(d, { ...ticketCard('T6'), button_list: seven })).rejects.toMatchObject({ errcode: 40058 });
  });
});

describe('what WeCom refuses', () => {
  it('a field of another card type: the work card may not carry news_notice’s vertical_content_list', async () => {
    const frame = await someoneAsks('a');
    const withList = { ...ticketCard('T7'), vertical_content_list: [{ title: '09:00', desc: '已派工' }] };
    await expect(client.replyTemplateCard(frame, withList)).rejects.toMatchObject({ errcode: 40058 });
    await expect(client.replyTemplateCard(frame, { ...ticketCard('T8'), emphasis_content: { title: '1' } })).rejects.toMatchObject({ errcode: 40058 });
    await client.replyTemplateCard(frame, { ...ticketCard('T9'), quote_area: { title: '进展', quote_text: '09:00 已派工' } });
    expect(fake.transcript(GROUP).at(-1)?.content).toContain('进展 09:00 已派工');
  });

  it('at most 3 messages of one user in progress: the 4th is answered only once an earlier one is', async () => {
    const frames = [];
    for (const text of ['1', '2', '3', '4']) frames.push(await someoneAsks(text));
    await expect(client.replyStream(frames[3]!, 's4', '第四条', true)).rejects.toMatchObject({ errcode: 846607 });
    // Another person is not held up.
    await client.replyStream(await someoneAsks('x', 'lisi'), 'sx', '好的', true);
    await client.replyStream(frames[0]!, 's1', '第一条', true);
    await client.replyStream(frames[3]!, 's4', '第四条', true);
    expect(fake.transcript(GROUP).filter((e) => e.from === 'bot').map((e) => e.content)).toEqual(['好的', '第一条', '第四条']);
  });
});

describe('media people send', () => {
  const photo = Buffer.from('\x89PNG fake photo bytes '.repeat(50), 'binary');

  it('a group mixed message carries encrypted images the SDK downloads and decrypts, for 5 minutes only', async () => {
    const got = new Promise<any>((resolve) => client.once('message.mixed', resolve));
    await fake.userSends({ chatId: GROUP, userId: 'zhangsan', text: '/现场 GZ20261124-0001 线路已修复', images: [photo, Buffer.from('second')] });
    const frame = await got;
    const items = frame.body.mixed.msg_item;
    expect(items[0]).toEqual({ msgtype: 'text', text: { content: '@95598客服 /现场 GZ20261124-0001 线路已修复' } });
    const [first, second] = items.slice(1).map((i: any) => i.image);
    expect(Buffer.from(first.aeskey, 'base64')).toHaveLength(32);
    expect((await client.downloadFile(first.url, first.aeskey)).buffer.equals(photo)).toBe(true);
    t += 5 * 60_000 + 1;
    await expect(client.downloadFile(second.url, second.aeskey)).rejects.toThrow();
  });

  it('1:1 delivers a lone image, transcribed voice and files; a group refuses them', async () => {
    const image = new Promise<any>((resolve) => client.once('message.image', resolve));
    await fake.userSends({ userId: 'lisi', images: [photo] });
    expect((await image).body.image.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/cgi-bin\/media\//);
    const voice = new Promise<any>((resolve) => client.once('message.voice', resolve));
    await fake.userSends({ userId: 'lisi', voice: '查一下工单 GZ20261124-0001' });
    expect((await voice).body.voice).toEqual({ content: '查一下工单 GZ20261124-0001' });
    await expect(fake.userSends({ chatId: GROUP, userId: 'lisi', voice: 'x' })).rejects.toThrow(/groups deliver only/);
  });

  it('a quote carries what was quoted', async () => {
    const got = nextFrame(client, 'message.text');
    await fake.userSends({ chatId: GROUP, userId: 'zhangsan', text: '接单', quote: { text: '故障抢修 GZ20261124-0001' } });
    expect((await got).body.quote).toEqual({ msgtype: 'text', text: { content: '故障抢修 GZ20261124-0001' } });
  });
});

describe('welcome', () => {
  it('enter_chat allows one welcome within 5 s, and no aibot_respond_msg', async () => {
    const entered = nextFrame(client, 'event.enter_chat');
    await fake.enterChat({ userId: 'lisi' });
    const frame = await entered;
    await expect(client.replyStream(frame, 's', 'x')).rejects.toMatchObject({ errcode: 846605 });
    await client.replyWelcome(frame, { msgtype: 'text', text: { content: '您好，这里是95598客服' } });
    await expect(client.replyWelcome(frame, { msgtype: 'text', text: { content: 'again' } })).rejects.toMatchObject({ errcode: 846606 });
    expect(fake.transcript('lisi')).toMatchObject([{ kind: 'welcome', content: '您好，这里是95598客服' }]);

    const later = nextFrame(client, 'event.enter_chat');
    await fake.enterChat({ userId: 'zhaoliu' });
    const lateFrame = await later;
    t += 5001;
    await expect(client.replyWelcome(lateFrame, { msgtype: 'text', text: { content: '迟到' } })).rejects.toMatchObject({ errcode: 846605 });
  });
});
