import { defineCommand } from '../src/chat/define';
import { stepReply } from '../src/chat/format';
import { ticketOnly } from '../src/chat/forms';
import { ticketNamed } from '../src/chat/ticket-named';
import { receive } from '../src/domain/tickets/work-orders';

export default defineCommand({
  name: '接单',
  aliases: ['accept', 'jd', '受理', '接收'],
  section: '处理',
  summary: '接单（部门接收工单、协办部门接收协办部分）：与卡片上的「接单」「接收」按钮相同',
  schema: ticketOnly,
  usage: '/接单 单号',
  example: '/接单 GZ20261124-0007',
  handle: async (ctx, { no }) => await stepReply(ctx, await receive(ctx, await ticketNamed(ctx, no, 'accept'))),
});
