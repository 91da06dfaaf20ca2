import { z } from 'zod';
import { defineCommand, field } from '../src/chat/define';
import { learnedReply } from '../src/chat/inquiries';
import { ticketNamed } from '../src/chat/ticket-named';
import { learn } from '../src/domain/tickets/inquiry';

export default defineCommand({
  name: '入库',
  aliases: ['learn', 'rk'],
  section: '客服班',
  summary: '把已答复的咨询存入知识库：写条目编号则作为该条目的相似问法，否则以问题和答复新建条目',
  schema: z.object({ no: field.ticketNo(), entry: field.text('条目编号', ['条目', 'entry'], 64).optional() }),
  usage: '/入库 单号 [条目编号]',
  example: '/入库 ZX20261124-0001 faq-001',
  roles: ['desk'],
  handle: async (ctx, { no, entry }) => {
    const ticket = await ticketNamed(ctx, no);
    return learnedReply(ticket, await learn(ctx, ticket, entry));
  },
});
