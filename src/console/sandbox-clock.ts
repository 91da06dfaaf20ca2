import { z } from 'zod';
import { DAY_MS, MINUTE_MS, type Clock } from '../clock';
import { fromShanghai, shanghaiDate, shanghaiTime, type WorkCalendar } from '../calendar/calendar';

/**
 * The sandbox's clock control: a person moves time forward so a nag, an escalation or a digest happens now
 * instead of in 45 minutes or tomorrow. Moving the one app clock is what makes the SLA timers react.
 */
export const advanceSchema = z.object({ step: z.enum(['30m', '1wd']) });
export type AdvanceStep = z.infer<typeof advanceSchema>['step'];

export interface ClockView {
  now: string;
  /** What the page shows, e.g. "2026-11-24 周二 10:00". */
  label: string;
  /** 工作日 (noting a make-up workday), or the holiday's name, or 休息日. */
  day: string;
  /** How far the sandbox has been moved ahead of the real time, in minutes. */
  advancedMinutes: number;
}

const WEEKDAYS = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];

export class SandboxClock {
  constructor(
    private readonly clock: Clock,
    private readonly calendar: WorkCalendar,
    /** The start of working hours, HH:MM: a working day skipped to is never entered before it. */
    private readonly workdayStart: string,
    /** How far it was moved ahead before this start (kept in the database). */
    private advancedMs = 0,
  ) {}

  get advanced(): number {
    return this.advancedMs;
  }

  advance(step: AdvanceStep): ClockView {
    const ms = step === '30m' ? 30 * MINUTE_MS : this.toNextWorkingDay();
    this.advancedMs += ms;
    this.clock.advance(ms);
    return this.view();
  }

  /**
   * To this time of day on the next working day, also from a weekend or holiday (where "1 working day" of a deadline
   * would land at midnight), but not before that day's working hours start: from 05:40 it lands at 08:30, when the
   * morning digest goes out, instead of at 05:40 with nothing to see. Shanghai keeps no daylight saving, so whole days
   * keep the wall-clock time.
   */
  private toNextWorkingDay(): number {
    const now = this.clock.nowMs();
    let days = 1;
    while (!this.calendar.isWorkingDay(new Date(now + days * DAY_MS))) days++;
    const sameTime = now + days * DAY_MS;
    const opening = fromShanghai(shanghaiDate(new Date(sameTime)), this.workdayStart).getTime();
    return Math.max(sameTime, opening) - now;
  }

  now(): Date {
    return this.clock.now();
  }

  view(): ClockView {
    const now = this.clock.now();
    const date = shanghaiDate(now);
    const info = this.calendar.dayInfo(date);
    const weekday = WEEKDAYS[new Date(`${date}T00:00:00Z`).getUTCDay()];
    return {
      now: now.toISOString(),
      label: `${date} ${weekday} ${shanghaiTime(now)}`,
      // A day of a year whose holidays are not confirmed says so: 2027-01-01 is 元旦（待确认）, never a plain 工作日.
      day: `${info.working ? (info.name ? `工作日（${info.name}调休）` : '工作日') : (info.name ?? '休息日')}${info.provisional ? '（待确认）' : ''}`,
      advancedMinutes: Math.round(this.advancedMs / MINUTE_MS),
    };
  }
}
