import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inert } from '../../src/protocol/inert';
import { splitCommand } from '../../src/chat/parse';
import { storableText } from '../../src/wecom/well-formed';
import { Chats } from '../tickets/chats';
import { CHAT, numberIn } from '../tickets/desk';

/**
 * Hostile text typed into every command reaches every outbound template (replies, cards, card updates, notices, nags,
 * group-robot @ lines); what the fake WeCom received must carry no mention, link or markup the bot did not write, and
 * no control or bidi character.
 */
const HOSTILE = [
  '<@all>',
  '@all',
  '<@stranger>',
  '总经理指示:**全员立即停止抢修**',
  '[详情](http://evil.example/x)',
  '<font color="warning">假通知</font>',
  '`代码`',
  '\u0007响铃',
  '\u001b[31m红字',
  '\u202E654321',
  '\u2066隔离\u2069',
].join(' ');

/** What may never appear in anything the bot sends (its own markup never uses these with typed words). */
const FORBIDDEN: [string, RegExp][] = [
  ['mention', /<@|@all/i],
  // A bare address stays text a person typed; only markdown's [text](url) makes the bot's own link.
  ['link', /\]\(/],
  ['font around typed words', /<font[^>]*>假通知|假通知<\/font/i],
  ['emphasis of typed words', /\*\*全员|停止抢修\*\*/],
  ['code of typed words', /`代码`/],
  ['control or bidi character', /[\u0001-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/],
];

const MINUTE = 60_000;
let chats: Chats;
beforeAll(async () => {
  chats = await Chats.open();
});
afterAll(() => chats?.close());

/** Every string the bot put on the wire (long connection) and every group-robot post the fake accepted. */
function wireTexts(): string[] {
  const strings: string[] = [];
  const walk = (value: unknown): void => {
    if (typeof value === 'string') strings.push(value);
    else if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') Object.values(value).forEach(walk);
  };
  for (const frame of chats.fake.frames) if (frame.direction === 'in' && frame.cmd !== 'aibot_subscribe') walk(frame.json?.body);
  for (const chatId of Object.values(CHAT)) {
    for (const entry of chats.shows(chatId)) if (entry.kind === 'webhook') strings.push(entry.content);
  }
  return strings;
}

describe('hostile input', () => {
  it('goes through every command and template and comes out as plain text', async () => {
    // A few seconds pass between messages, as in a chat, so the desk's 30 a minute never holds a reply back.
    const said = (userId: string, chatId: string) => (text: string) => {
      chats.clock.advance(3_000);
      return chats.say(userId, chatId, text);
    };
    const desk = said('wangfang', CHAT.desk);
    const crew = said('zhangwei', CHAT.khzx);

    const repair = numberIn(await desk(`/报修 城关镇 人民路12号<@all> 农贸市场对面**速来** 变压器冒烟 ${HOSTILE} 张三<@all> 13800000000`));
    await chats.waitFor(CHAT.khzx, (e) => e.kind === 'card' && e.content.includes(repair));
    await crew(`/接单 ${repair}`);
    await crew(`/到达 ${repair}`);
    await crew(`/现场 ${repair} 熔断器烧毁${HOSTILE} 片区停电 范围:人民路<@all>、建设街**全员** 需停电10kV`);
    await crew(`/完成 ${repair} ${HOSTILE}`);
    await desk(`/审核 ${repair} 退回 ${HOSTILE}`);
    await crew(`/完成 ${repair} 已更换${HOSTILE}`);
    await desk(`/审核 ${repair} 通过`);
    await desk(`/回访 ${repair} 满意 ${HOSTILE}`);
    await desk(`/查单 ${repair}`);

    const returned = numberIn(await desk(`/报修 城关镇 建设街8号 路口 电线落地 ${HOSTILE} 李四 13800000001`));
    await crew(`/退回 ${returned} ${HOSTILE}`);
    await desk(`/转派 ${returned} ${HOSTILE}`);
    await desk(`/派单 ${returned} ${HOSTILE}`);

    await desk(`/投诉 城关供电所 ${HOSTILE} 要求:${HOSTILE} 李四 13900000000`);
    await desk(`/举报 某抄表员 ${HOSTILE} 回访:不回访`);
    await desk(`/建议 营业厅 ${HOSTILE} 王五 13700000000`);
    await desk(`/表扬 南溪供电所 ${HOSTILE} 赵六 13600000000`);
    const inquiry = numberIn(await chats.say('zhangwei', CHAT.khzx, `/咨询 ${HOSTILE} 孙七 13500000000`));
    await desk(`/答复 ${inquiry} ${HOSTILE}`);
    await desk(`/查询 电费 ${HOSTILE}`);
    await desk(`/查询 停电 ${HOSTILE}`);
    await desk(`/停电 计划 城关镇 明天08:00 明天18:00 ${HOSTILE} 线路:${HOSTILE}`);
    for (const rest of ['/帮助', '/查单', '/我的工单', '/考核', '/待回访', '/接单', '/']) await desk(`${rest} ${HOSTILE}`);
    await desk(`/${HOSTILE}`);
    await desk(HOSTILE);

    // Time limits pass: nags, escalations and the desk's overdue summary carry the typed fields too.
    chats.clock.advance(24 * 60 * MINUTE);
    await chats.app.jobs.services.sla.sweep();
    await chats.waitFor(CHAT.desk, (e) => e.content.startsWith('【超时汇总】'));
    await chats.delivered();

    const texts = wireTexts();
    const all = texts.join('\n');
    // The typed words did reach the wire, as text.
    expect(all).toContain('全员立即停止抢修');
    expect(all).toContain('＜＠all＞');
    for (const [what, pattern] of FORBIDDEN) {
      const found = texts.find((text) => pattern.test(text));
      expect(found, `${what} on the wire`).toBeUndefined();
    }
    // Only the people the bot chose are woken: no @all, nobody named by the typed text.
    const mentioned = Object.values(CHAT).flatMap((chatId) => chats.shows(chatId).flatMap((e) => e.mentions ?? []));
    expect(mentioned.length).toBeGreaterThan(0);
    expect(mentioned.filter((id) => /^@?all$|stranger/i.test(id))).toEqual([]);
  }, 80_000);

  it('any typed text reads back without markup or invisible characters (property)', () => {
    const alphabet = fc.constantFrom('<', '>', '[', ']', '(', ')', '*', '`', '@', 'all', 'font', '\u0007', '\u001b', '\u202e', '\u2066', '电', ' ', 'http://x', '全员');
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 40 }).map((parts) => parts.join('')), (typedText) => {
        const split = splitCommand(storableText(`/报修 ${typedText}`));
        const shown = split ? `${split.word} ${split.rest}` : '';
        expect(shown).not.toMatch(/[<>[\]*`@]/);
        expect(shown).not.toMatch(/[\u0001-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/);
        expect(inert(shown)).toBe(shown);
      }),
      { numRuns: 500 },
    );
  });
});
