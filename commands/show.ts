import { defineCommand } from '../src/chat/define';
import { ticketDetail } from '../src/chat/format';
import { ticketOnly } from '../src/chat/forms';
import { ticketNamed } from '../src/chat/ticket-named';
import { runningClocks } from '../src/domain/sla';
import { ticketEvents } from '../src/domain/tickets/store';
import { forChat, partsOf } from '../src/domain/tickets/work-orders';

export default defineCommand({
  name: '查单',
  aliases: ['ticket', 'show', 'cd'],
  section: '查看',
  summary: '查看一张工单的状态和进程',
  schema: ticketOnly,
  usage: '/查单 单号',
  example: '/查单 GZ20261124-0007',
  handle: async (ctx, { no }) => {
    const ticket = await ticketNamed(ctx, no);
    const visible = forChat(ctx.org, ticket, ctx.chat.chatId);
    return ticketDetail(ctx.org, visible, await ticketEvents(ctx.tx, ticket.id), await runningClocks(ctx.tx, ctx.deps.calendar, ticket.id, ctx.now), ctx.now, ctx.deps.calendar, await partsOf(ctx, ticket.id));
  },
});
