/**
 * The group robot webhook: notices into groups the bot is not in.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeWeCom } from '../../fake-wecom/index';

const KEY = 'key-dispatch-room';
const CHAT = 'wr-dispatch';

let t: number;
let fake: FakeWeCom;

const send = (body: unknown, key = KEY) =>
  fetch(`${fake.apiBase}/cgi-bin/webhook/send?key=${key}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  }).then(async (r) => ({ status: r.status, json: (await r.json()) as { errcode: number; errmsg: string } }));

beforeEach(async () => {
  t = Date.parse('2026-03-02T09:00:00+08:00');
  fake = await FakeWeCom.start({ webhookKeys: [{ key: KEY, chatId: CHAT }, 'bare-key'], now: () => t });
});

afterEach(async () => {
  await fake.close();
});

describe('webhook/send', () => {
  it('posts text with mentions into the key’s group', async () => {
    const res = await send({ msgtype: 'text', text: { content: '10kV城东线计划停电', mentioned_list: ['lisi', '@all'] } });
    expect(res).toEqual({ status: 200, json: { errcode: 0, errmsg: 'ok' } });
    expect(fake.transcript(CHAT)).toMatchObject([{ from: 'bot', kind: 'webhook', content: '10kV城东线计划停电', mentions: ['lisi', '@all'] }]);
  });

  it('a bare key posts into a chat named after the key', async () => {
    await send({ msgtype: 'markdown', markdown: { content: '**停电通知** <@lisi>' } }, 'bare-key');
    // Only a webhook text notifies; markdown @s nobody.
    expect(fake.transcript('bare-key')).toMatchObject([{ content: '**停电通知** <@lisi>', mentions: [] }]);
  });

  it('refuses a bad key with 93000 and malformed JSON with 47001', async () => {
    expect((await send({ msgtype: 'text', text: { content: 'x' } }, 'nope')).json.errcode).toBe(93000);
    expect((await send('{"msgtype":')).json).toMatchObject({ errcode: 47001, errmsg: expect.stringContaining('invalid json') });
  });

  it('enforces byte limits and card types', async () => {
    expect((await send({ msgtype: 'text', text: { content: '电'.repeat(683) } })).json.errcode).toBe(45002);
    expect((await send({ msgtype: 'markdown', markdown: { content: 'a'.repeat(4097) } })).json.errcode).toBe(45002);
    const interactive = { card_type: 'button_interaction', task_id: 'x', button_list: [{ text: 'a', key: 'a' }] };
    expect((await send({ msgtype: 'template_card', template_card: interactive })).json.errcode).toBe(40058);
    const notice = { card_type: 'text_notice', main_title: { title: '停电通知' }, card_action: { type: 1, url: 'https://example.com' } };
    expect((await send({ msgtype: 'template_card', template_card: notice })).json.errcode).toBe(0);
    expect((await send({ msgtype: 'nope' })).json.errcode).toBe(40008);
  });

  it('allows 20 per minute per key, then 45009 until the minute slides', async () => {
    for (let i = 0; i < 20; i++) expect((await send({ msgtype: 'text', text: { content: `n${i}` } })).json.errcode).toBe(0);
    expect((await send({ msgtype: 'text', text: { content: 'over' } })).json).toMatchObject({ errcode: 45009 });
    t += 60_001;
    expect((await send({ msgtype: 'text', text: { content: 'again' } })).json.errcode).toBe(0);
  });

  it('fails every Nth send with the injected errcode', async () => {
    fake.faults.webhookError = { every: 1, errcode: -1, errmsg: 'system busy' };
    expect((await send({ msgtype: 'text', text: { content: 'x' } })).json).toEqual({ errcode: -1, errmsg: 'system busy' });
  });
});
