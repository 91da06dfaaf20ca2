import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeWeCom } from '../../fake-wecom/index';
import { startTestApp, wecomEnv, type TestApp } from '../support/app';
import { CHAT } from '../tickets/desk';
import { BOT, botSaid, eventually } from './harness';

/**
 * A message with a NUL or a lone surrogate (a garbled paste, a broken input method) reaches the bot over the real long
 * connection: it is stored cleaned, handled like any message and answered, instead of failing its inbox insert silently.
 */
let fake: FakeWeCom;
let app: TestApp;
beforeAll(async () => {
  fake = await FakeWeCom.start({ bots: [BOT] });
  app = await startTestApp(wecomEnv(fake, BOT));
  await eventually(async () => (await fetch(`${app.url}/readyz`)).status === 200, 10_000);
});
afterAll(async () => {
  await app.stop();
  await fake.close();
});

/** Says `text` in the desk group and waits for the bot's answer matching `expected` (other pushes may come between). */
async function say(text: string, expected: RegExp): Promise<{ reply: string; frame: string }> {
  const before = botSaid(fake, CHAT.desk).length;
  const { msgId } = await fake.userSays({ chatId: CHAT.desk, userId: 'wangfang', text });
  const reply = await eventually(() => botSaid(fake, CHAT.desk).slice(before).find((said) => expected.test(said)), 10_000);
  const row = await app.database.db.selectFrom('inbox').select('frame').where('dedupe_key', '=', msgId).executeTakeFirstOrThrow();
  return { reply, frame: JSON.stringify(row.frame) };
}

async function ticketByAddress(address: string) {
  return app.database.db.selectFrom('tickets').selectAll().where('address', '=', address).executeTakeFirst();
}

describe('chat text PostgreSQL cannot store as sent', () => {
  it('a NUL in /报修 is dropped: the ticket is opened and the desk answered', async () => {
    const { reply, frame } = await say('/报修 城关镇 人民路12号 变压器\u0000冒烟 张三 13800000000', /已受理故障报修/);
    expect(reply).toContain('人民路12号：变压器冒烟');
    expect(frame).not.toContain('\\u0000');
    expect(await ticketByAddress('人民路12号')).toMatchObject({ kind: 'repair', description: '变压器冒烟' });
  });

  it('a lone surrogate becomes U+FFFD: the ticket is opened and the desk answered', async () => {
    const { reply, frame } = await say('/报修 城关镇 人民路14号 变压器\uD83D冒烟 李四 13800000001', /已受理故障报修/);
    expect(reply).toContain('人民路14号：变压器\uFFFD冒烟');
    expect(frame).toContain('变压器\uFFFD冒烟');
    expect(await ticketByAddress('人民路14号')).toMatchObject({ kind: 'repair', description: '变压器\uFFFD冒烟' });
  });

  it('a message that is nothing but NUL still gets a polite answer', async () => {
    const { frame } = await say('/\u0000', /95598 客服机器人指令/);
    expect(frame).not.toContain('\\u0000');
  });
});
