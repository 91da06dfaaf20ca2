import { WorkCalendar, shanghaiDate } from '../calendar/calendar';
import { NoticeError, parseHolidayNotice, type NoticeItem } from '../calendar/notice';
import {
  findNotice,
  listOverrides,
  listSchedules,
  loadCalendar,
  saveNotice,
  saveNoticeDraft,
  takeNoticeDraft,
} from '../calendar/store';
import type { Executor } from '../db/database';
import { withTransaction } from '../db/transaction';
import { recordChange } from './audit';
import { DomainError } from './errors';
import type { ClockDeps } from './sla/clocks';
import { recomputeWorkingDayClocks } from './sla/recompute';

/**
 * The yearly holiday notice, from pasted text to the calendar every deadline uses: the text is read and kept as a
 * draft the person sees item by item; a second step confirms it, which stores the year's schedule with its audit
 * entry, moves every running working-day deadline onto it, and tells every process.
 */
export interface NoticeDeps {
  /** The database, or the transaction of the chat command that confirms. */
  db: Executor;
  calendar: WorkCalendar;
  config: ClockDeps['config'];
}

export interface NoticePreview {
  year: number;
  items: NoticeItem[];
  /** The year already had a confirmed notice (confirming this one replaces it). */
  replaces: boolean;
}

/** Reads a pasted notice and keeps it for confirmation; refuses text that does not read cleanly, saying why. */
export async function draftHolidayNotice(deps: NoticeDeps, input: { text: string; by: string; at: Date }): Promise<NoticePreview> {
  let parsed;
  try {
    parsed = parseHolidayNotice(input.text);
  } catch (error) {
    if (error instanceof NoticeError) throw new DomainError('notice_unreadable', `通知没有读懂：${error.message}`);
    throw error;
  }
  await saveNoticeDraft(deps.db, parsed, input.text, input.by, input.at);
  return { year: parsed.year, items: parsed.items, replaces: (await findNotice(deps.db, parsed.year)) !== undefined };
}

export interface ConfirmedNotice {
  year: number;
  holidays: number;
  workdays: number;
  /** Running deadlines moved by the confirmed dates. */
  moved: number;
}

/**
 * Confirms the year's draft: of two confirmations only the first does anything. Every process, this one included,
 * reloads its calendar when the change commits (calendar/watch.ts); one that owns the transaction reloads at once too.
 */
export async function confirmHolidayNotice(deps: NoticeDeps, input: { year: number; by: string; at: Date }): Promise<ConfirmedNotice> {
  const result = await withTransaction(deps.db, async (tx) => {
    const draft = await takeNoticeDraft(tx, input.year);
    if (!draft) {
      const done = await findNotice(tx, input.year);
      throw done
        ? new DomainError('already_done', `${input.year} 年节假日安排已于 ${shanghaiDate(done.at)} 确认，没有待确认的新通知`)
        : new DomainError('notice_missing', `没有待确认的 ${input.year} 年节假日通知：请先粘贴通知全文`);
    }
    const before = await findNotice(tx, input.year);
    const confirmed = { ...draft, by: input.by, at: input.at };
    await saveNotice(tx, confirmed);
    await recordChange(tx, {
      subject: 'calendar',
      actor: input.by,
      at: input.at,
      before: before ? { notice: scheduleOf(before) } : null,
      after: { notice: scheduleOf(confirmed) },
    });
    // The deadlines move in this transaction, on the calendar as it will be once it commits.
    const next = new WorkCalendar(await listOverrides(tx), await listSchedules(tx));
    const moved = await recomputeWorkingDayClocks(tx, { config: deps.config, calendar: next });
    return { year: input.year, holidays: draft.holidays.length, workdays: draft.workdays.length, moved };
  });
  if (!deps.db.isTransaction) await loadCalendar(deps.db, deps.calendar);
  return result;
}

function scheduleOf(notice: { year: number; holidays: unknown; workdays: unknown; text: string }) {
  return { year: notice.year, holidays: notice.holidays, workdays: notice.workdays, text: notice.text };
}
