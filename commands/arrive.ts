import { defineCommand } from '../src/chat/define';
import { stepReply } from '../src/chat/format';
import { ticketOnly } from '../src/chat/forms';
import { ticketNamed } from '../src/chat/ticket-named';
import { arrive } from '../src/domain/tickets/flow';

export default defineCommand({
  name: '到达',
  aliases: ['arrive', 'dd'],
  section: '处理',
  summary: '到达现场：与卡片上的「到达」按钮相同',
  schema: ticketOnly,
  usage: '/到达 单号',
  example: '/到达 GZ20261124-0007',
  handle: async (ctx, { no }) => await stepReply(ctx, await arrive(ctx, await ticketNamed(ctx, no, 'arrive'))),
});
