/**
 * The one working-day calendar behind every deadline: Chinese statutory holidays and their make-up workdays (调休)
 * from `chinese-days`, or for a year it does not know from the State Council's notice the desk confirmed, corrected by
 * overrides the desk enters. A year with neither is *unconfirmed*: its days off are provisional (provisional.ts) and
 * every deadline falling in it says so.
 *
 * Everything is Asia/Shanghai. China has kept UTC+8 without daylight saving since 1991, so fixed-offset arithmetic
 * on epoch milliseconds is exact, and the host's time zone never enters: no local-time Date method is used here.
 */
// The package's functions read dates through the host's local time (a New York host sees 2026-10-01 as 09-30),
// so we use the data file it publishes instead.
import statutoryData from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import { DAY_MS, MINUTE_MS } from '../clock';
import { provisionalHolidays, type HolidayDay } from './provisional';

export type DayKind = 'workday' | 'holiday';

export interface CalendarOverride {
  /** YYYY-MM-DD, Shanghai. */
  date: string;
  kind: DayKind;
  note?: string;
}

export interface DayInfo {
  date: string;
  working: boolean;
  /** statutory: the package's data; notice: a confirmed notice; provisional: a likely day off of an unconfirmed year. */
  source: 'override' | 'statutory' | 'notice' | 'provisional' | 'weekend' | 'weekday';
  /** The holiday (春节, 国庆节, …) a statutory day off or make-up workday belongs to, or the override's note. */
  name?: string;
  /** The day's year has no confirmed holiday schedule yet (待确认). */
  provisional?: true;
}

/** A year's schedule as the State Council's notice gives it: every day off and every make-up working day. */
export interface YearSchedule {
  year: number;
  holidays: HolidayDay[];
  workdays: HolidayDay[];
}

/** Shanghai wall-clock times, 'HH:mm'; start inclusive, end exclusive, both on the same day. */
export interface WorkingHours {
  start: string;
  end: string;
}

const SHANGHAI_OFFSET_MS = 8 * 60 * MINUTE_MS;

/** Values look like "National Day,国庆节,3": English name, Chinese name, ordinal. */
const statutory: { holidays: Readonly<Record<string, string>>; workdays: Readonly<Record<string, string>> } =
  statutoryData;

/** The years the package holds a schedule for. */
const STATUTORY_YEARS = new Set(Object.keys(statutory.holidays).map(yearOf));

interface DaysOff {
  holidays: Map<string, string>;
  workdays: Map<string, string>;
}

export class WorkCalendar {
  private overrides = new Map<string, CalendarOverride>();
  private notices = new Map<number, DaysOff>();
  private readonly provisional = new Map<number, DaysOff>();

  constructor(overrides: Iterable<CalendarOverride> = [], schedules: Iterable<YearSchedule> = []) {
    this.setOverrides(overrides);
    this.setSchedules(schedules);
  }

  /** Replaces every confirmed notice; a notice's year takes its days from it rather than from the package. */
  setSchedules(schedules: Iterable<YearSchedule>): void {
    const next = new Map<number, DaysOff>();
    for (const schedule of schedules) next.set(schedule.year, daysOff(schedule.holidays, schedule.workdays));
    this.notices = next;
  }

  /** Whether the year's holidays and make-up days are known: from the package or from a confirmed notice. */
  isConfirmedYear(year: number): boolean {
    return this.notices.has(year) || STATUTORY_YEARS.has(year);
  }

  /**
   * The years the desk must hear are unconfirmed at `now`: the current one when it is, and from 1 November the next,
   * whose notice the State Council usually publishes in the autumn.
   */
  unconfirmedYears(now: Date): number[] {
    const today = shanghaiDate(now);
    const year = yearOf(today);
    const years = today.slice(5) >= '11-01' ? [year, year + 1] : [year];
    return years.filter((y) => !this.isConfirmedYear(y));
  }

  /** Whether a deadline at `at` rests on provisional dates: its day lies in an unconfirmed year (待确认). */
  isProvisional(at: Date): boolean {
    return !this.isConfirmedYear(yearOf(shanghaiDate(at)));
  }

