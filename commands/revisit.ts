import { z } from 'zod';
import { defineCommand, field } from '../src/chat/define';
import { stepReply } from '../src/chat/format';
import { ticketNamed } from '../src/chat/ticket-named';
import { revisit } from '../src/domain/tickets/flow';

export default defineCommand({
  name: '回访',
  aliases: ['revisit', 'hf'],
  section: '客服班',
  summary: '记录回访结果：满意、基本满意或不满意',
  schema: z.object({
    no: field.ticketNo(),
    satisfaction: field.choice('满意度', { 满意: 'satisfied', 非常满意: 'satisfied', 基本满意: 'fair', 一般: 'fair', 不满意: 'dissatisfied' }),
    note: field.rest('备注').optional(),
  }),
  usage: '/回访 单号 满意|基本满意|不满意 [备注]',
  example: '/回访 GZ20261124-0007 满意 抢修及时',
  handle: async (ctx, { no, satisfaction, note }) =>
    await stepReply(ctx, await revisit(ctx, await ticketNamed(ctx, no, 'revisit'), satisfaction, note)),
});
