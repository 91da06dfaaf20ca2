import { defineCommand } from '../src/chat/define';
import { workOrderOpened } from '../src/chat/format';
import { feedbackForm } from '../src/chat/forms';
import { openFeedback } from '../src/domain/tickets/open';

export default defineCommand({
  name: '建议',
  aliases: ['suggestion', 'suggest', 'jy'],
  section: '受理',
  summary: '建议：交办相关部门，未指明的交市场营销部',
  schema: feedbackForm('optional'),
  usage: '/建议 对象 内容 [类别:营销] [姓名] [电话]',
  example: '/建议 营业厅 周末增加缴费窗口 王五 13700000000',
  handle: async (ctx, report) => {
    const { ticket, route } = await openFeedback(ctx, { kind: 'suggestion', ...report });
    return workOrderOpened(ctx.org, ticket, route.rule);
  },
});
