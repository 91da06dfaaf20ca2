import { z } from 'zod';
import { defineCommand, field } from '../src/chat/define';
import { pageOf, ticketList, workList } from '../src/chat/format';
import { deskQueue, workListOf } from '../src/domain/tickets/store';

export default defineCommand({
  name: '我的工单',
  aliases: ['mine', 'my', 'wd'],
  section: '查看',
  summary: '本单位待办的工单和协办部分及其时限；客服班另看待派工、待审核、待答复客户、待跟进的；加「超时」只看超时的',
  schema: z.object({ only: field.choice('筛选', { 超时: 'overdue' }).optional(), page: field.page().optional() }),
  usage: '/我的工单 [超时] [第N页]',
  example: '/我的工单 超时 第2页',
  handle: async (ctx, { only, page = 1 }) => {
    const filter = { overdueOnly: only === 'overdue' };
    const suffix = only === 'overdue' ? '（超时）' : '';
    const units = ctx.org.unitsOf(ctx.actor.userId);
    const lists: string[] = [];
    let pages = 1;
    const owned = units.filter((u) => u.type !== 'desk');
    if (owned.length || !units.length) {
      const title = owned.length ? `**${owned.map((u) => u.name).join('、')}待办${suffix}**` : `**本单位待办${suffix}**`;
      const empty = units.length ? `暂无待办${suffix}工单。` : '您不在组织机构名单中，请联系客服班维护。';
      const items = await workListOf(ctx.tx, owned.map((u) => u.id), ctx.now, filter);
      pages = Math.max(pages, pageOf(items, page).pages);
      lists.push(workList(ctx.org, title, items, empty, ctx.now, page));
    }
    if (units.some((u) => u.type === 'desk')) {
      const empty = only === 'overdue' ? '暂无超时工单。' : '暂无待派工、待审核或待答复的工单。';
      const queue = await deskQueue(ctx.tx, filter);
      pages = Math.max(pages, pageOf(queue, page).pages);
      lists.push(ticketList(ctx.org, `**${ctx.org.desk.name}待办${suffix}**`, queue, empty, page));
    }
    // Long lists go a page at a time, so no reply nears WeCom's 20,480 bytes; the last line says how to go on.
    if (page < pages) lists.push(`共 ${pages} 页，下一页请发送 \`/我的工单${only === 'overdue' ? ' 超时' : ''} 第${page + 1}页\``);
    return lists.join('\n\n');
  },
});
