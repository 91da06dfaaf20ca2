import { z } from 'zod';
import { defineCommand, field } from '../src/chat/define';
import { helpList, helpOne, unknownCommand } from '../src/chat/format';

export default defineCommand({
  name: '帮助',
  aliases: ['help', 'bz', '?'],
  section: '查看',
  summary: '列出全部指令；/帮助 报修 查看一条的用法',
  schema: z.object({ topic: field.rest('指令').optional() }),
  usage: '/帮助 [指令]',
  example: '/帮助 报修',
  handle: async (ctx, { topic }) => {
    if (!topic) return helpList(ctx.commands, ctx.org.rolesOf(ctx.actor.userId));
    const word = topic.replace(/^[/、]/, '');
    const found = ctx.commands.find(word);
    return found ? helpOne(found.command) : unknownCommand(word, ctx.commands.suggest(word));
  },
});
