import { z } from 'zod';
import { defineCommand, field } from '../src/chat/define';
import { stepReply } from '../src/chat/format';
import { ticketNamed } from '../src/chat/ticket-named';
import { redispatch } from '../src/domain/tickets/flow';

export default defineCommand({
  name: '派单',
  aliases: ['dispatch', 'pd'],
  section: '客服班',
  summary: '派工：已关联到停电或在修故障的报修，确属新故障时派出',
  schema: z.object({ no: field.ticketNo(), unit: field.text('单位').optional() }),
  usage: '/派单 单号 [单位]',
  example: '/派单 GZ20261124-0008',
  handle: async (ctx, { no, unit }) => await stepReply(ctx, await redispatch(ctx, await ticketNamed(ctx, no, 'dispatch'), unit)),
});
