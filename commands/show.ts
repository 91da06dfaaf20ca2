import { defineCommand } from '../src/chat/define';
import { ticketDetail } from '../src/chat/format';
import { ticketOnly } from '../src/chat/forms';
import { ticketNamed } from '../src/chat/ticket-named';
import { runningClocks } from '../src/domain/sla';
import { ticketEvents } from '../src/domain/tickets/store';
import { photosOf } from '../src/domain/tickets/photos';
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
    const detail = ticketDetail(ctx.org, visible, await ticketEvents(ctx.tx, ticket.id), await runningClocks(ctx.tx, ctx.deps.calendar, ticket.id, ctx.now), ctx.now, ctx.deps.calendar, await partsOf(ctx, ticket.id));
    const photos = await photosOf(ctx.tx, ticket.id);
    // The pictures themselves are on the console's ticket page (chat messages of the bot cannot carry them inline).
    return photos.length ? `${detail}\n现场照片：${photos.length} 张，在控制台打开工单 ${ticket.no} 查看（/console#/ticket/${ticket.no}）` : detail;
  },
});
