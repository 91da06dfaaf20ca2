import { z } from 'zod';
import { defineCommand, field } from '../src/chat/define';
import { stepReply } from '../src/chat/format';
import { ticketNamed } from '../src/chat/ticket-named';
import { reportOnSite } from '../src/domain/tickets/flow';

export default defineCommand({
  name: '现场',
  aliases: ['onsite', 'xc'],
  section: '处理',
  summary: '报告现场情况；「片区停电 范围:街道、村或台区」或「线路:…」登记故障停电；「已报市公司」记录向市公司报告；「需停电10kV」通知调度',
  schema: z.object({
    no: field.ticketNo(),
    situation: field.rest('情况', ['现场情况']),
    areaWide: field.flag('片区停电', ['片区停电', '大面积停电', '整片停电', '全村停电']),
    places: field.keyed('停电范围', ['范围', '停电范围', '台区'], 200).optional(),
    line: field.keyed('停电线路', ['线路']).optional(),
    cityReported: field.flag('已报市公司', ['已报市公司', '已报告市公司', '已报市中心']),
    powerCutKv: field.voltage('停电电压', /(?:需|要)停电\s*(\d+(?:\.\d+)?)\s*(?:kv|千伏)/i).optional(),
    restoreAt: field.time('预计恢复', ['恢复', '预计']).optional(),
  }),
  usage: '/现场 单号 情况 [片区停电 范围:街道、村或台区 | 线路:线路名] [已报市公司] [需停电10kV] [预计恢复:16:00]',
  example: '/现场 GZ20261124-0007 跌落式熔断器烧毁 片区停电 范围:人民路、建设街 已报市公司 需停电10kV 预计恢复:14:00',
  handle: async (ctx, { no, ...report }) => {
    const reported = await reportOnSite(ctx, await ticketNamed(ctx, no, 'report'), report);
    return `已记录现场情况${report.cityReported ? '及向市公司的报告' : ''}。${await stepReply(ctx, reported.ticket, { onsiteReported: true })}${reported.outageNo ? `\n已登记故障停电 ${reported.outageNo}，后续停电范围内的报修将直接告知客户。` : ''}`;
  },
});
