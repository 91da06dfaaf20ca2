import { z } from 'zod';
import { defineCommand } from '../src/chat/define';
import { ticketList } from '../src/chat/format';
import { deskQueue, openTicketsOf } from '../src/domain/tickets/store';

export default defineCommand({
  name: '我的工单',
  aliases: ['mine', 'my', 'wd'],
  section: '查看',
  summary: '本单位待办的工单；客服班另看待派工、待审核、待答复的',
  schema: z.object({}),
  usage: '/我的工单',
  example: '/我的工单',
  handle: async (ctx) => {
    const units = ctx.org.unitsOf(ctx.actor.userId);
    const lists: string[] = [];
    const owned = units.filter((u) => u.type !== 'desk');
    if (owned.length || !units.length) {
      const title = owned.length ? `**${owned.map((u) => u.name).join('、')}待办**` : '**本单位待办**';
      const empty = units.length ? '暂无待办工单。' : '您不在组织机构名单中，请联系客服班维护。';
      lists.push(ticketList(ctx.org, title, await openTicketsOf(ctx.tx, owned.map((u) => u.id)), empty));
    }
    if (units.some((u) => u.type === 'desk')) {
      lists.push(ticketList(ctx.org, `**${ctx.org.desk.name}待办**`, await deskQueue(ctx.tx), '暂无待派工、待审核或待答复的工单。'));
    }
    return lists.join('\n\n');
  },
});
