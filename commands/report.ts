import { defineCommand } from '../src/chat/define';
import { workOrderOpened } from '../src/chat/format';
import { feedbackForm } from '../src/chat/forms';
import { openFeedback } from '../src/domain/tickets/open';

export default defineCommand({
  name: '举报',
  aliases: ['report', 'jb'],
  section: '受理',
  summary: '举报（行业作风、违法违纪）：交办思想政治工作部，可匿名',
  schema: feedbackForm('optional'),
  usage: '/举报 对象 事由 [要求:…] [回访:电话|不回访] [姓名] [电话]',
  example: '/举报 某抄表员 收取好处费后少抄电量 回访:不回访',
  handle: async (ctx, report) => {
    const { ticket, route } = await openFeedback(ctx, { kind: 'report', ...report });
    return workOrderOpened(ctx.org, ticket, route.rule);
  },
});
