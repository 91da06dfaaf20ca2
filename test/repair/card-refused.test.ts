import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { eventually } from '../wecom/harness';
import { Chats } from '../tickets/chats';
import { CHAT, numberIn } from '../tickets/desk';

/**
 * Whether WeCom shows a pushed button card in a group is unconfirmed (docs/wecom-protocol.md "Replies, pushes and card
 * updates"). While it refuses the card, the crew is still woken by its group robot's line with the command, and the
 * work goes on by command.
 */
let chats: Chats;
beforeAll(async () => (chats = await Chats.open()), 60_000);
afterAll(() => chats.close());

it('a refused card push leaves the crew the group robot\'s @ line, and the command twins do the work', async () => {
  // The leaders' morning digest goes out at start (10:00 on a working day); the fault counts pushes after it.
  await chats.waitFor(CHAT.leaders, (e) => e.content.includes('每日简报'));
  // Every push fails: the card is refused, while the @ line goes by the crew's group robot.
  chats.fake.faults.pushError = { every: 1, errcode: 40008, errmsg: 'invalid message type' };
  const no = numberIn(await chats.say('wangfang', CHAT.desk, '/报修 城关镇 人民路20号 路灯杆漏电 13800000000'));
  const line = await chats.waitFor(CHAT.khzx, (e) => e.kind === 'webhook' && e.content.includes(no));
  expect(line.content).toContain(`/接单 ${no}`);
  expect(line.mentions).toEqual(['zhangwei', 'yangfan']);
  const refused = async () =>
    chats.app.ctx.db
      .selectFrom('outbox')
      .select(['last_errcode', 'status'])
      .where('chat_id', '=', CHAT.khzx)
      .where(sql<boolean>`body->>'msgtype' = 'template_card'`)
      .where('last_errcode', '=', 40008)
      .executeTakeFirst();
  await eventually(refused);
  expect(chats.shows(CHAT.khzx).some((e) => e.kind === 'card')).toBe(false);
  chats.fake.faults.pushError = undefined;

  expect(await chats.say('zhangwei', CHAT.khzx, `/接单 ${no}`)).toBe(`**${no}** 已接单。到达现场后请发送 \`/到达 ${no}\`。`);
});
