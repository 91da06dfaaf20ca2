import { z } from 'zod';
import { defineCommand, field } from '../src/chat/define';
import { repairDispatched, repairKnownFault, repairKnownOutage } from '../src/chat/format';
import { openRepair } from '../src/domain/tickets/open';

export default defineCommand({
  name: '报修',
  aliases: ['repair', 'bx', '故障报修', '故障'],
  section: '受理',
  summary: '故障报修：已知停电或同一故障直接告知客户，否则派工给抢修单位',
  schema: z.object({
    area: field.area(),
    address: field.text('地址', ['详细地址', 'address', 'addr']),
    landmark: field.landmark().optional(),
    description: field.rest('情况', ['故障情况', '描述', 'desc']),
    reporter: field.name('报修人').optional(),
    phone: field.phone(),
    voltageKv: field.voltage().optional(),
    line: field.keyed('线路', ['line']).optional(),
  }),
  usage: '/报修 区域 地址 [地标] 情况 [姓名] 电话',
  example: '/报修 城关镇 人民路12号 农贸市场对面 变压器冒烟 张三 13800000000',
  handle: async (ctx, report) => {
    const outcome = await openRepair(ctx, report);
    if (outcome.kind === 'known_outage') return repairKnownOutage(outcome.ticket, outcome.outage, ctx.now);
    if (outcome.kind === 'known_repair') return repairKnownFault(ctx.org, outcome.ticket, outcome.parent, ctx.now);
    return repairDispatched(ctx.org, outcome.ticket, outcome.route.rule, ctx.now, outcome.hazard);
  },
});
