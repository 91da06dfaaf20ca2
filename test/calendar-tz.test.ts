import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const run = promisify(execFile);
const calendarModule = fileURLToPath(new URL('../src/calendar/calendar.ts', import.meta.url));

// Vitest shares worker processes between files, so each host zone gets a fresh process of its own.
// New York is included because west of UTC is where host-local date handling slips a day.
const probe = `
import { WorkCalendar, fromShanghai, shanghaiDate, shanghaiTime } from ${JSON.stringify(calendarModule)};
const calendar = new WorkCalendar([{ date: '2026-03-07', kind: 'workday' }]);
const shown = (d) => shanghaiDate(d) + ' ' + shanghaiTime(d);
const hours = { start: '08:30', end: '17:30' };
console.log(JSON.stringify({
  nationalDay: calendar.dayInfo('2026-10-01'),
  provisionalEve: calendar.dayInfo('2027-02-05'),
  dateOfInstant: calendar.isWorkingDay(new Date('2026-09-30T16:30:00Z')),
  fridayPlusFive: shown(calendar.addWorkingDays(fromShanghai('2024-09-27', '17:00'), 5)),
  springFestival: shown(calendar.addWorkingDays(fromShanghai('2026-02-13', '17:00'), 5)),
  dayOff: shown(calendar.addWorkingDays(fromShanghai('2026-10-03', '11:00'), 5)),
  override: shown(calendar.addWorkingDays(fromShanghai('2026-03-06', '17:00'), 1)),
  between: calendar.workingDaysBetween(fromShanghai('2026-09-29', '17:00'), fromShanghai('2026-10-12', '17:00')),
  nextWorking: shown(calendar.nextWorkingTime(fromShanghai('2026-09-30', '18:00'), hours)),
  instant: fromShanghai('2026-10-01', '08:30').toISOString(),
}));
`;

async function probeIn(tz: string): Promise<unknown> {
  const env = { ...process.env, TZ: tz };
  const { stdout } = await run('npx', ['tsx', '--input-type=module', '--eval', probe], { env });
  return JSON.parse(stdout);
}

it('gives the same answers whatever the host time zone', async () => {
  const [utc, shanghai, newYork] = await Promise.all(['UTC', 'Asia/Shanghai', 'America/New_York'].map(probeIn));
  expect(utc).toEqual({
    nationalDay: { date: '2026-10-01', working: false, source: 'statutory', name: '国庆节' },
    // 除夕 2027 by the lunar calendar: chinese-days' own lunar functions put it a day early on a New York host.
    provisionalEve: { date: '2027-02-05', working: false, source: 'provisional', name: '春节', provisional: true },
    dateOfInstant: false,
    fridayPlusFive: '2024-10-10 17:00',
    springFestival: '2026-02-27 17:00',
    dayOff: '2026-10-14 00:00',
    override: '2026-03-07 17:00',
    between: 5,
    nextWorking: '2026-10-08 08:30',
    instant: '2026-10-01T00:30:00.000Z',
  });
  expect(shanghai).toEqual(utc);
  expect(newYork).toEqual(utc);
});
