import { z } from 'zod';
import { defineCommand, field } from '../src/chat/define';
import { stepReply } from '../src/chat/format';
import { ticketNamed } from '../src/chat/ticket-named';
import { reclassify } from '../src/domain/tickets/work-orders';

export default defineCommand({
  name: '改类',
  aliases: ['reclassify', 'gl'],
  section: '客服班',
  summary: '改变投诉、举报、建议、表扬的类型，按新类型重新交办',
  roles: ['desk'],
  schema: z.object({
    no: field.ticketNo(),
    kind: field.choice('类型', { 投诉: 'complaint', 举报: 'report', 建议: 'suggestion', 表扬: 'praise' }),
  }),
  usage: '/改类 单号 投诉|举报|建议|表扬',
  example: '/改类 TS20261124-0002 举报',
  handle: async (ctx, { no, kind }) => await stepReply(ctx, await reclassify(ctx, await ticketNamed(ctx, no, 'reclassify'), kind)),
});
