import { z } from 'zod';
import { defineCommand, field } from '../src/chat/define';
import { stepReply } from '../src/chat/format';
import { ANSWER_WORDS } from '../src/chat/forms';
import { ticketNamed } from '../src/chat/ticket-named';
import { answerCustomer } from '../src/domain/tickets/work-orders';

export default defineCommand({
  name: '回复客户',
  aliases: ['answer-customer', 'hfkh'],
  section: '客服班',
  summary: '审核通过后，按客户选择的方式答复客户（投诉 5 / 举报 10 个工作日的时限到此为止）',
  roles: ['desk'],
  schema: z.object({
    no: field.ticketNo(),
    method: field.choice('答复方式', ANSWER_WORDS),
    text: field.rest('答复内容', ['内容']),
  }),
  usage: '/回复客户 单号 电话|企业微信|信函 内容',
  example: '/回复客户 TS20261124-0002 电话 已退还多收电费，抄表员已当面致歉',
  handle: async (ctx, { no, method, text }) => await stepReply(ctx, await answerCustomer(ctx, await ticketNamed(ctx, no, 'answer'), text, method)),
});
