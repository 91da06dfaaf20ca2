import { afterEach, describe, expect, it } from 'vitest';
import { card, markdown } from '../../src/protocol/outbound';
import { enqueue } from '../../src/wecom/outbox';
import { BOT, botSaid, eventually, harness, pendingOutbox, type Harness } from '../wecom/harness';

/**
 * A send in flight when its holder vanished cannot be known to have arrived: the next holder sends it again, and a
 * card or push then says （重发）, so a crew does not take it for new work. Rows not in flight go once, unmarked.
 */
let h: Harness;
afterEach(() => h.close());

describe('a recovered in-flight send', () => {
  it('is sent again marked （重发）; the rest of the queue is sent once, unmarked', async () => {
    h = await harness({ pushRequiresActivation: false });
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
