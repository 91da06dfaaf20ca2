import statutoryData from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import { describe, expect, it } from 'vitest';
import { WorkCalendar, fromShanghai, shanghaiDate } from '../../src/calendar/calendar';
import { parseHolidayNotice } from '../../src/calendar/notice';
import { provisionalHolidays } from '../../src/calendar/provisional';

describe('provisional days off, from the lunar calendar and the fixed holidays', () => {
  const bridges: Record<number, string[]> = { 2025: [], 2026: ['2026-01-02'] };
  for (const year of [2025, 2026]) {
    it(`${year}: every provisional day off was a published day off, and only weekends and bridges are missing`, () => {
      const days = new Set(provisionalHolidays(year).map((day) => day.date));
      expect([...days].filter((date) => !(date in statutoryData.holidays))).toEqual([]);
      const missing = Object.keys(statutoryData.holidays).filter((date) => date.startsWith(`${year}-`) && !days.has(date));
      const weekend = (date: string) => [0, 6].includes(new Date(`${date}T00:00:00Z`).getUTCDay());
      expect(missing.filter((date) => !weekend(date))).toEqual(bridges[year]);
    });
  }

  it('2027: 春节 from 除夕 5 February to 初七 12 February, 清明 on Monday 5 April, 端午 9 June, 中秋 15 September', () => {
    const days = new Map(provisionalHolidays(2027).map((day) => [day.date, day.name]));
    expect([...days].filter(([, name]) => name === '春节').map(([date]) => date)).toEqual([
      '2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08', '2027-02-09', '2027-02-10', '2027-02-11', '2027-02-12',
    ]);
    expect(days.get('2027-04-05')).toBe('清明节');
    expect(days.get('2027-06-09')).toBe('端午节');
    expect(days.get('2027-09-15')).toBe('中秋节');
    expect(days.get('2027-10-07')).toBe('国庆节');
  });
});

describe('a year without a confirmed schedule', () => {
  const calendar = new WorkCalendar();

  it('2027 is unconfirmed, never ordinary: its days say 待确认 and its 春节 is off', () => {
    expect(calendar.isConfirmedYear(2026)).toBe(true);
    expect(calendar.isConfirmedYear(2027)).toBe(false);
    expect(calendar.dayInfo('2027-01-01')).toEqual({ date: '2027-01-01', working: false, source: 'provisional', name: '元旦', provisional: true });
    expect(calendar.dayInfo('2027-02-08')).toMatchObject({ working: false, name: '春节', provisional: true });
    expect(calendar.dayInfo('2027-01-04')).toEqual({ date: '2027-01-04', working: true, source: 'weekday', provisional: true });
    expect(calendar.isProvisional(fromShanghai('2027-01-04', '09:00'))).toBe(true);
    expect(calendar.isProvisional(fromShanghai('2026-12-31', '23:59'))).toBe(false);
  });

  it('5 working days from Thursday 31 December 2026 skip 元旦 (provisional)', () => {
    expect(shanghaiDate(calendar.addWorkingDays(fromShanghai('2026-12-31', '10:00'), 5))).toBe('2027-01-08');
  });

  it('a confirmed notice takes the year over: its make-up days count and the year is confirmed', () => {
    const text = `国务院办公厅关于2027年部分节假日安排的通知
      一、元旦：1月1日（周五）至3日（周日）放假，共3天。
      二、春节：2月5日（农历除夕、周五）至13日（农历正月初八、周六）放假调休，共9天。2月20日（周六）上班。`;
    const confirmed = new WorkCalendar([], [parseHolidayNotice(text)]);
    expect(confirmed.isConfirmedYear(2027)).toBe(true);
    expect(confirmed.dayInfo('2027-02-20')).toEqual({ date: '2027-02-20', working: true, source: 'notice', name: '春节' });
    expect(confirmed.dayInfo('2027-02-13')).toMatchObject({ working: false, source: 'notice' });
    // Only what the notice names is off: 国庆节 of a confirmed year is not guessed.
    expect(confirmed.dayInfo('2027-10-04')).toEqual({ date: '2027-10-04', working: true, source: 'weekday' });
  });
});
