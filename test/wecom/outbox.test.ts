import { afterEach, describe, expect, it } from 'vitest';
import type { OutboxAttempt } from '../../src/db/schema';
import type { InboundHandler } from '../../src/protocol/inbound';
import { card, markdown, type Outbound } from '../../src/protocol/outbound';
import { enqueue } from '../../src/wecom/outbox';
import { BOT, botSaid, eventually, harness, metricValue, outboxRows, pendingOutbox, type Harness } from './harness';

const MINUTE = 60_000;
let h: Harness;
afterEach(() => h.close());

async function queue(messages: Outbound[]): Promise<void> {
  await h.database.db.transaction().execute((tx) => enqueue(tx, h.clock, BOT.botId, messages));
}

const push = (chatId: string, content: string): Outbound => ({ channel: 'push', chatId, body: markdown(content) });

describe('the outbox sender', () => {
  it('keeps 200 messages for 5 chats through a 10-minute outage, then delivers each once, in order per chat', async () => {
    h = await harness();
    const bot = h.startBot();
    await eventually(() => bot.transport.isConnected());
    const chats = ['wrgroup-c1', 'wrgroup-c2', 'wrgroup-c3', 'wrgroup-c4', 'wrgroup-c5'];
    // WeCom lets the bot push into a group only after someone there spoke to it.
    for (const chatId of chats) await h.fake.userSays({ chatId, userId: 'desk01', text: '订阅通知' });

    h.fake.faults.outage(60_000);
    await eventually(() => !bot.transport.isConnected());
    const expected = new Map(chats.map((chatId) => [chatId, [] as string[]]));
    const messages: Outbound[] = [];
    for (let n = 1; n <= 40; n++) {
      for (const chatId of chats) {
        messages.push(push(chatId, `${chatId} 停电通知 第${n}条`));
        expected.get(chatId)?.push(`${chatId} 停电通知 第${n}条`);
      }
    }
    await queue(messages);
    for (let minute = 0; minute < 10; minute++) {
      h.clock.advance(MINUTE);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(await pendingOutbox(h.database)).toBe(200);
    expect((await outboxRows(h.database)).every((row) => row.attempts === 0)).toBe(true);

    h.fake.faults.endOutage();
    await eventually(() => bot.transport.isConnected(), 8000);
    // 40 per chat is more than WeCom's 30 a minute: 30 go at once, the rest wait for the window (simulated time).
    await eventually(async () => (await pendingOutbox(h.database)) === 50);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await pendingOutbox(h.database)).toBe(50);
    await h.pump(async () => (await pendingOutbox(h.database)) === 0, { stepMs: 5000 });

    for (const chatId of chats) expect(botSaid(h.fake, chatId)).toEqual(expected.get(chatId));
    const rows = await outboxRows(h.database);
    expect(rows.every((row) => row.status === 'sent' && row.attempts === 1)).toBe(true);
    // Our own limiter kept within 30/min: WeCom never had to refuse.
    expect(rows.flatMap((row) => row.attempt_log).every((a) => a.errcode === 0)).toBe(true);
    const c1 = rows.filter((row) => row.chat_id === 'wrgroup-c1').map((row) => row.sent_at!.getTime());
    expect(c1[30]! - c1[0]!).toBeGreaterThanOrEqual(MINUTE);
  });

  it('delivers everything when every 3rd push is refused for frequency, with the backoff in each row', async () => {
    h = await harness();
    const bot = h.startBot();
    await eventually(() => bot.transport.isConnected());
    const chats = ['wrgroup-a', 'wrgroup-b', 'wrgroup-c'];
    for (const chatId of chats) await h.fake.userSays({ chatId, userId: 'desk01', text: '订阅通知' });
    h.fake.faults.pushError = { every: 3, errcode: 846607, errmsg: 'frequency limit exceeded' };

    await queue(chats.flatMap((chatId) => Array.from({ length: 10 }, (_, i) => push(chatId, `${chatId} 抢修进度 ${i + 1}`))));
    await h.pump(async () => (await pendingOutbox(h.database)) === 0, { stepMs: 1000 });

    for (const chatId of chats) {
      expect(botSaid(h.fake, chatId)).toEqual(Array.from({ length: 10 }, (_, i) => `${chatId} 抢修进度 ${i + 1}`));
    }
    const rows = await outboxRows(h.database);
    const refused = rows.flatMap((row) => row.attempt_log as OutboxAttempt[]).filter((a) => a.errcode === 846607);
    expect(refused.length).toBeGreaterThanOrEqual(9);
    for (const attempt of refused) {
      // At least half the 2 s base, later attempts longer.
      expect(Date.parse(attempt.retryAt!) - Date.parse(attempt.at)).toBeGreaterThanOrEqual(1000);
    }
    for (const row of rows) {
      expect(row.status).toBe('sent');
      expect(row.attempts).toBe(row.attempt_log.length);
      expect(row.attempt_log.at(-1)?.errcode).toBe(0);
    }
    const twice = rows.find((row) => row.attempt_log.filter((a) => a.errcode === 846607).length >= 2);
    if (twice) {
      const [first, second] = twice.attempt_log.filter((a) => a.errcode === 846607);
      expect(Date.parse(second!.retryAt!) - Date.parse(second!.at)).toBeGreaterThanOrEqual(2000);
      expect(Date.parse(first!.retryAt!) - Date.parse(first!.at)).toBeLessThanOrEqual(2000);
    }
    expect(await metricValue(bot.metrics, 'wecom_outbox_retried_total', { errcode: '846607' })).toBe(refused.length);
  });

  it('updates a tapped card at once even while the chat’s other messages wait for a retry', async () => {
    h = await harness();
    const handler: InboundHandler = async (tx, event) => {
      if (event.kind === 'text') {
        await enqueue(tx, h.clock, BOT.botId, {
          channel: 'reply',
          chatId: event.chat.chatId,
          reqId: event.reqId,
          body: card({
            card_type: 'button_interaction',
            task_id: 'GD20261124001',
            main_title: { title: '新工单 东街10号停电' },
            button_list: [{ text: '接单', key: 'accept', style: 1 }],
          }),
        });
      } else {
        await enqueue(tx, h.clock, BOT.botId, {
          channel: 'update',
          chatId: event.chat.chatId,
          reqId: event.reqId,
          body: {
            response_type: 'update_template_card',
            template_card: {
              card_type: 'button_interaction',
              task_id: event.taskId,
              main_title: { title: `已接单（${event.userId}）` },
              button_list: [{ text: '已接单', key: 'done', style: 2 }],
            },
          },
        });
      }
    };
    const bot = h.startBot(handler);
    await eventually(() => bot.transport.isConnected());
    await h.fake.userSays({ chatId: 'wrgroup-crew', userId: 'desk01', text: '派单' });
    await eventually(() => h.fake.card('GD20261124001'));

    h.fake.faults.pushError = { every: 1, errcode: 846607 };
    await queue([push('wrgroup-crew', '提醒 1'), push('wrgroup-crew', '提醒 2')]);
    await eventually(async () => (await outboxRows(h.database)).some((row) => row.attempts === 1 && row.status === 'pending'));
    h.fake.faults.pushError = undefined;

    await h.fake.tap({ taskId: 'GD20261124001', eventKey: 'accept', userId: 'crew07' });
    await eventually(() => h.fake.card('GD20261124001')?.updates === 1);
    expect(h.fake.card('GD20261124001')?.card.main_title).toEqual({ title: '已接单（crew07）' });
    const pushes = (await outboxRows(h.database)).filter((row) => row.channel === 'push');
    expect(pushes.map((row) => row.status)).toEqual(['pending', 'pending']);
    expect(botSaid(h.fake, 'wrgroup-crew')).toHaveLength(1); // only the card

    await h.pump(async () => (await pendingOutbox(h.database)) === 0);
    expect(botSaid(h.fake, 'wrgroup-crew').slice(1)).toEqual(['提醒 1', '提醒 2']);
  });

  it('sends a reply whose message is older than WeCom’s 24-hour window as a push to the same chat', async () => {
    h = await harness();
    const bot = h.startBot();
    await eventually(() => bot.transport.isConnected());
    const { reqId } = await h.fake.userSays({ userId: 'sunqi', text: '我家停电了' });
    await bot.transport.settled();
    h.clock.advance(25 * 60 * MINUTE);

    await queue([{ channel: 'reply', chatId: 'sunqi', reqId, body: markdown('您好，抢修人员已出发') }]);
    await eventually(() => botSaid(h.fake, 'sunqi').length === 1);
    // WeCom's answer is recorded just after it arrives: wait for the row, not only for the chat.
    const row = await eventually(async () => (await outboxRows(h.database)).find((r) => r.status === 'sent'));
    expect(row).toMatchObject({ channel: 'push', req_id: null, status: 'sent', attempts: 2 });
    expect(row?.attempt_log.map((a) => a.errcode)).toEqual([846605, 0]);
  });

  it('gives a failing webhook up after two hours of backoff and tells the desk once', async () => {
    h = await harness({ webhookKeys: ['notice-key'] });
    const bot = h.startBot(undefined, { deskChatId: async () => 'wrgroup-desk' });
    await eventually(() => bot.transport.isConnected());
    await h.fake.userSays({ chatId: 'wrgroup-desk', userId: 'desk01', text: '值班' });
    h.fake.faults.webhookError = { every: 1, errcode: 45009, errmsg: 'api freq out of limit' };

    const notice = { channel: 'webhook', webhookKey: 'notice-key', body: { msgtype: 'text', text: { content: '计划停电通知' } } } as const;
    await queue([notice, { ...notice, body: { msgtype: 'text', text: { content: '计划停电通知（补充）' } } }]);
    await h.pump(async () => (await pendingOutbox(h.database)) === 0, { stepMs: MINUTE, timeoutMs: 15_000 });

    const rows = await outboxRows(h.database);
    const webhooks = rows.filter((row) => row.channel === 'webhook');
    expect(webhooks.map((row) => row.status)).toEqual(['failed', 'failed']);
    const gaps = webhooks[0]!.attempt_log.filter((a) => a.retryAt).map((a) => Date.parse(a.retryAt!) - Date.parse(a.at));
    expect(gaps.length).toBeGreaterThan(5);
    expect(Math.max(...gaps)).toBeGreaterThan(4 * gaps[0]!); // exponential, not constant
    const desk = botSaid(h.fake, 'wrgroup-desk');
    expect(desk).toHaveLength(1);
    expect(desk[0]).toContain('企业微信消息发送失败');
    expect(desk[0]).toContain('群机器人');
    expect(desk[0]).toContain('计划停电通知');
    expect(h.fake.transcript('notice-key')).toEqual([]);
  });

  it('keeps, without retrying, a push refused by a chat the bot never heard from; the next chat’s message still goes', async () => {
    h = await harness({ pushRequiresActivation: true });
    const bot = h.startBot();
    await eventually(() => bot.transport.isConnected());
    await h.fake.userSays({ userId: 'zhouba', text: '进度？' });
    await queue([push('wrgroup-silent', '没人@过机器人的群'), push('zhouba', '您的工单已办结')]);
    await h.pump(async () => (await pendingOutbox(h.database)) === 0);
    const rows = await outboxRows(h.database);
    // WeCom publishes no code for "not activated": any refusal from a chat never heard from is taken as that.
    expect(rows.map((row) => [row.status, row.attempts])).toEqual([
      ['waiting', 1],
      ['sent', 1],
    ]);
    expect(botSaid(h.fake, 'zhouba')).toEqual(['您的工单已办结']);
  });

  it('sends webhook notices within the robot’s 20 a minute, in order', async () => {
    h = await harness({ webhookKeys: ['notice-key'] });
    h.startBot();
    const notices = Array.from({ length: 25 }, (_, i) => `停电通知 ${i + 1}`);
    await queue(notices.map((content) => ({ channel: 'webhook', webhookKey: 'notice-key', body: { msgtype: 'markdown', markdown: { content } } })));
    await h.pump(async () => (await pendingOutbox(h.database)) === 0, { stepMs: 5000 });
    expect(h.fake.transcript('notice-key').map((e) => e.content)).toEqual(notices);
    const rows = await outboxRows(h.database);
    expect(rows.flatMap((row) => row.attempt_log).every((a) => a.errcode === 0)).toBe(true);
    expect(rows[20]!.sent_at!.getTime() - rows[0]!.sent_at!.getTime()).toBeGreaterThanOrEqual(MINUTE);
  });
});
