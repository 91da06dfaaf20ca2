import { z } from 'zod';
import { defineCommand, field } from '../src/chat/define';
import { outagesAnswer, questionOpened } from '../src/chat/format';
import { OUTAGE_TOPIC, openQuestion } from '../src/domain/tickets/open';

export default defineCommand({
  name: '查询',
  aliases: ['query', 'cx'],
  section: '受理',
  summary: '查询停电信息、电量电费、缴费、报装进度；停电信息立即答复',
  schema: z.object({
    topic: field.choice('查询类别', { 停电: OUTAGE_TOPIC, 停电信息: OUTAGE_TOPIC, 电费: '电费', 电量: '电量', 缴费: '缴费', 报装: '报装' }),
    area: field.area().optional(),
    question: field.rest('内容').optional(),
    reporter: field.name('客户').optional(),
    phone: field.phone().optional(),
  }),
  usage: '/查询 停电|电费|电量|缴费|报装 [区域] [内容] [姓名] [电话]',
  example: '/查询 停电 城关镇',
  handle: async (ctx, { topic, question, ...rest }) => {
    const opened = await openQuestion(ctx, { kind: 'query', topic, question: question ?? `查询${topic}`, ...rest });
    return opened.outages ? outagesAnswer(opened.ticket, opened.outages, ctx.now) : questionOpened(ctx.org, opened.ticket);
  },
});
