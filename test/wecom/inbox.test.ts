import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { InboundEvent, InboundHandler } from '../../src/protocol/inbound';
import { APOLOGY } from '../../src/wecom/inbox';
import { markdown } from '../../src/protocol/outbound';
import { enqueue } from '../../src/wecom/outbox';
import { BOT, botSaid, eventually, harness, metricValue, outboxRows, type Harness } from './harness';

describe('inbound messages reach the handler exactly once', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await harness();
  });
  afterEach(() => h.close());

  /** Answers "收到：<text>" in the same transaction, like a command would. */
  const echo = (seen: InboundEvent[]): InboundHandler => async (tx, event) => {
    seen.push(event);
    if (event.kind === 'text') {
      await enqueue(tx, h.clock, BOT.botId, { channel: 'reply', chatId: event.chat.chatId, reqId: event.reqId, body: markdown(`收到：${event.text}`) });
    }
  };

  it('handles a message WeCom delivers three times (once again after a reconnect) only once', async () => {
    const seen: InboundEvent[] = [];
    const bot = h.startBot(echo(seen));
    await eventually(() => bot.transport.isConnected());

    const { msgId } = await h.fake.userSays({ chatId: 'wrgroup-east', userId: 'zhangsan', text: '报修 东街10号停电' });
    await h.fake.redeliver(msgId);
    await eventually(() => botSaid(h.fake, 'wrgroup-east').length === 1);
    h.fake.faults.dropConnections({ withoutCloseFrame: true });
    await eventually(() => !bot.transport.isConnected());
    await eventually(() => bot.transport.isConnected());
    await h.fake.redeliver(msgId);
    await eventually(async () => (await metricValue(bot.metrics, 'wecom_inbound_duplicates_total')) === 2);
    await bot.transport.settled();

    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({
      kind: 'text',
      msgId,
      text: '报修 东街10号停电',
      userId: 'zhangsan',
      chat: { chatId: 'wrgroup-east', chatType: 'group' },
    });
    expect(botSaid(h.fake, 'wrgroup-east')).toEqual(['收到：报修 东街10号停电']);
    expect(await h.database.db.selectFrom('inbox').select(['dedupe_key', 'handled_at']).execute()).toEqual([
      { dedupe_key: msgId, handled_at: expect.any(Date) },
    ]);
  });

  it('rolls back a failing handler and, after a few tries, apologises politely instead', async () => {
    let calls = 0;
    const bot = h.startBot(async (tx, event) => {
      calls++;
      // Half-written work: a reply queued, then the domain step blows up.
      await enqueue(tx, h.clock, BOT.botId, { channel: 'push', chatId: event.chat.chatId, body: markdown('工单已创建') });
      throw new Error('relation "tickets" violates check constraint');
    });
    await eventually(() => bot.transport.isConnected());

    await h.fake.userSays({ chatId: 'wrgroup-east', userId: 'lisi', text: '投诉 抄表员态度差' });
    await eventually(() => botSaid(h.fake, 'wrgroup-east').length === 1);
    await bot.transport.settled();

    expect(calls).toBe(3);
    expect(botSaid(h.fake, 'wrgroup-east')).toEqual([APOLOGY]);
    const rows = await outboxRows(h.database);
    expect(rows.map((r) => r.body)).toEqual([markdown(APOLOGY)]);
    const [inbox] = await h.database.db.selectFrom('inbox').selectAll().execute();
    expect(inbox).toMatchObject({ attempts: 3, failed_at: expect.any(Date), handled_at: expect.any(Date) });
    expect(inbox?.last_error).toContain('violates check constraint');
    expect(await metricValue(bot.metrics, 'wecom_inbound_failed_total')).toBe(1);
  });

  it('a handler that fails once and then succeeds answers normally', async () => {
    let calls = 0;
    const bot = h.startBot(async (tx, event) => {
      if (++calls === 1) throw new Error('could not serialize access');
      await enqueue(tx, h.clock, BOT.botId, { channel: 'push', chatId: event.chat.chatId, body: markdown('已受理') });
    });
    await eventually(() => bot.transport.isConnected());
    await h.fake.userSays({ userId: 'wangwu', text: '查询电费' });
    await eventually(() => botSaid(h.fake, 'wangwu').length === 1);
    await bot.transport.settled();
    expect(botSaid(h.fake, 'wangwu')).toEqual(['已受理']);
    expect(calls).toBe(2);
  });

  it('handles a recorded message later when the database refused the handling for a while', async () => {
    const seen: InboundEvent[] = [];
    const bot = h.startBot(echo(seen), { inboundRecoveryDelayMs: 200 });
    await eventually(() => bot.transport.isConnected());
    // Any write that counts an attempt fails, so neither the handling nor the failure can be recorded.
    await sql`ALTER TABLE inbox ADD CONSTRAINT refuse_writes CHECK (attempts < 1) NOT VALID`.execute(h.database.db);
    await h.fake.userSays({ chatId: 'wrgroup-north', userId: 'qianjiu', text: '北街电压低' });
    await eventually(() => bot.logs.some((entry) => entry.msg === 'inbox: database unreachable; waiting for it'));
    expect(seen).toHaveLength(0); // refused before the handler ran
    await sql`ALTER TABLE inbox DROP CONSTRAINT refuse_writes`.execute(h.database.db);

    await eventually(() => botSaid(h.fake, 'wrgroup-north').length === 1);
    expect(botSaid(h.fake, 'wrgroup-north')).toEqual(['收到：北街电压低']);
    expect(seen).toHaveLength(1);
  });

  it('hands a message received but not handled when the holder died to the next holder', async () => {
    let release!: (error: Error) => void;
    let entered = false;
    const first = h.startBot(() => {
      entered = true;
      return new Promise<never>((_, reject) => (release = reject));
    });
    await eventually(() => first.transport.isConnected());
    await h.fake.userSays({ chatId: 'wrgroup-west', userId: 'zhaoliu', text: '西街路灯不亮' });
    await eventually(() => entered);

    first.transport.kill();
    release(new Error('process died')); // the dead process's transaction ends with its connection

    const seen: InboundEvent[] = [];
    const second = h.startBot(echo(seen));
    await eventually(() => botSaid(h.fake, 'wrgroup-west').length === 1);
    expect(second.transport.isHolder()).toBe(true);
    expect(botSaid(h.fake, 'wrgroup-west')).toEqual(['收到：西街路灯不亮']);
    expect(seen).toHaveLength(1);
  });
});
