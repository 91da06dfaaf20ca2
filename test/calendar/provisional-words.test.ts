import { describe, expect, it } from 'vitest';
import { WorkCalendar, fromShanghai } from '../../src/calendar/calendar';
import { parseHolidayNotice } from '../../src/calendar/notice';
import { nagMessage, type NagItem } from '../../src/domain/sla/messages';

const complaint = (startedAt: Date, dueAt: Date): NagItem => ({
  step: 'warn',
  ticketNo: 'TS20270129-0001',
  policy: { sinceText: '首次交办', awaitedText: '答复客户', actionText: '抓紧办结', limitAmount: 5, limitUnit: 'working_days' },
  startedAt,
  dueAt,
  unitName: '市场营销部',
});

describe('a nag about a deadline on provisional dates', () => {
  const now = fromShanghai('2027-02-04', '09:00');

  it('says 待确认 while the year is unconfirmed', () => {
    const [text] = nagMessage(new WorkCalendar(), '市场营销部', [complaint(fromShanghai('2027-01-29', '10:00'), fromShanghai('2027-02-15', '10:00'))], now).texts;
    expect(text).toContain('（时限 5 个工作日，2月15日 10:00 到期（待确认），还剩');
  });

  it('no longer once the notice is confirmed', () => {
    const notice = parseHolidayNotice('国务院办公厅关于2027年部分节假日安排的通知 二、春节：2月5日（周五）至11日（周四）放假调休，共7天。');
    const [text] = nagMessage(new WorkCalendar([], [notice]), '市场营销部', [complaint(fromShanghai('2027-01-29', '10:00'), fromShanghai('2027-02-12', '10:00'))], now).texts;
    expect(text).toContain('（时限 5 个工作日，2月12日 10:00 到期，还剩');
  });

  it('a deadline in a confirmed year never does', () => {
    const [text] = nagMessage(new WorkCalendar(), '市场营销部', [complaint(fromShanghai('2026-12-01', '10:00'), fromShanghai('2026-12-08', '10:00'))], fromShanghai('2026-12-07', '09:00')).texts;
    expect(text).not.toContain('待确认');
  });
});
