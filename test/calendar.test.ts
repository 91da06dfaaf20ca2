import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WorkCalendar, fromShanghai, shanghaiDate, shanghaiTime } from '../src/calendar/calendar';

const at = (date: string, time: string) => fromShanghai(date, time);
const shown = (instant: Date) => `${shanghaiDate(instant)} ${shanghaiTime(instant)}`;
const hours = { start: '08:30', end: '17:30' };

describe('2026 statutory schedule', () => {
  const calendar = new WorkCalendar();

  it('Spring Festival: 15–23 February off, Saturdays 14 and 28 February worked', () => {
    for (const date of ['2026-02-15', '2026-02-16', '2026-02-18', '2026-02-20', '2026-02-23']) {
      expect(calendar.dayInfo(date)).toEqual({ date, working: false, source: 'statutory', name: '春节' });
    }
    expect(calendar.dayInfo('2026-02-14')).toMatchObject({ working: true, source: 'statutory', name: '春节' });
    expect(calendar.isWorkingDay('2026-02-28')).toBe(true);
    expect(calendar.dayInfo('2026-02-13')).toEqual({ date: '2026-02-13', working: true, source: 'weekday' });
    expect(calendar.dayInfo('2026-02-24')).toEqual({ date: '2026-02-24', working: true, source: 'weekday' });
  });

  it('National Day: 1–7 October off, Sunday 20 September and Saturday 10 October worked', () => {
    for (let d = 1; d <= 7; d++) {
      const date = `2026-10-0${d}`;
      expect(calendar.dayInfo(date)).toEqual({ date, working: false, source: 'statutory', name: '国庆节' });
    }
    expect(calendar.dayInfo('2026-09-20')).toMatchObject({ working: true, source: 'statutory', name: '国庆节' });
    expect(calendar.dayInfo('2026-10-10')).toMatchObject({ working: true, source: 'statutory', name: '国庆节' });
    expect(calendar.dayInfo('2026-09-25')).toMatchObject({ working: false, name: '中秋' });
    expect(calendar.dayInfo('2026-10-11')).toEqual({ date: '2026-10-11', working: false, source: 'weekend' });
  });

  it('reads a Date by its Shanghai day, not the host’s', () => {
    // 16:30 UTC on 30 September is already 1 October 00:30 in Shanghai.
    expect(calendar.isWorkingDay(new Date('2026-09-30T16:30:00Z'))).toBe(false);
    expect(calendar.isWorkingDay(new Date('2026-09-30T15:59:59Z'))).toBe(true);
  });
});

describe('working-day deadlines', () => {
  const calendar = new WorkCalendar();

  it('a complaint received Friday 17:00 before National Day 2024 is due 10 October at 17:00', () => {
    // Counted: Sun 29 Sep (make-up), Mon 30 Sep, Tue 8, Wed 9, Thu 10 October.
    expect(shown(calendar.addWorkingDays(at('2024-09-27', '17:00'), 5))).toBe('2024-10-10 17:00');
  });

  it('a complaint received Friday 17:00 before Spring Festival 2026 is due Friday 27 February at 17:00', () => {
    // Counted: Sat 14 Feb (make-up), then 24, 25, 26, 27 February.
    expect(shown(calendar.addWorkingDays(at('2026-02-13', '17:00'), 5))).toBe('2026-02-27 17:00');
  });

  it('across National Day 2026: Tuesday 29 September 17:00 plus 5 is Monday 12 October 17:00', () => {
    expect(shown(calendar.addWorkingDays(at('2026-09-29', '17:00'), 5))).toBe('2026-10-12 17:00');
  });

  it('a department return within 1 working day from 30 September runs over the holiday to 8 October', () => {
    expect(shown(calendar.addWorkingDays(at('2026-09-30', '16:00'), 1))).toBe('2026-10-08 16:00');
  });

  it('a plain weekend is skipped', () => {
    expect(shown(calendar.addWorkingDays(at('2026-03-06', '17:00'), 1))).toBe('2026-03-09 17:00');
    expect(shown(calendar.addWorkingDays(at('2026-03-06', '17:00'), 5))).toBe('2026-03-13 17:00');
  });

  it('something received on a day off counts from 00:00 of the next working day', () => {
    expect(shown(calendar.addWorkingDays(at('2026-03-07', '10:00'), 0))).toBe('2026-03-09 00:00');
    expect(shown(calendar.addWorkingDays(at('2026-03-07', '10:00'), 1))).toBe('2026-03-10 00:00');
    // A report received during National Day: 8, 9, 10, 12, 13 October are the five whole working days.
    expect(shown(calendar.addWorkingDays(at('2026-10-03', '11:00'), 5))).toBe('2026-10-14 00:00');
  });

  it('refuses a count that is not a non-negative integer', () => {
    const from = at('2026-03-06', '17:00');
    for (const n of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => calendar.addWorkingDays(from, n)).toThrow(RangeError);
    }
  });

  it('counts whole working days elapsed the same way, for reports', () => {
    const from = at('2026-09-29', '17:00');
    expect(calendar.workingDaysBetween(from, at('2026-10-12', '17:00'))).toBe(5);
    expect(calendar.workingDaysBetween(from, at('2026-10-12', '16:59'))).toBe(4);
    expect(calendar.workingDaysBetween(from, at('2026-10-07', '23:59'))).toBe(1);
    expect(calendar.workingDaysBetween(at('2026-10-12', '17:00'), from)).toBe(-5);
  });

  it('adds minutes on the wall clock, through days off', () => {
    expect(shown(calendar.addMinutes(at('2026-09-30', '23:30'), 45))).toBe('2026-10-01 00:15');
  });
});

