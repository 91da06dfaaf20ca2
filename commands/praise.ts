import { defineCommand } from '../src/chat/define';
import { workOrderOpened } from '../src/chat/format';
import { feedbackForm } from '../src/chat/forms';
import { openFeedback } from '../src/domain/tickets/open';

export default defineCommand({
  name: '表扬',
  aliases: ['praise', 'by'],
  section: '受理',
  summary: '表扬：转达被表扬的单位或部门',
  schema: feedbackForm('optional'),
  usage: '/表扬 对象 事由 [姓名] [电话]',
  example: '/表扬 南溪供电所 雨夜抢修两小时恢复供电 赵六 13600000000',
  handle: async (ctx, report) => {
    const { ticket, route } = await openFeedback(ctx, { kind: 'praise', ...report });
    return workOrderOpened(ctx.org, ticket, route.rule);
  },
});
