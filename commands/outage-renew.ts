import { z } from 'zod';
import { defineCommand, field } from '../src/chat/define';
import { when } from '../src/chat/format';
import { renewOutage } from '../src/domain/outages';
import { HOUR_MS } from '../src/clock';

export default defineCommand({
  name: '停电续期',
  aliases: ['outage-renew'],
  section: '客服班',
  summary: '恢复时间待定的停电仍在持续：续期后继续向该范围的报修告知停电，不派工',
  roles: ['desk', 'crew'],
  schema: z.object({ no: field.ticketNo('停电编号', 'TD20261124-0001') }),
  usage: '/停电 续期 编号',
  example: '/停电 续期 TD20261124-0001',
  handle: async (ctx, { no }) => {
    const outage = await renewOutage(ctx, no);
    const until = new Date(ctx.now.getTime() + ctx.org.doc.routing.openOutageHours * HOUR_MS);
    return `已续期停电 ${outage.no}：${when(until, ctx.now)} 前该范围的报修继续告知客户此停电（险情照常派工）。恢复供电后请发送 \`/停电 恢复 ${outage.no}\`。`;
  },
});
