import { z } from 'zod';
import { defineCommand, field } from '../src/chat/define';
import { outageText } from '../src/chat/format';
import { noticeLeadTime, publishOutage, type OutageKind } from '../src/domain/outages';

const KIND_WORDS: Record<string, OutageKind> = {
  计划: 'planned',
  计划停电: 'planned',
  临时: 'temporary',
  临时停电: 'temporary',
  欠费: 'arrears',
  欠费停电: 'arrears',
  故障: 'fault',
  故障停电: 'fault',
  限电: 'rationing',
  拉闸限电: 'rationing',
  其他: 'other',
  其他原因: 'other',
};

export default defineCommand({
  name: '停电',
  aliases: ['outage', 'td'],
  section: '客服班',
  summary: '发布停电信息（计划、临时、欠费、故障、限电、其他）并通知客户中心、调度和抢修单位；/停电 恢复 编号 提前结束',
  roles: ['desk', 'crew'],
  schema: z.object({
    kind: field.choice('停电类型', KIND_WORDS, ['类型']),
    areas: field.text('区域', ['停电区域', '影响区域']),
    startsAt: field.time('开始时间', ['开始']),
    restoreAt: field.time('预计恢复', ['恢复', '恢复时间', '预计恢复时间']).optional(),
    cause: field.rest('原因', ['停电原因']),
    line: field.keyed('线路', ['停电线路']).optional(),
    places: field.keyed('范围', ['停电范围', '台区'], 200).optional(),
    voltageKv: field.voltage().optional(),
    keyCustomers: field.keyed('重点客户').optional(),
    remarks: field.keyed('备注').optional(),
    confirmed: field.word('确认', ['确认']),
  }),
  usage: '/停电 类型 区域[、区域] 时间 原因 [线路:…] [范围:街道、村、台区] [电压:10kV] [重点客户:…] [确认]；结束：/停电 恢复 编号；恢复时间待定的续期：/停电 续期 编号',
  example: '/停电 计划 城关镇、青龙街道 明天8点到18点 10kV城关线检修 线路:10kV城关线',
  handle: async (ctx, { areas, places, ...notice }) => {
    const named = (places ?? '').split(/[、,，;；\s]+/).filter(Boolean);
    const outage = await publishOutage(ctx, { ...notice, areas: areas.split(/[、/]/).filter(Boolean), ...(named.length ? { scope: { places: named } } : {}) });
    const { warning } = noticeLeadTime(outage);
    const open = outage.restore_at ? '' : `恢复时间待定：${ctx.org.doc.routing.openOutageHours} 小时后如仍停电请发送 \`/停电 续期 ${outage.no}\`，否则此后的报修照常派工。`;
    return `已发布：${outageText(outage, ctx.now)}${warning ?? ''}\n已通知客户中心、调度中心和所涉区域的抢修单位；${outage.scope === 'places' ? '所列范围' : '该区域'}此后的报修将直接告知客户，不再派工（漏电、冒烟等险情照常派工）。${open}`;
  },
});
