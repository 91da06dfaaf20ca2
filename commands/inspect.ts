import { defineCommand } from '../src/chat/define';
import { stepReply } from '../src/chat/format';
import { ticketOnly } from '../src/chat/forms';
import { ticketNamed } from '../src/chat/ticket-named';
import { passInspection } from '../src/domain/connections';

export default defineCommand({
  name: '验收',
  aliases: ['验收合格', 'inspect'],
  section: '处理',
  summary: '业扩报装：受电工程验收合格，送电时限开始（与卡片上的按钮相同）',
  schema: ticketOnly,
  usage: '/验收 单号',
  example: '/验收 YK20261124-0001',
  handle: async (ctx, { no }) => await stepReply(ctx, await passInspection(ctx, await ticketNamed(ctx, no, 'inspect'))),
});
