import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ticket } from '../../src/domain/tickets/session';
import { CHAT, Desk, numberIn } from './desk';

/**
 * Staff type fast, on phones, with Chinese input methods. Whatever they send, they get either the right ticket or a
 * polite Chinese answer saying what to fix, and the database gets a whole ticket or nothing.
 */
let desk: Desk;
beforeAll(async () => (desk = await Desk.open()));
afterAll(() => desk.close());

const REPAIR_USAGE = /用法：`\/报修 区域 地址 \[地标\] 情况 \[姓名\] 电话`/;

interface Case {
  what: string;
  text: string;
  by?: string;
  /** A ticket is opened with these fields. */
  ticket?: Partial<Ticket>;
  /** No ticket; the reply says this. */
  reply?: RegExp;
}

const cases: Case[] = [
  { what: 'an empty message', text: '', reply: /请用指令告诉我要办的事/ },
  { what: 'only a slash', text: '/', reply: /95598 客服机器人指令/ },
  { what: 'only a full-width slash', text: '／', reply: /95598 客服机器人指令/ },
  { what: 'a command with nothing after it', text: '/报修', reply: /缺少「区域」（可选：城关镇[^）]*）；缺少「地址」；缺少「情况」；缺少「电话」/ },
  {
    what: 'a 5,000-character description',
    text: `/报修 城关镇 人民路12号 ${'冒烟'.repeat(2500)} 13800000000`,
    reply: /情况最多 500 字/,
  },
  {
    what: 'emoji in the description',
    text: '/报修 城关镇 人民路12号 🔥变压器冒烟🔥 13800000000',
    ticket: { kind: 'repair', description: '🔥变压器冒烟🔥', owner_unit_id: 'khzx' },
  },
  { what: 'a phone number too short', text: '/报修 城关镇 人民路12号 变压器冒烟 1380000', reply: /电话号码不正确/ },
  { what: 'a phone number with letters', text: '/报修 城关镇 人民路12号 变压器冒烟 138abc00000', reply: /缺少「电话」/ },
  { what: 'an area outside the company', text: '/报修 火星镇 人民路12号 变压器冒烟 13800000000', reply: /区域「火星镇」不在本公司供区。可选：城关镇、青龙街道/ },
  { what: 'no area at all', text: '/报修 人民路12号 变压器冒烟 13800000000', reply: /缺少「区域」/ },
  {
    what: 'full-width everything',
    text: '／报修　城关镇　人民路１２号　农贸市场对面　变压器冒烟　张三　１３８００００００００',
    ticket: { address: '人民路12号', landmark: '农贸市场对面', reporter_name: '张三', phone: '13800000000' },
  },
  { what: 'the English alias', text: '/repair 城关镇 人民路12号 变压器冒烟 13800000000', ticket: { kind: 'repair', area: '城关镇' } },
  { what: 'the English alias in capitals', text: '/REPAIR 青龙街道 滨江路3号 路灯线冒火花 13800000000', ticket: { area: '青龙街道' } },
  { what: 'a mention before the slash', text: '@95598客服 /报修 城关镇 人民路12号 变压器冒烟 13800000000', ticket: { kind: 'repair' } },
  { what: 'two mentions and a full-width slash', text: '@95598客服 @王芳 ／报修 城关镇 人民路12号 变压器冒烟 13800000000', ticket: { kind: 'repair' } },
  { what: 'the slash of a Chinese input method', text: '、报修 城关镇 人民路12号 变压器冒烟 13800000000', ticket: { kind: 'repair' } },
  { what: 'no space after the command', text: '/报修城关镇 人民路12号 变压器冒烟 13800000000', ticket: { area: '城关镇', address: '人民路12号' } },
  {
    what: 'key:value in any order',
    text: '/报修 电话:13800000000 地址:人民路12号 区域:城关镇 情况:路灯不亮 地标:实验小学门口',
    ticket: { area: '城关镇', address: '人民路12号', description: '路灯不亮', landmark: '实验小学门口', phone: '13800000000' },
  },
  {
    what: 'full-width colons',
    text: '/报修 区域：城关镇 地址：人民路12号 情况：路灯不亮 电话：13800000000',
    ticket: { address: '人民路12号', description: '路灯不亮' },
  },
  { what: 'a name glued to the phone', text: '/报修 城关镇 人民路12号 变压器冒烟 张三13800000000', ticket: { reporter_name: '张三', phone: '13800000000' } },
  { what: 'a name after the phone', text: '/报修 城关镇 人民路12号 变压器冒烟 13800000000 欧阳明', ticket: { reporter_name: '欧阳明' } },
  { what: 'the phone first', text: '/报修 13800000000 城关镇 人民路12号 变压器冒烟', ticket: { area: '城关镇', address: '人民路12号', description: '变压器冒烟' } },
  { what: 'a +86 phone', text: '/报修 城关镇 人民路12号 变压器冒烟 +8613800000000', ticket: { phone: '13800000000' } },
  { what: 'a landline with area code', text: '/报修 南溪镇 场镇街5号 整条街停电 023-55112233', ticket: { phone: '023-55112233', owner_unit_id: 'nanxi' } },
  {
    what: 'a two-character description beside the phone is no name',
    text: '/报修 南溪镇 场镇街5号 停电 13800000000',
    ticket: { description: '停电', reporter_name: null },
  },
  { what: 'the area glued to the address', text: '/报修 城关镇人民路12号 变压器冒烟 13800000000', ticket: { area: '城关镇', address: '人民路12号' } },
  { what: 'an area alias', text: '/报修 城关 人民路12号 变压器冒烟 13800000000', ticket: { area: '城关镇' } },
  { what: 'a village in a remote corner', text: '/报修 大坪村 三组 变压器跳闸 13800000000', ticket: { area: '大坪村', area_class: 'remote', owner_unit_id: 'qingshui' } },
  { what: 'extra spaces everywhere', text: '  /报修    城关镇   人民路12号    变压器冒烟   13800000000  ', ticket: { description: '变压器冒烟' } },
  { what: 'Chinese commas between fields', text: '/报修 城关镇，人民路12号，变压器冒烟，13800000000', ticket: { address: '人民路12号' } },
  { what: 'one field per line', text: '/报修 城关镇\n人民路12号\n变压器冒烟\n13800000000', ticket: { address: '人民路12号' } },
  {
    what: 'something that looks like SQL',
    text: "/报修 城关镇 人民路12号 变压器冒烟';DROP-TABLE-tickets;-- 13800000000",
    // Stored as typed, punctuation and all: free text is never rewritten.
    ticket: { description: "变压器冒烟';DROP-TABLE-tickets;--" },
  },
  { what: 'a mistyped command', text: '/保修 城关镇 人民路12号', reply: /没有「\/保修」这条指令。您是不是要用：`\/报修`/ },
  { what: 'a mistyped English command', text: '/repiar 城关镇', reply: /您是不是要用：`\/报修`/ },
  { what: 'an emoji command', text: '/🔥', reply: /没有「\/🔥」这条指令/ },
  { what: 'plain text without a slash', text: '你好，城关镇停电了', reply: /请用指令告诉我要办的事/ },
  { what: 'a complaint without a phone', text: '/投诉 南溪供电所 态度差', reply: /缺少「电话」/ },
  { what: 'a ticket number that is no number', text: '/查单 GZ2026', reply: /单号不正确/ },
  { what: 'a ticket number that does not exist', text: '/查单 GZ20261124-9999', reply: /没有找到工单 GZ20261124-9999/ },
  { what: 'accepting without a number', text: '/接单', reply: /缺少「单号」/ },
  { what: 'a desk-only list asked by a crew member', text: '/待回访', by: 'zhangwei', reply: /仅限客户服务班使用/ },
  { what: 'help for one command', text: '/帮助 报修', reply: REPAIR_USAGE },
  { what: 'help for a command that does not exist', text: '/帮助 飞行', reply: /没有「\/飞行」这条指令/ },
];

