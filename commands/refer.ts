import { z } from 'zod';
import { defineCommand, field } from '../src/chat/define';
import { stepReply } from '../src/chat/format';
import { ticketNamed } from '../src/chat/ticket-named';
import { refer } from '../src/domain/tickets/inquiry';

export default defineCommand({
  name: '转专业',
  aliases: ['refer', 'specialist', 'zzy'],
  section: '客服班',
  summary: '把客服班答不了的咨询转给该专业、该供电区域的专业人员（三方通话），可设答复时限',
  schema: z.object({
    no: field.ticketNo(),
    topic: field.keyed('专业', ['类别'], 20).optional(),
    limit: field.rest('时限', ['期限'], 20).optional(),
  }),
  usage: '/转专业 单号 [时限：30分钟|2小时|1个工作日] [专业:电费]',
  example: '/转专业 ZX20261124-0001 2小时',
  roles: ['desk'],
  handle: async (ctx, { no, topic, limit }) =>
    await stepReply(ctx, await refer(ctx, await ticketNamed(ctx, no, 'refer'), { ...(topic ? { topic } : {}), ...(limit ? { limit } : {}) })),
});
