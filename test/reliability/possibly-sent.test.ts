import { afterEach, describe, expect, it } from 'vitest';
import { card, markdown } from '../../src/protocol/outbound';
import { freePort } from '../../src/db/embedded';
import { WecomTransportError } from '../../src/wecom/client';
import { enqueue } from '../../src/wecom/outbox';
import { sendWebhook } from '../../src/wecom/webhook';
import { BOT, botSaid, eventually, harness, pendingOutbox, type Harness } from '../wecom/harness';

/**
 * A send in flight when its holder vanished cannot be known to have arrived: the next holder sends it again, and a
 * card or push then says （重发）, so a crew does not take it for new work. Rows not in flight go once, unmarked.
 */
let h: Harness;
const open: Harness[] = [];
afterEach(async () => {
  for (const harnessed of open.splice(0)) await harnessed.close();
});

describe('a recovered in-flight send', () => {
  it('is sent again marked （重发）; the rest of the queue is sent once, unmarked', async () => {
    h = await harness({ pushRequiresActivation: false });
    open.push(h);
    const chat = 'wrgroup-crew';
    await h.database.db.transaction().execute(async (tx) => {
      await enqueue(tx, h.clock, BOT.botId, { channel: 'push', chatId: chat, body: card({ card_type: 'button_interaction', task_id: 'T1', main_title: { title: '故障报修 GZ1' }, button_list: [{ text: '接单', key: 'accept', style: 1 }] }) });
      await enqueue(tx, h.clock, BOT.botId, { channel: 'push', chatId: 'wrgroup-desk', body: markdown('进度通知') });
      await enqueue(tx, h.clock, BOT.botId, { channel: 'push', chatId: 'wrgroup-desk', body: markdown('下一条') });
    });
    // The card was claimed by a holder that died before recording WeCom's answer.
    await h.database.db.updateTable('outbox').set({ locked_by: 'dead-holder', locked_until: new Date(Date.now() + 60_000) }).where('chat_id', '=', chat).execute();

    h.startBot(undefined, { lockRetryMs: 200 });
    await eventually(async () => (await pendingOutbox(h.database)) === 0, 10_000);
    const rows = await h.database.db.selectFrom('outbox').select(['chat_id', 'possibly_sent', 'status']).orderBy('id').execute();
    expect(rows.map((row) => [row.possibly_sent, row.status])).toEqual([
      [true, 'sent'],
      [false, 'sent'],
      [false, 'sent'],
    ]);
    expect(h.fake.card('T1')?.card).toMatchObject({ main_title: { title: '（重发）故障报修 GZ1' } });
    expect(botSaid(h.fake, 'wrgroup-desk')).toEqual(['进度通知', '下一条']);
  });
});

describe('a send whose answer was lost', () => {
  it('is sent again marked （重发） when the connection dropped while WeCom had it', async () => {
    h = await harness({ pushRequiresActivation: false });
    open.push(h);
    const bot = h.startBot();
    await eventually(() => bot.transport.isConnected());
    // WeCom takes the push but its answer never leaves: the connection drops with the push unanswered.
    h.fake.faults.dropAcks = true;
    await h.database.db.transaction().execute((tx) =>
      enqueue(tx, h.clock, BOT.botId, { channel: 'push', chatId: 'wrgroup-desk', body: markdown('停电通知 TD1') }),
    );
    await eventually(() => botSaid(h.fake, 'wrgroup-desk').length === 1);
    h.fake.faults.dropAcks = false;
    h.fake.faults.dropConnections({ withoutCloseFrame: true });

    await h.pump(async () => (await pendingOutbox(h.database)) === 0, { stepMs: 2000 });
    expect(botSaid(h.fake, 'wrgroup-desk')).toEqual(['停电通知 TD1', '（重发）停电通知 TD1']);
    const [row] = await h.database.db.selectFrom('outbox').select(['possibly_sent', 'status', 'attempts']).execute();
    expect(row).toEqual({ possibly_sent: true, status: 'sent', attempts: 2 });
  });

  it('is a card WeCom already shows when its resend is refused for the task_id: recorded sent, the desk not alarmed', async () => {
    h = await harness({ pushRequiresActivation: false });
    open.push(h);
    const bot = h.startBot(undefined, { deskChatId: async () => 'wrgroup-desk' });
    await eventually(() => bot.transport.isConnected());
    h.fake.faults.dropAcks = true;
    const crewCard = card({ card_type: 'button_interaction', task_id: 'T7', main_title: { title: '故障报修 GZ7' }, button_list: [{ text: '接单', key: 'accept', style: 1 }] });
    await h.database.db.transaction().execute((tx) => enqueue(tx, h.clock, BOT.botId, { channel: 'push', chatId: 'wrgroup-crew', body: crewCard }));
    await eventually(() => h.fake.card('T7'));
    h.fake.faults.dropAcks = false;
    h.fake.faults.dropConnections({ withoutCloseFrame: true });

    await h.pump(async () => (await pendingOutbox(h.database)) === 0, { stepMs: 2000 });
    const rows = await h.database.db.selectFrom('outbox').select(['chat_id', 'status', 'attempts', 'last_errcode']).execute();
    expect(rows).toEqual([{ chat_id: 'wrgroup-crew', status: 'sent', attempts: 2, last_errcode: 40058 }]);
    expect(h.fake.card('T7')?.card).toMatchObject({ main_title: { title: '故障报修 GZ7' } });
    expect(botSaid(h.fake, 'wrgroup-desk')).toEqual([]);
  });

  it('is known not to have arrived when the connection was refused (a group robot post to a closed port)', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const error: unknown = await sendWebhook(closed, 'robot', { msgtype: 'text', text: { content: '停电通知' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WecomTransportError);
    expect((error as WecomTransportError).mayHaveArrived).toBe(false);
  });
});
