import type { Config } from '../../config';
import { fromShanghai, shanghaiDate, type WorkCalendar, type WorkingHours } from '../../calendar/calendar';
import { DAY_MS } from '../../clock';
import type { NAG_STEPS } from '../regulation';

/**
 * The arithmetic of a time limit: when the awaited event is due and when each step (warn, breach, escalations) fires.
 * Pure functions of the calendar, so the policy table, the clocks and the tests all agree.
 */
export type LimitUnit = 'minutes' | 'working_days';
/** A step of a limit's nags (a ticket's step through its states is tickets/machine.ts `Step`). */
export type NagStep = (typeof NAG_STEPS)[number];
export const ESCALATION_STEPS = ['unit_leader', 'company_leader'] as const satisfies readonly NagStep[];

export interface Timing {
  limitAmount: number;
  limitUnit: LimitUnit;
  warnFraction: number | null;
  escalateEvery: number | null;
}

export interface Schedule {
  dueAt: Date;
  steps: { step: NagStep; fireAt: Date }[];
}


/**
 * `amount` of a limit's unit after `from`. Minutes run on the wall clock (a repair is chased at night too); working days
 * count whole working days on the calendar, and a fraction of one (a warning at 0.8 of 1 day) adds that share of 24 hours.
 */
export function after(calendar: WorkCalendar, unit: LimitUnit, from: Date, amount: number): Date {
  if (unit === 'minutes') return calendar.addMinutes(from, amount);
  const whole = Math.floor(amount);
  return new Date(calendar.addWorkingDays(from, whole).getTime() + (amount - whole) * DAY_MS);
}

/** Working hours, and the time of day a working-day limit's warning goes out on the working day before its deadline. */
export interface ClockHours extends WorkingHours {
  warnAt: string;
}

/**
 * Everything a clock started at `start` will do. Steps of working-day limits wait for working hours (nobody is chased
 * about a 5-day complaint at 3 a.m.), and their warning comes at `warnAt` of the working day before the deadline, when
 * there is still a day to act (a fraction of the limit would land on the due morning); a warning that would not fire
 * before the breach is left out.
 */
export function schedule(calendar: WorkCalendar, hours: ClockHours, timing: Timing, start: Date): Schedule {
  const at = (amount: number) => after(calendar, timing.limitUnit, start, amount);
  const dueAt = at(timing.limitAmount);
  const raw: { step: NagStep; at: Date }[] = [];
  if (timing.warnFraction !== null) {
    const dayBefore = timing.limitUnit === 'working_days' ? workingDayBefore(calendar, dueAt, hours.warnAt) : undefined;
    raw.push({ step: 'warn', at: dayBefore && dayBefore > start ? dayBefore : at(timing.limitAmount * timing.warnFraction) });
  }
  raw.push({ step: 'breach', at: dueAt });
  if (timing.escalateEvery !== null) {
    ESCALATION_STEPS.forEach((step, i) => {
      raw.push({ step, at: after(calendar, timing.limitUnit, dueAt, timing.escalateEvery! * (i + 1)) });
    });
  }
  const steps = raw.map(({ step, at: fireAt }) => ({ step, fireAt: sendable(calendar, hours, timing.limitUnit, fireAt) }));
  const breachAt = steps.find((s) => s.step === 'breach')!.fireAt;
  return { dueAt, steps: steps.filter((s) => s.step !== 'warn' || s.fireAt < breachAt) };
}

/** `time` (Shanghai) on the last working day before the day of `due`. */
function workingDayBefore(calendar: WorkCalendar, due: Date, time: string): Date {
  let day = fromShanghai(shanghaiDate(due));
  do day = new Date(day.getTime() - DAY_MS);
  while (!calendar.isWorkingDay(day));
  return fromShanghai(shanghaiDate(day), time);
}

/** When a nag about a limit of this unit may go out at or after `at`. */
export function sendable(calendar: WorkCalendar, hours: WorkingHours, unit: LimitUnit, at: Date): Date {
  return unit === 'working_days' ? calendar.nextWorkingTime(at, hours) : at;
}

/** The desk's working hours, in which nags about working-day limits go out. */
export function workingHours(config: Pick<Config, 'WORKING_HOURS_START' | 'WORKING_HOURS_END' | 'WORKING_DAY_WARNING_AT'>): ClockHours {
  return { start: config.WORKING_HOURS_START, end: config.WORKING_HOURS_END, warnAt: config.WORKING_DAY_WARNING_AT };
}
