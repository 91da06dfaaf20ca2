import { z } from 'zod';
import { defineCommand, field } from '../src/chat/define';
import { stepReply } from '../src/chat/format';
import { ticketNamed } from '../src/chat/ticket-named';
import { replyOrAnswer } from '../src/domain/tickets/work-orders';

export default defineCommand({
  name: '答复',
  aliases: ['answer', 'reply', 'df'],
  section: '处理',
  summary: '部门答复处理结果和客户意见（协办部门答复协办部分）；客服班答复咨询、查询，审核通过后答复客户（办理时限到此为止）',
  schema: z.object({
    no: field.ticketNo(),
    acceptance: field.keyed('客户意见', ['客户', '认可', '客户认可']).optional(),
    text: field.rest('答复内容', ['内容', '答复', '处理结果']),
  }),
  usage: '/答复 单号 处理结果 [客户意见:认可]',
  example: '/答复 TS20261124-0002 已核实抄表差错并退还多收电费 客户意见:认可',
  handle: async (ctx, { no, text, acceptance }) =>
    await stepReply(ctx, await replyOrAnswer(ctx, await ticketNamed(ctx, no), text, acceptance)),
});