  /** Replaces every override; later entries for the same date win. */
  setOverrides(overrides: Iterable<CalendarOverride>): void {
    const next = new Map<string, CalendarOverride>();
    for (const override of overrides) {
      dayNumberOf(override.date); // refuses a malformed date, which would otherwise silently never match
      next.set(override.date, override);
    }
    this.overrides = next;
  }

  isWorkingDay(at: Date | string): boolean {
    return this.isWorking(typeof at === 'string' ? dayNumberOf(at) : dayNumber(at));
  }

  dayInfo(date: string): DayInfo {
    const day = dayNumberOf(date);
    const flag = this.isConfirmedYear(yearOf(date)) ? {} : { provisional: true as const };
    const override = this.overrides.get(date);
    if (override) {
      const working = override.kind === 'workday';
      return { date, working, source: 'override', ...(override.note ? { name: override.note } : {}), ...flag };
    }
    const { source, days } = this.scheduleOf(yearOf(date));
    const holiday = days.holidays.get(date);
    if (holiday) return { date, working: false, source, name: holiday, ...flag };
    const makeUp = days.workdays.get(date);
    if (makeUp) return { date, working: true, source, name: makeUp, ...flag };
    return isWeekend(day) ? { date, working: false, source: 'weekend', ...flag } : { date, working: true, source: 'weekday', ...flag };
  }

  /**
   * The deadline n working days after `from`: the same Shanghai wall-clock time on the n-th working day after the
   * day of `from`. Something received on a day off counts as received at 00:00 of the next working day, so its
   * deadline is 00:00 of the n-th working day after that one (n = 0: that 00:00 itself).
   * One rule covers both cases, a deadline always falls on a working day (no reminder or overdue mark fires on a
   * day off), and each counted day is a whole working day, as "handled within 5 working days" intends.
   */
  addWorkingDays(from: Date, n: number): Date {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`working days must be a non-negative integer, got ${n}`);
    const start = this.clockStart(from);
    let day = start.day;
    for (let i = 0; i < n; i++) day = this.nextWorkingDay(day);
    return instant(day, start.msOfDay);
  }

  /** Plain wall-clock minutes: minute limits (dispatch in 5, arrive in 45) run through days off. */
  addMinutes(from: Date, minutes: number): Date {
    if (!Number.isFinite(minutes)) throw new RangeError(`minutes must be finite, got ${minutes}`);
    return new Date(epochMs(from) + minutes * MINUTE_MS);
  }

  /**
   * Whole working days elapsed from `from` to `to`: the largest n with addWorkingDays(from, n) ≤ to (0 if none), so
   * reports and deadlines agree. Negative when `to` is before `from`.
   */
  workingDaysBetween(from: Date, to: Date): number {
    if (epochMs(to) < epochMs(from)) return -this.workingDaysBetween(to, from);
    const start = this.clockStart(from);
    let day = start.day;
    let n = 0;
    for (;;) {
      day = this.nextWorkingDay(day);
      if (instant(day, start.msOfDay).getTime() > to.getTime()) return n;
      n++;
    }
  }

  isWithinWorkingHours(at: Date, hours: WorkingHours): boolean {
    const { start, end } = workingHoursMs(hours);
    const ms = msOfDay(at);
    return this.isWorking(dayNumber(at)) && ms >= start && ms < end;
  }

  /** `at` itself when within working hours, else the start of the next working period. */
  nextWorkingTime(at: Date, hours: WorkingHours): Date {
    const { start } = workingHoursMs(hours);
    if (this.isWithinWorkingHours(at, hours)) return new Date(at.getTime());
    const today = dayNumber(at);
    const day = this.isWorking(today) && msOfDay(at) < start ? today : this.nextWorkingDay(today);
    return instant(day, start);
  }

  private isWorking(day: number): boolean {
    const iso = dayString(day);
    const override = this.overrides.get(iso);
    if (override) return override.kind === 'workday';
    const { days } = this.scheduleOf(yearOf(iso));
    if (days.holidays.has(iso)) return false;
    if (days.workdays.has(iso)) return true;
    return !isWeekend(day);
  }

  /** Where a year's days off come from: its confirmed notice, the package, or else the provisional dates. */
  private scheduleOf(year: number): { source: 'notice' | 'statutory' | 'provisional'; days: DaysOff } {
    const notice = this.notices.get(year);
    if (notice) return { source: 'notice', days: notice };
    if (STATUTORY_YEARS.has(year)) return { source: 'statutory', days: STATUTORY };
    let days = this.provisional.get(year);
    if (!days) {
      days = daysOff(provisionalHolidays(year), []);
      this.provisional.set(year, days);
    }
    return { source: 'provisional', days };
  }

  private nextWorkingDay(day: number): number {
    let next = day + 1;
    while (!this.isWorking(next)) next++;
    return next;
  }

  /** Where counting starts: `from` itself on a working day, else 00:00 of the next working day. */
  private clockStart(from: Date): { day: number; msOfDay: number } {
    const day = dayNumber(from);
    return this.isWorking(day) ? { day, msOfDay: msOfDay(from) } : { day: this.nextWorkingDay(day), msOfDay: 0 };
  }
}

