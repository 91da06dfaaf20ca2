import { z } from 'zod';
import { defineCommand, field } from '../src/chat/define';
import { connectionOpened } from '../src/chat/format';
import { openConnection } from '../src/domain/tickets/open';

export default defineCommand({
  name: '报装',
  aliases: ['业扩报装', '业扩', 'connection', 'yk'],
  section: '受理',
  summary: '业扩报装：居民、非居民（低压、高压单电源、高压双电源），督办供电方案答复和送电时限',
  schema: z.object({
    customer: field.choice('客户类别', { 居民: 'residential', 非居民: 'non_residential' }).optional(),
    supply: field
      .choice('供电类别', { 低压: 'low_voltage', 高压单电源: 'hv_single', 单电源: 'hv_single', 高压双电源: 'hv_dual', 双电源: 'hv_dual' })
      .optional(),
    area: field.area().optional(),
    address: field.text('地址', ['用电地址', '详细地址']),
    description: field.rest('用电需求', ['需求', '容量', '内容']).optional(),
    applicant: field.name('申请人').optional(),
    phone: field.phone(),
  }),
  usage: '/报装 居民|非居民 [低压|高压单电源|高压双电源] [区域] 地址 [用电需求] [申请人] 电话',
  example: '/报装 非居民 高压单电源 城关镇 工业园3号 新建厂房 630kVA 赵六 13600000000',
  handle: async (ctx, application) => {
    const opened = await openConnection(ctx, application);
    return connectionOpened(ctx.org, opened.ticket, opened.route.rule, opened.planDueAt, ctx.now);
  },
});
