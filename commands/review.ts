import { z } from 'zod';
import { defineCommand, field } from '../src/chat/define';
import { stepReply } from '../src/chat/format';
import { ticketNamed } from '../src/chat/ticket-named';
import { review } from '../src/domain/tickets/flow';

export default defineCommand({
  name: '审核',
  aliases: ['review', 'sh'],
  section: '客服班',
  summary: '审核处理结果：通过即归档，退回须写明原因',
  schema: z.object({
    no: field.ticketNo(),
    verdict: field.choice('审核结论', { 通过: 'pass', 同意: 'pass', 退回: 'reject', 不通过: 'reject', 驳回: 'reject' }),
    reason: field.rest('原因', ['退回原因', '意见']).optional(),
  }),
  usage: '/审核 单号 通过|退回 [原因]',
  example: '/审核 GZ20261124-0007 退回 未写明故障原因',
  handle: async (ctx, { no, verdict, reason }) =>
    await stepReply(ctx, await review(ctx, await ticketNamed(ctx, no, 'approve'), verdict, reason)),
});