describe('odd and bad inputs', () => {
  it.each(cases)('$what', async ({ text, by, ticket, reply }) => {
    const before = await desk.count('tickets');
    const answer = await desk.say(by ?? 'wangfang', CHAT.desk, text);
    expect(answer).not.toMatch(/Error|at .*\.ts|undefined|Invalid input|\[object/);
    expect(answer).toMatch(/[\u4e00-\u9fff]/);
    if (reply) {
      expect(answer).toMatch(reply);
      expect(await desk.count('tickets')).toBe(before);
    }
    if (ticket) {
      expect(await desk.count('tickets')).toBe(before + 1);
      expect(await desk.ticket(numberIn(answer))).toMatchObject(ticket);
    }
  });

  it('a usage reply shows the usage line and an example', async () => {
    const answer = await desk.say('wangfang', CHAT.desk, '/报修 城关镇 人民路12号');
    expect(answer).toMatch(REPAIR_USAGE);
    expect(answer).toMatch(/例如：`\/报修 城关镇 人民路12号 农贸市场对面 变压器冒烟 张三 13800000000`/);
  });

  it('a lowercase ticket number is found', async () => {
    const no = numberIn(await desk.say('wangfang', CHAT.desk, '/报修 城关镇 人民路12号 变压器冒烟 13800000000'));
    expect(await desk.say('wangfang', CHAT.desk, `/查单 ${no.toLowerCase()}`)).toContain(`**故障报修 ${no}**`);
  });
});
