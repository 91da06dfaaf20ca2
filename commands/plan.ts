import { z } from 'zod';
import { defineCommand, field } from '../src/chat/define';
import { stepReply } from '../src/chat/format';
import { ticketNamed } from '../src/chat/ticket-named';
import { answerPlan } from '../src/domain/connections';

export default defineCommand({
  name: '方案答复',
  aliases: ['答复方案', '供电方案', 'plan'],
  section: '处理',
  summary: '业扩报装：已向客户答复供电方案（与卡片上的按钮相同）',
  schema: z.object({ no: field.ticketNo(), plan: field.rest('方案要点', ['方案']).optional() }),
  usage: '/方案答复 单号 [方案要点]',
  example: '/方案答复 YK20261124-0001 10kV城北线T接，新装630kVA箱变',
  handle: async (ctx, { no, plan }) => await stepReply(ctx, await answerPlan(ctx, await ticketNamed(ctx, no, 'answer_plan'), plan)),
});
