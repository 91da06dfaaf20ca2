import { describe, expect, it } from 'vitest';
import { readCallback } from '../../src/wecom/frames';

const at = new Date('2026-11-24T02:00:00Z');
const message = (body: Record<string, unknown>) => ({ cmd: 'aibot_msg_callback', headers: { req_id: 'req-1' }, body });
const group = { msgid: 'm1', aibotid: 'bot', chatid: 'wrgroup-east', chattype: 'group', from: { userid: 'zhangsan' } };
const single = { msgid: 'm2', aibotid: 'bot', chattype: 'single', from: { userid: 'lisi' } };

describe('reading WeCom callback frames', () => {
  it('turns group text into a text event without the leading @bot mention', () => {
    expect(readCallback(message({ ...group, msgtype: 'text', text: { content: '@95598客服 报修 东街10号' } }), at)).toEqual({
      kind: 'event',
      dedupeKey: 'm1',
      event: {
        kind: 'text',
        reqId: 'req-1',
        chat: { chatId: 'wrgroup-east', chatType: 'group' },
        userId: 'zhangsan',
        receivedAt: at,
        msgId: 'm1',
        text: '报修 东街10号',
      },
    });
    // WeCom puts a four-per-em space after a mention.
    const reading = readCallback(message({ ...group, msgtype: 'text', text: { content: '@客服机器人\u2005／帮助' } }), at);
    expect(reading.kind === 'event' && reading.event.kind === 'text' && reading.event.text).toBe('／帮助');
  });

  it('addresses a 1:1 chat by the person and leaves its text alone', () => {
    const reading = readCallback(message({ ...single, msgtype: 'text', text: { content: '@张三 的电表' } }), at);
    expect(reading).toMatchObject({ kind: 'event', event: { chat: { chatId: 'lisi', chatType: 'single' }, text: '@张三 的电表' } });
  });

  it('reads mixed text and transcribed voice', () => {
    const mixed = readCallback(
      message({
        ...group,
        msgtype: 'mixed',
        mixed: { msg_item: [{ msgtype: 'text', text: { content: '@95598客服 现场照片' } }, { msgtype: 'image', image: { url: 'u' } }] },
      }),
      at,
    );
    expect(mixed).toMatchObject({ kind: 'event', event: { text: '现场照片' } });
    expect(readCallback(message({ ...single, msgtype: 'voice', voice: { content: '查询电费' } }), at)).toMatchObject({
      event: { text: '查询电费' },
    });
  });

  it('reads a card tap in WeCom’s nested form', () => {
    const tap = {
      cmd: 'aibot_event_callback',
      headers: { req_id: 'req-tap' },
      body: {
        ...group,
        msgid: 'e1',
        create_time: 1_795_000_000,
        msgtype: 'event',
        event: { eventtype: 'template_card_event', template_card_event: { card_type: 'button_interaction', event_key: 'accept', task_id: 'GD1' } },
      },
    };
    expect(readCallback(tap, at)).toEqual({
      kind: 'event',
      dedupeKey: 'e1',
      event: {
        kind: 'tap',
        reqId: 'req-tap',
        chat: { chatId: 'wrgroup-east', chatType: 'group' },
        userId: 'zhangsan',
        receivedAt: at,
        eventId: 'e1',
        taskId: 'GD1',
        eventKey: 'accept',
      },
    });
  });

  it('ignores what no handler consumes and rejects what is broken', () => {
    const event = (eventtype: string) => ({
      cmd: 'aibot_event_callback',
      headers: { req_id: 'r' },
      body: { ...single, create_time: 1, msgtype: 'event', event: { eventtype } },
    });
    expect(readCallback(event('enter_chat'), at)).toEqual({ kind: 'ignored', what: 'enter_chat' });
    expect(readCallback(event('brand_new_event'), at)).toMatchObject({ kind: 'ignored', what: 'unknown_event' });
    // A lone image (1:1) is read as a message with a photo and no text: the bot answers how to attach it to a ticket.
    expect(readCallback(message({ ...single, msgtype: 'image', image: { url: 'u', aeskey: 'k' } }), at)).toMatchObject({
      kind: 'event',
      event: { text: '', images: [{ url: 'u', aeskey: 'k' }] },
    });
    expect(readCallback(message({ ...single, msgtype: 'file', file: { url: 'u' } }), at)).toEqual({ kind: 'ignored', what: 'file' });
    expect(readCallback(message({ ...single, msgtype: 'hologram' }), at)).toMatchObject({ kind: 'ignored', what: 'unknown_msgtype' });
    // A bare @ activates the group and is answered like any message.
    expect(readCallback(message({ ...group, msgtype: 'text', text: { content: '@95598客服 ' } }), at)).toMatchObject({ kind: 'event', event: { text: '' } });

    expect(readCallback(event('template_card_event'), at)).toMatchObject({ kind: 'rejected', reason: 'invalid' });
    expect(readCallback(message({ ...single, from: undefined, msgtype: 'text', text: { content: 'x' } }), at)).toMatchObject({
      kind: 'rejected',
      reason: 'invalid',
    });
    expect(readCallback(message({ ...group, chatid: undefined, msgtype: 'text', text: { content: 'x' } }), at)).toMatchObject({
      kind: 'rejected',
      reason: 'invalid',
    });
    expect(readCallback({ cmd: 'aibot_msg_callback', headers: {}, body: { ...single, msgtype: 'text', text: { content: 'x' } } }, at)).toMatchObject({
      kind: 'rejected',
    });
    expect(readCallback(message({ ...single, msgtype: 'text', text: { content: 'x'.repeat(70_000) } }), at)).toMatchObject({
      kind: 'rejected',
      reason: 'too_large',
    });
  });
});
