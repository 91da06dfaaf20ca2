import { defineCommand } from '../src/chat/define';
import { workOrderOpened } from '../src/chat/format';
import { feedbackForm } from '../src/chat/forms';
import { openFeedback } from '../src/domain/tickets/open';

export default defineCommand({
  name: '投诉',
  aliases: ['complaint', 'ts'],
  section: '受理',
  summary: '投诉：按类别交办职能部门或涉及单位，跨部门或无法界定的由分管营销的领导协调',
  schema: feedbackForm('required'),
  usage: '/投诉 对象 事由 [要求:…] [回访:电话] [类别:营销] [姓名] 电话',
  example: '/投诉 城关供电所 抄表员态度恶劣 要求:道歉 李四 13900000000',
  handle: async (ctx, report) => {
    const { ticket, route } = await openFeedback(ctx, { kind: 'complaint', ...report });
    return workOrderOpened(ctx.org, ticket, route.rule);
  },
});
