import { describe, expect, it } from 'vitest';
import { fromShanghai } from '../../src/calendar/calendar';
import { WorkCalendar } from '../../src/calendar/calendar';
import { schedule, workingHours } from '../../src/domain/sla/deadlines';
import { loadConfig } from '../../src/config';

/**
 * The warning of a limit counted in working days comes on the working day before the deadline, at the configured
 * hour (14:00 by default), not at 08:30 on the due morning.
 */
const calendar = new WorkCalendar();
const hours = workingHours(loadConfig({}));
const warnOf = (limitAmount: number, start: Date, at = hours) =>
  schedule(calendar, at, { limitAmount, limitUnit: 'working_days', warnFraction: 0.75, escalateEvery: 1 }, start).steps.find((s) => s.step === 'warn')?.fireAt;

describe('the warning of a working-day limit', () => {
  it('for 3 working days from Monday 09:00, due Thursday 09:00, comes Wednesday 14:00', () => {
    expect(warnOf(3, fromShanghai('2026-11-23', '09:00'))).toEqual(fromShanghai('2026-11-25', '14:00'));
  });

  it('for 1 working day from Friday 09:00, due Monday 09:00, comes Friday 14:00', () => {
    expect(warnOf(1, fromShanghai('2026-11-27', '09:00'))).toEqual(fromShanghai('2026-11-27', '14:00'));
  });

  it('skips days off: 5 working days from 30 September, due Tuesday 13 October, warns on Monday the 12th', () => {
    // From Wednesday 30 September: 8, 9, 10 (make-up Saturday), 12, 13 October; the working day before the 13th is the 12th.
    expect(warnOf(5, fromShanghai('2026-09-30', '10:00'))).toEqual(fromShanghai('2026-10-12', '14:00'));
  });

  it('at the configured hour', () => {
    const early = workingHours(loadConfig({ WORKING_DAY_WARNING_AT: '10:00' }));
    expect(warnOf(3, fromShanghai('2026-11-23', '09:00'), early)).toEqual(fromShanghai('2026-11-25', '10:00'));
  });
});
