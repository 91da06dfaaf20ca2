/**
 * The one working-day calendar behind every deadline: Chinese statutory holidays and their make-up workdays (调休)
 * from `chinese-days`, corrected by overrides the desk enters when a new year's schedule is published before the
 * package catches up.
 *
 * Everything is Asia/Shanghai. China has kept UTC+8 without daylight saving since 1991, so fixed-offset arithmetic
 * on epoch milliseconds is exact, and the host's time zone never enters: no local-time Date method is used here.
 */
// The package's functions read dates through the host's local time (a New York host sees 2026-10-01 as 09-30),
// so we use the data file it publishes instead.
import statutoryData from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import { DAY_MS, MINUTE_MS } from '../clock';

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
  source: 'override' | 'statutory' | 'weekend' | 'weekday';
  /** The holiday (春节, 国庆节, …) a statutory day off or make-up workday belongs to, or the override's note. */
  name?: string;
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

export class WorkCalendar {
  private overrides = new Map<string, CalendarOverride>();

  constructor(overrides: Iterable<CalendarOverride> = []) {
    this.setOverrides(overrides);
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
    const override = this.overrides.get(date);
    if (override) {
      const working = override.kind === 'workday';
      return { date, working, source: 'override', ...(override.note ? { name: override.note } : {}) };
    }
    const holiday = statutory.holidays[date];
    if (holiday) return { date, working: false, source: 'statutory', name: chineseName(holiday) };
    const makeUp = statutory.workdays[date];
    if (makeUp) return { date, working: true, source: 'statutory', name: chineseName(makeUp) };
    return isWeekend(day) ? { date, working: false, source: 'weekend' } : { date, working: true, source: 'weekday' };
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
    if (statutory.holidays[iso]) return false;
    if (statutory.workdays[iso]) return true;
    return !isWeekend(day);
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

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
