import { z } from 'zod';
import { defineCommand, field } from '../src/chat/define';
import { inquiryAnswer } from '../src/chat/format';
import { openQuestion } from '../src/domain/tickets/open';

export default defineCommand({
  name: '咨询',
  aliases: ['inquiry', 'ask', 'zx'],
  section: '受理',
  summary: '咨询（电力法规、用电业务）：知识库能答即答，否则客服班答复',
  schema: z.object({
    question: field.rest('问题', ['内容']),
    reporter: field.name('客户').optional(),
    phone: field.phone().optional(),
  }),
  usage: '/咨询 问题 [姓名] [电话]',
  example: '/咨询 居民阶梯电价怎么计算 孙七 13500000000',
  handle: async (ctx, question) => inquiryAnswer(ctx.org, await openQuestion(ctx, { kind: 'inquiry', ...question })),
});
