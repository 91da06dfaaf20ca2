import { defineCommand } from '../src/chat/define';
import { stepReply } from '../src/chat/format';
import { stepForm } from '../src/chat/forms';
import { answer } from '../src/domain/tickets/flow';
import { findTicket } from '../src/domain/tickets/store';

export default defineCommand({
  name: '答复',
  aliases: ['回复客户', 'answer', 'reply', 'df'],
  section: '客服班',
  summary: '答复咨询、查询；投诉、举报等审核通过后答复客户（办理时限到此为止）',
  schema: stepForm('答复内容', ['内容', '答复']),
  usage: '/答复 单号 内容（也可 /回复客户 单号 内容）',
  example: '/答复 ZX20261124-0001 居民阶梯电价按年度用电量分三档计价，详见营业厅公示',
  handle: async (ctx, { no, text }) => stepReply(ctx.org, await answer(ctx, await findTicket(ctx.tx, no), text), ctx.now),
});
