import { z } from 'zod';
import { defineCommand, field } from '../src/chat/define';
import { stepReply } from '../src/chat/format';
import { ticketNamed } from '../src/chat/ticket-named';
import { redispatch } from '../src/domain/tickets/flow';

export default defineCommand({
  name: '转派',
  aliases: ['redispatch', 'zp'],
  section: '客服班',
  summary: '转派：被退回（或未接单）的工单改派给另一单位',
  schema: z.object({ no: field.ticketNo(), unit: field.text('单位').optional() }),
  usage: '/转派 单号 [单位]',
  example: '/转派 GZ20261124-0007 修试所',
  handle: async (ctx, { no, unit }) => await stepReply(ctx, await redispatch(ctx, await ticketNamed(ctx, no, 'dispatch'), unit)),
});
