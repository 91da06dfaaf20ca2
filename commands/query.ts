import { z } from 'zod';
import { defineCommand, field } from '../src/chat/define';
import { marketingAnswer, outagesAnswer, questionOpened } from '../src/chat/format';
import { OUTAGE_TOPIC, openQuestion } from '../src/domain/tickets/open';

export default defineCommand({
  name: '查询',
  aliases: ['query', 'cx'],
  section: '受理',
  summary: '查询停电信息、电量电费、缴费、报装进度：停电信息立即答复，其余按户号向营销系统查询',
  schema: z.object({
    topic: field.choice('查询类别', {
      停电: OUTAGE_TOPIC,
      停电信息: OUTAGE_TOPIC,
      电费: '电费',
      电量: '电量',
      缴费: '缴费',
      报装: '报装进度',
      报装进度: '报装进度',
    }),
    account: field.account().optional(),
    area: field.area().optional(),
    question: field.rest('内容').optional(),
    reporter: field.name('客户').optional(),
    phone: field.phone().optional(),
  }),
  usage: '/查询 停电|电费|电量|缴费|报装进度 [户号或区域] [内容] [姓名] [电话]',
  example: '/查询 电费 0100012345',
  handle: async (ctx, { topic, question, ...rest }) => {
    const asked = question ?? `查询${topic}${rest.account ? ` 户号 ${rest.account}` : ''}`;
    const opened = await openQuestion(ctx, { kind: 'query', topic, question: asked, ...rest });
    if (opened.outages) return outagesAnswer(opened.ticket, opened.outages, ctx.now);
    if (opened.marketing) return marketingAnswer(ctx.org, opened.ticket, opened.marketing);
    return questionOpened(ctx.org, opened.ticket);
  },
});
