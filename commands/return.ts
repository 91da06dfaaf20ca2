import { defineCommand } from '../src/chat/define';
import { stepReply } from '../src/chat/format';
import { stepForm } from '../src/chat/forms';
import { ticketNamed } from '../src/chat/ticket-named';
import { returnToDesk } from '../src/domain/tickets/flow';

export default defineCommand({
  name: '退回',
  aliases: ['return', 'th'],
  section: '处理',
  summary: '退回客服班（不属于本单位管辖），须写明原因',
  schema: stepForm('原因', ['退回原因']),
  usage: '/退回 单号 原因',
  example: '/退回 GZ20261124-0007 该线路属修试所管辖',
  handle: async (ctx, { no, text }) => await stepReply(ctx, await returnToDesk(ctx, await ticketNamed(ctx, no, 'return'), text)),
});