/** What the desk is told of an unconfirmed year, in the self-check and on the console: the figure, then what to do. */
export function unconfirmedYear(year: number): { title: string; advice: string } {
  return {
    title: `${year} 年节假日安排未确认`,
    advice:
      '：该年的截止时间暂按农历推算的法定假日计算（待确认，调休上班日未知），请管理员录入国务院办公厅通知（控制台“工作日历”，或发送 /节假日 通知全文）',
  };
}

/** YYYY-MM-DD in Asia/Shanghai. */
export function shanghaiDate(at: Date): string {
  return dayString(dayNumber(at));
}

/** HH:mm in Asia/Shanghai. */
export function shanghaiTime(at: Date): string {
  const minutes = Math.floor(msOfDay(at) / MINUTE_MS);
  return `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}

/** The instant of a Shanghai date and wall-clock time: fromShanghai('2026-10-01', '08:30') is 2026-10-01T00:30:00Z. */
export function fromShanghai(date: string, time = '00:00'): Date {
  return instant(dayNumberOf(date), timeMs(time));
}

// Days are counted as whole days since 1970-01-01 in Shanghai.

function epochMs(at: Date): number {
  const ms = at.getTime();
  if (Number.isNaN(ms)) throw new RangeError('invalid Date');
  return ms;
}

function dayNumber(at: Date): number {
  return Math.floor((epochMs(at) + SHANGHAI_OFFSET_MS) / DAY_MS);
}

function msOfDay(at: Date): number {
  return epochMs(at) + SHANGHAI_OFFSET_MS - dayNumber(at) * DAY_MS;
}

function instant(day: number, msOfDay: number): Date {
  return new Date(day * DAY_MS + msOfDay - SHANGHAI_OFFSET_MS);
}

function dayString(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

function dayNumberOf(date: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const day = match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) / DAY_MS : NaN;
  // Date.UTC rolls 02-30 over into March; the round trip catches it.
  if (Number.isNaN(day) || dayString(day) !== date) throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
  return day;
}

function timeMs(time: string): number {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(time);
  if (!match) throw new RangeError(`not an HH:mm time: ${time}`);
  return (Number(match[1]) * 60 + Number(match[2])) * MINUTE_MS;
}

function workingHoursMs(hours: WorkingHours): { start: number; end: number } {
  const start = timeMs(hours.start);
  const end = timeMs(hours.end);
  if (start >= end) throw new RangeError(`working hours must start before they end: ${hours.start}–${hours.end}`);
  return { start, end };
}

function isWeekend(day: number): boolean {
  // 1970-01-01 was a Thursday (4).
  const weekday = (((day + 4) % 7) + 7) % 7;
  return weekday === 0 || weekday === 6;
}

function chineseName(entry: string): string {
  return entry.split(',')[1] ?? entry;
}

function yearOf(date: string): number {
  return Number(date.slice(0, 4));
}

function daysOff(holidays: Iterable<HolidayDay>, workdays: Iterable<HolidayDay>): DaysOff {
  const map = (days: Iterable<HolidayDay>) => new Map([...days].map((day) => [day.date, day.name] as const));
  return { holidays: map(holidays), workdays: map(workdays) };
}

const STATUTORY: DaysOff = {
  holidays: new Map(Object.entries(statutory.holidays).map(([date, entry]) => [date, chineseName(entry)])),
  workdays: new Map(Object.entries(statutory.workdays).map(([date, entry]) => [date, chineseName(entry)])),
};

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
