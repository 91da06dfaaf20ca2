import { z } from 'zod';
import { defineCommand, field } from '../src/chat/define';
import { bindUnitChat } from '../src/domain/org/binding';
import { DomainError } from '../src/domain/errors';

export default defineCommand({
  name: '绑定',
  aliases: ['bind', 'bd'],
  section: '管理',
  summary: '把本群绑定为某个单位的工作群（单位负责人或客服班负责人在该群里发送）',
  schema: z.object({ unit: field.rest('单位名称', ['单位'], 40) }),
  usage: '/绑定 单位名称',
  example: '/绑定 江口供电所',
  handle: async (ctx, { unit }) => {
    if (ctx.chat.chatType !== 'group') throw new DomainError('not_a_group', '请在要绑定的单位群里 @机器人 发送 /绑定 单位名称。');
    const bound = await bindUnitChat(ctx.tx, ctx.deps.clock, ctx.org, unit, ctx.chat.chatId, { userId: ctx.actor.userId });
    if (bound.already) return `本群已是「${bound.unit.name}」的工作群，无需重复绑定。`;
    const waiting = bound.moved ? `此前未能送达的 ${bound.moved} 条消息现在发出。` : '';
    return `已将本群绑定为「${bound.unit.name}」的工作群：派工卡片、催办和通知今后发到本群。${waiting}`;
  },
});