describe('overrides', () => {
  it('a day forced off or on takes effect at once and is replaced by the next list', () => {
    const calendar = new WorkCalendar();
    const friday = at('2026-03-06', '17:00');
    expect(shown(calendar.addWorkingDays(friday, 1))).toBe('2026-03-09 17:00');

    calendar.setOverrides([{ date: '2026-03-09', kind: 'holiday', note: '抢修停工' }]);
    expect(calendar.dayInfo('2026-03-09')).toMatchObject({ working: false, source: 'override', name: '抢修停工' });
    expect(shown(calendar.addWorkingDays(friday, 1))).toBe('2026-03-10 17:00');

    calendar.setOverrides([{ date: '2026-03-07', kind: 'workday' }]);
    expect(calendar.dayInfo('2026-03-07')).toEqual({ date: '2026-03-07', working: true, source: 'override' });
    expect(calendar.isWorkingDay('2026-03-09')).toBe(true);
    expect(shown(calendar.addWorkingDays(friday, 1))).toBe('2026-03-07 17:00');

    calendar.setOverrides([]);
    expect(calendar.dayInfo('2026-03-07').source).toBe('weekend');
  });

  it('an override wins over the statutory schedule', () => {
    const calendar = new WorkCalendar([{ date: '2026-10-10', kind: 'holiday' }]);
    expect(calendar.isWorkingDay('2026-10-10')).toBe(false);
    expect(shown(calendar.addWorkingDays(at('2026-09-30', '09:00'), 3))).toBe('2026-10-12 09:00');
  });

  it('refuses a malformed date', () => {
    expect(() => new WorkCalendar([{ date: '2026-02-30', kind: 'holiday' }])).toThrow(RangeError);
    expect(() => new WorkCalendar().dayInfo('2026/10/01')).toThrow(RangeError);
  });
});

describe('working hours', () => {
  const calendar = new WorkCalendar();

  it('are 08:30 up to 17:30 on working days only', () => {
    expect(calendar.isWithinWorkingHours(at('2026-09-30', '08:30'), hours)).toBe(true);
    expect(calendar.isWithinWorkingHours(at('2026-09-30', '17:29'), hours)).toBe(true);
    expect(calendar.isWithinWorkingHours(at('2026-09-30', '17:30'), hours)).toBe(false);
    expect(calendar.isWithinWorkingHours(at('2026-02-14', '10:00'), hours)).toBe(true);
    expect(calendar.isWithinWorkingHours(at('2026-02-16', '10:00'), hours)).toBe(false);
  });

  it('the next working time is now, later today, or the next working morning', () => {
    const now = at('2026-09-30', '10:15');
    expect(calendar.nextWorkingTime(now, hours)).toEqual(now);
    expect(shown(calendar.nextWorkingTime(at('2026-09-30', '07:00'), hours))).toBe('2026-09-30 08:30');
    expect(shown(calendar.nextWorkingTime(at('2026-09-30', '18:00'), hours))).toBe('2026-10-08 08:30');
    expect(shown(calendar.nextWorkingTime(at('2026-10-03', '07:00'), hours))).toBe('2026-10-08 08:30');
  });

  it('refuses hours that do not make a daytime period', () => {
    const now = at('2026-09-30', '10:00');
    expect(() => calendar.isWithinWorkingHours(now, { start: '17:30', end: '08:30' })).toThrow(RangeError);
    expect(() => calendar.nextWorkingTime(now, { start: '8:30', end: '17:30' })).toThrow(RangeError);
  });
});

describe('Shanghai time', () => {
  it('converts between instants and Shanghai dates and times', () => {
    expect(fromShanghai('2026-10-01', '08:30').toISOString()).toBe('2026-10-01T00:30:00.000Z');
    expect(fromShanghai('2026-10-01').toISOString()).toBe('2026-09-30T16:00:00.000Z');
    expect(shanghaiDate(new Date('2026-09-30T16:00:00Z'))).toBe('2026-10-01');
    expect(shanghaiTime(new Date('2026-09-30T15:59:59Z'))).toBe('23:59');
    expect(() => fromShanghai('2026-10-01', '24:00')).toThrow(RangeError);
  });
});

describe('properties', () => {
  const calendar = new WorkCalendar();
  // The package's data starts in 2004; 2027 runs on provisional holidays until its notice is confirmed.
  const [min, max] = [new Date('2004-01-01T00:00Z'), new Date('2027-12-31T00:00Z')];
  const instants = fc.date({ min, max, noInvalidDate: true });
  const counts = fc.integer({ min: 0, max: 30 });

  it('a deadline of one or more working days falls on a working day, later for every extra day', () => {
    fc.assert(
      fc.property(instants, counts, (from, n) => {
        const due = calendar.addWorkingDays(from, n + 1);
        expect(calendar.isWorkingDay(due)).toBe(true);
        expect(due.getTime()).toBeGreaterThan(calendar.addWorkingDays(from, n).getTime());
        expect(due.getTime()).toBeGreaterThan(from.getTime());
      }),
    );
  });

  it('a later receipt never gets an earlier deadline', () => {
    fc.assert(
      fc.property(instants, instants, counts, (a, b, n) => {
        const [early, late] = a <= b ? [a, b] : [b, a];
        const [dueEarly, dueLate] = [calendar.addWorkingDays(early, n), calendar.addWorkingDays(late, n)];
        expect(dueEarly.getTime()).toBeLessThanOrEqual(dueLate.getTime());
      }),
    );
  });

  it('workingDaysBetween undoes addWorkingDays', () => {
    fc.assert(
      fc.property(instants, counts, (from, n) => {
        expect(calendar.workingDaysBetween(from, calendar.addWorkingDays(from, n))).toBe(n);
      }),
    );
  });
});
