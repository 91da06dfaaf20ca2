import { z } from 'zod';
import { MINUTE_MS, type Clock } from '../clock';
import { shanghaiDate, shanghaiTime, type WorkCalendar } from '../domain/calendar';

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
  /** 工作日, or the holiday's name / 周末. */
  day: string;
  /** How far the sandbox has been moved ahead of the real time, in minutes. */
  advancedMinutes: number;
}

const WEEKDAYS = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];

export class SandboxClock {
  private advancedMs = 0;

  constructor(
    private readonly clock: Clock,
    private readonly calendar: WorkCalendar,
  ) {}

  advance(step: AdvanceStep): ClockView {
    const now = this.clock.now();
    const target = step === '30m' ? new Date(now.getTime() + 30 * MINUTE_MS) : this.calendar.addWorkingDays(now, 1);
    const ms = target.getTime() - now.getTime();
    this.advancedMs += ms;
    this.clock.advance(ms);
    return this.view();
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
      day: info.working ? (info.name ? `工作日（${info.name}调休）` : '工作日') : (info.name ?? '休息日'),
      advancedMinutes: Math.round(this.advancedMs / MINUTE_MS),
    };
  }
}
