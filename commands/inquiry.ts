import { z } from 'zod';
import { defineCommand, field } from '../src/chat/define';
import { inquiryReply } from '../src/chat/inquiries';
import { openInquiry } from '../src/domain/tickets/inquiry';

export default defineCommand({
  name: '咨询',
  aliases: ['inquiry', 'ask', 'zx'],
  section: '受理',
  summary: '咨询（电力法规、用电业务）：知识库能答即答；不确定时列出候选，回复编号即答，回复「转人工」由客服班答复',
  schema: z.object({
    question: field.rest('问题', ['内容']),
    area: field.area().optional(),
    reporter: field.name('客户').optional(),
    phone: field.phone().optional(),
  }),
  usage: '/咨询 问题 [区域] [姓名] [电话]，列出候选后 @我 回复 1/2/3 或 转人工',
  example: '/咨询 居民阶梯电价怎么计算 孙七 13500000000',
  handle: async (ctx, inquiry) => inquiryReply(ctx.org, await openInquiry(ctx, inquiry)),
});
