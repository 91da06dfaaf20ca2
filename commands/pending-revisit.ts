import { z } from 'zod';
import { defineCommand } from '../src/chat/define';
import { ticketList } from '../src/chat/format';
import { awaitingRevisit } from '../src/domain/tickets/store';

export default defineCommand({
  name: '待回访',
  aliases: ['revisits', 'dhf'],
  section: '客服班',
  summary: '列出已归档、尚未回访的工单',
  roles: ['desk'],
  schema: z.object({}),
  usage: '/待回访',
  example: '/待回访',
  handle: async (ctx) => ticketList(ctx.org, '**待回访工单**', await awaitingRevisit(ctx.tx), '没有待回访的工单。'),
});
