import { defineCommand } from '../src/chat/define';
import { stepReply } from '../src/chat/format';
import { stepForm } from '../src/chat/forms';
import { ticketNamed } from '../src/chat/ticket-named';
import { replyAsHandler } from '../src/domain/tickets/work-orders';

export default defineCommand({
  name: '完成',
  aliases: ['complete', 'done', 'wc', '办结'],
  section: '处理',
  summary: '报告处理结果（抢修完成；工单、协办部分答复），提交客服班审核',
  schema: stepForm('结果', ['处理结果', '办理结果']),
  usage: '/完成 单号 结果',
  example: '/完成 GZ20261124-0007 更换熔断器，11:20 恢复供电',
  handle: async (ctx, { no, text }) => await stepReply(ctx, await replyAsHandler(ctx, await ticketNamed(ctx, no, 'complete'), text)),
});
