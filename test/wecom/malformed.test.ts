import { afterEach, describe, expect, it } from 'vitest';
import type { InboundEvent } from '../../src/protocol/inbound';
import { BOT, eventually, harness, metricValue, type Harness } from './harness';

let h: Harness;
afterEach(() => h.close());

const frame = (cmd: string, body?: unknown) => JSON.stringify({ cmd, headers: { req_id: `r${Math.random()}` }, ...(body !== undefined && { body }) });

describe('malformed frames from WeCom', () => {
  it('are logged and counted while the connection and the process stay up', async () => {
    h = await harness();
    const seen: InboundEvent[] = [];
    const bot = h.startBot(async (_tx, event) => {
      seen.push(event);
    });
    await eventually(() => bot.transport.isConnected());
    const [connection] = h.fake.connections().filter((c) => c.live);

    h.fake.sendRawFrame('{"cmd":"aibot_msg_callback","headers":'); // bad JSON
    h.fake.sendRawFrame('null');
    h.fake.sendRawFrame('[1,2,3]');
    h.fake.sendRawFrame(frame('aibot_format_disk', {})); // unknown cmd
    h.fake.sendRawFrame(frame('aibot_msg_callback', { msgid: 'm-no-type', chattype: 'single', from: { userid: 'u1' } }));
    // Group text without chatid and without a sender.
    h.fake.sendRawFrame(frame('aibot_msg_callback', { msgid: 'm-no-from', chattype: 'group', msgtype: 'text', text: { content: `@${BOT.name} 报修` } }));
    // A tap in the SDK's (wrong) flat shape.
    h.fake.sendRawFrame(
      frame('aibot_event_callback', {
        msgid: 'e-flat',
        create_time: 1,
        chattype: 'single',
        from: { userid: 'u1' },
        msgtype: 'event',
        event: { eventtype: 'template_card_event', event_key: 'accept', task_id: 'T1' },
      }),
    );
    h.fake.sendRawFrame(
      frame('aibot_msg_callback', {
        msgid: 'm-huge',
        chattype: 'single',
        from: { userid: 'u1' },
        msgtype: 'text',
        text: { content: '停'.repeat(350_000) }, // ≈ 1 MB of UTF-8
      }),
    );

    await eventually(async () => (await metricValue(bot.metrics, 'wecom_frames_rejected_total')) === 8);
    expect(await metricValue(bot.metrics, 'wecom_frames_rejected_total', { reason: 'bad_json' })).toBe(2);
    expect(await metricValue(bot.metrics, 'wecom_frames_rejected_total', { reason: 'unmatched_frame' })).toBe(2);
    expect(await metricValue(bot.metrics, 'wecom_frames_rejected_total', { reason: 'missing_msgtype' })).toBe(1);
    expect(await metricValue(bot.metrics, 'wecom_frames_rejected_total', { reason: 'invalid' })).toBe(2);
    expect(await metricValue(bot.metrics, 'wecom_frames_rejected_total', { reason: 'too_large' })).toBe(1);
    expect(bot.logs.filter((entry) => entry.msg === 'malformed WeCom frame dropped')).toHaveLength(8);

    // Still the same connection, and it still works.
    await h.fake.userSays({ chatId: 'wrgroup-east', userId: 'zhangsan', text: '东街停电' });
    await eventually(() => seen.length === 1);
    expect(seen[0]).toMatchObject({ kind: 'text', text: '东街停电' });
    expect(h.fake.connections().filter((c) => c.live)).toEqual([connection]);
    expect(h.fake.subscribeCount()).toBe(1);
    expect(await h.database.db.selectFrom('inbox').select('dedupe_key').execute()).toHaveLength(1);
  });
});
