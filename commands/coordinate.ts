import { z } from 'zod';
import { defineCommand, field } from '../src/chat/define';
import { stepReply } from '../src/chat/format';
import { ticketNamed } from '../src/chat/ticket-named';
import { coordinate } from '../src/domain/tickets/work-orders';

export default defineCommand({
  name: '协办',
  aliases: ['coordinate', 'xb'],
  section: '处理',
  summary: '分管领导协调：指定牵头部门和协办部门，各协办部门分别答复，牵头部门汇总答复',
  schema: z.object({
    no: field.ticketNo(),
    lead: field.text('牵头部门', ['牵头']),
    helpers: field.rest('协办部门', ['协办']),
  }),
  usage: '/协办 单号 牵头部门 协办部门…',
  example: '/协办 TS20261124-0003 市场营销部 生产技术部 调度中心',
  handle: async (ctx, { no, lead, helpers }) => await stepReply(ctx, await coordinate(ctx, await ticketNamed(ctx, no, 'coordinate'), lead, helpers.split(/[\s、,，]+/).filter(Boolean))),
});
