import { z } from 'zod';
import { defineCommand, field } from '../src/chat/define';
import { outageEnded } from '../src/chat/format';
import { powerBack } from '../src/domain/tickets/flow';

export default defineCommand({
  name: '停电恢复',
  aliases: ['恢复供电', 'outage-end'],
  section: '客服班',
  summary: '停电提前结束、已恢复供电：通知发布时的各群，并提示告知关联报修的客户（到预计恢复时间会自动结束）',
  roles: ['desk', 'crew'],
  schema: z.object({ no: field.ticketNo('停电编号', 'TD20261124-0001') }),
  usage: '/停电 恢复 编号',
  example: '/停电 恢复 TD20261124-0001',
  handle: async (ctx, { no }) => outageEnded(await powerBack(ctx, no), ctx.now),
});
