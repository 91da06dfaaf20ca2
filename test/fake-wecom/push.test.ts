/**
 * Unprompted sends (aibot_send_msg): where a bot may push, what it may push, how often, and media uploads.
 */
import type { WSClient } from '@wecom/aibot-node-sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectBot, nextFrame } from './bot-client';
import { FakeWeCom } from '../../fake-wecom/index';

const BOT = { botId: 'bot-95598', secret: 's3cret' };
const GROUP = 'wr-crew-east';

let t: number;
let fake: FakeWeCom;
let client: WSClient;

const markdown = (content: string) => ({ msgtype: 'markdown' as const, markdown: { content } });

beforeEach(async () => {
  t = Date.parse('2026-03-02T09:00:00+08:00');
  fake = await FakeWeCom.start({ bots: [BOT], now: () => t });
  client = await connectBot(fake, BOT);
});

afterEach(async () => {
  client.removeAllListeners().disconnect();
  await fake.close();
});

async function activate(chatId = GROUP) {
  const got = nextFrame(client, 'message.text');
  await fake.userSays({ chatId, userId: 'zhangsan', text: '绑定本群' });
  await got;
}

describe('pushes', () => {
  it('are refused into a chat where nobody has messaged the bot', async () => {
    await expect(client.sendMessage(GROUP, markdown('新工单'))).rejects.toMatchObject({ errcode: 86003 });
    expect(fake.transcript(GROUP)).toEqual([]);
  });

  it('reach an activated group; <@userid> in the bot markdown stays plain text and wakes nobody', async () => {
    await activate();
    await client.sendMessage(GROUP, markdown('**新工单** 请 <@wangwu> 接单'));
    expect(fake.transcript(GROUP).at(-1)).toMatchObject({ from: 'bot', kind: 'markdown', content: '**新工单** 请 <@wangwu> 接单', mentions: [] });
  });

  it('check chat_type when given, and refuse plain text', async () => {
    await activate();
    await expect(client.sendMessage(GROUP, { ...markdown('x'), chat_type: 1 } as never)).rejects.toMatchObject({ errcode: 40058 });
    await client.sendMessage(GROUP, { ...markdown('x'), chat_type: 2 } as never);
    await expect(client.sendMessage(GROUP, { msgtype: 'text', text: { content: 'x' } } as never)).rejects.toMatchObject({ errcode: 40008 });
  });

  it('share 30/min per conversation with replies; the 31st is 846607 until the minute slides', async () => {
    await activate();
    const results = await Promise.allSettled(Array.from({ length: 31 }, (_, i) => client.sendMessage(GROUP, markdown(`通知${i}`))));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(30);
    expect(results.find((r) => r.status === 'rejected')).toMatchObject({ reason: { errcode: 846607 } });
    t += 60_001;
    await expect(client.sendMessage(GROUP, markdown('一分钟后'))).resolves.toMatchObject({ errcode: 0 });
  });

  it('replies count in the same window', async () => {
    const fakeSmall = await FakeWeCom.start({ bots: [BOT], now: () => t, rateLimit: { perMinute: 2, perHour: 1000 } });
    const c = await connectBot(fakeSmall, BOT);
    try {
      const got = nextFrame(c, 'message.text');
      await fakeSmall.userSays({ chatId: GROUP, userId: 'zhangsan', text: '报修' });
      const frame = await got;
      await c.replyStream(frame, 's1', '受理中');
      await c.replyStream(frame, 's1', '受理中……'); // later frames of one stream do not count by default
      await c.sendMessage(GROUP, markdown('派单'));
      await expect(c.sendMessage(GROUP, markdown('第三条'))).rejects.toMatchObject({ errcode: 846607 });
    } finally {
      c.removeAllListeners().disconnect();
      await fakeSmall.close();
    }
  });

  it('fail every Nth time with the injected errcode', async () => {
    await activate();
    fake.faults.pushError = { every: 2, errcode: 846607 };
    await client.sendMessage(GROUP, markdown('1'));
    await expect(client.sendMessage(GROUP, markdown('2'))).rejects.toMatchObject({ errcode: 846607 });
    fake.faults.pushError = undefined;
    await client.sendMessage(GROUP, markdown('3'));
  });

  it('can carry a card that people then tap', async () => {
    await activate();
    const card = {
      card_type: 'button_interaction',
      main_title: { title: '派单：城东10kV线路故障' },
      button_list: [{ text: '接单', key: 'accept' }],
      task_id: 'D-001',
    };
    await client.sendMessage(GROUP, { msgtype: 'template_card', template_card: card });
    const tapped = nextFrame(client, 'event.template_card_event');
    await fake.tap({ taskId: 'D-001', eventKey: 'accept', userId: 'wangwu' });
    expect((await tapped).body.event.template_card_event).toMatchObject({ task_id: 'D-001', event_key: 'accept' });
  });

  it('may go anywhere when pushRequiresActivation is off', async () => {
    const open = await FakeWeCom.start({ bots: [BOT], pushRequiresActivation: false });
    const c = await connectBot(open, BOT);
    try {
      await c.sendMessage('wr-new-group', markdown('首次通知'));
      expect(open.transcript('wr-new-group')).toHaveLength(1);
    } finally {
      c.removeAllListeners().disconnect();
      await open.close();
    }
  });
});

describe('media', () => {
  it('an uploaded file can be pushed; an unknown media_id cannot', async () => {
    await activate();
    const { media_id } = await client.uploadMedia(Buffer.from('月度考核报表'), { type: 'file', filename: '考核.xlsx' });
    await client.sendMediaMessage(GROUP, 'file', media_id);
    expect(fake.transcript(GROUP).at(-1)).toMatchObject({ kind: 'media', content: '[file] 考核.xlsx' });
    await expect(client.sendMediaMessage(GROUP, 'file', 'media_unknown')).rejects.toMatchObject({ errcode: 40007 });
  });
});

describe('offline', () => {
  it('queues callbacks with queueWhileOffline and delivers them on the next subscribe', async () => {
    const q = await FakeWeCom.start({ bots: [BOT], queueWhileOffline: true });
    try {
      const sent = await q.userSays({ chatId: GROUP, userId: 'zhangsan', text: '夜间报修' });
      expect(sent.delivered).toBe(false);
      const c = await connectBot(q, BOT);
      const frame = await q.waitFor(() => q.frames.find((f) => f.reqId === sent.reqId && f.direction === 'out'));
      expect(frame.json.body.text.content).toBe('@客服机器人 夜间报修');
      c.removeAllListeners().disconnect();
    } finally {
      await q.close();
    }
  });
});
