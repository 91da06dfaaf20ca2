import { defineCommand } from '../src/chat/define';
import { stepReply } from '../src/chat/format';
import { ticketOnly } from '../src/chat/forms';
import { ticketNamed } from '../src/chat/ticket-named';
import { powerOn } from '../src/domain/connections';

export default defineCommand({
  name: '送电',
  aliases: ['装表送电', 'power-on'],
  section: '处理',
  summary: '业扩报装：已装表送电，报装办结（与卡片上的按钮相同）',
  schema: ticketOnly,
  usage: '/送电 单号',
  example: '/送电 YK20261124-0001',
  handle: async (ctx, { no }) => await stepReply(ctx, await powerOn(ctx, await ticketNamed(ctx, no, 'power_on'))),
});
