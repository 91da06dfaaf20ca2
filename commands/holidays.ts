import { z } from 'zod';
import { noticeConfirmedReply, noticePreviewReply } from '../src/chat/calendar-notices';
import { defineCommand, field } from '../src/chat/define';
import { sessionActor } from '../src/domain/audit';
import { confirmHolidayNotice, draftHolidayNotice } from '../src/domain/calendar-notices';
import { DomainError } from '../src/domain/errors';

/**
 * The yearly holiday notice from the chat: the pasted text is read and shown item by item; `/节假日 确认 2027` makes it
 * the year's calendar. The desk only: every deadline of the year depends on it.
 */
export default defineCommand({
  name: '节假日',
  aliases: ['holidays', 'jjr'],
  section: '客服班',
  summary: '录入国务院办公厅节假日安排通知：先粘贴全文核对，再确认生效',
  schema: z.object({
    confirm: field.word('确认', ['确认']),
    text: field.rest('通知全文', ['通知'], 20_000),
  }),
  usage: '/节假日 通知全文 · /节假日 确认 年份',
  example: '/节假日 国务院办公厅关于2027年部分节假日安排的通知 …… 一、元旦：……',
  roles: ['desk'],
  handle: async (ctx, { confirm, text }) => {
    const deps = { db: ctx.tx, calendar: ctx.deps.calendar, config: ctx.deps.config };
    const by = sessionActor(ctx);
    if (!confirm) return noticePreviewReply(await draftHolidayNotice(deps, { text, by, at: ctx.now }));
    const year = /^\d{4}$/.exec(text.trim());
    if (!year) throw new DomainError('invalid_year', '请写明要确认的年份，例如 `/节假日 确认 2027`');
    return noticeConfirmedReply(await confirmHolidayNotice(deps, { year: Number(year[0]), by, at: ctx.now }));
  },
});
