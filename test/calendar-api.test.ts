import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.stop());

type Day = { date: string; working: boolean; source: string; name?: string };
async function days(from: string, to: string): Promise<Day[]> {
  const response = await app.api(`/api/calendar?from=${from}&to=${to}`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { days: Day[] }).days;
}

describe('working-day calendar through the admin API', () => {
  it('shows the National Day holiday and its make-up Saturday', async () => {
    const week = await days('2026-10-01', '2026-10-10');
    expect(week.filter((d) => d.working).map((d) => d.date)).toEqual(['2026-10-08', '2026-10-09', '2026-10-10']);
    expect(week[0]).toMatchObject({ source: 'statutory', name: '国庆节' });
  });

  it('applies an override at once, and in this process and every later read', async () => {
    // 初一 of 2027, a day off provisionally until the year's notice is confirmed.
    expect((await days('2027-02-06', '2027-02-06'))[0]).toMatchObject({ working: false, source: 'provisional', name: '春节', provisional: true });
    const put = await app.api('/api/calendar', {
      method: 'PUT',
      body: { overrides: [{ date: '2027-02-06', kind: 'workday', note: '春节调休上班' }] },
    });
    expect(put.status).toBe(200);
    expect((await days('2027-02-06', '2027-02-06'))[0]).toEqual({
      date: '2027-02-06',
      working: true,
      source: 'override',
      name: '春节调休上班',
      provisional: true,
    });
    // Thursday 4 February, then 除夕 (provisionally off), then the Saturday worked by the override.
    expect(app.ctx.calendar.addWorkingDays(new Date('2027-02-04T17:00:00+08:00'), 1)).toEqual(
      new Date('2027-02-06T17:00:00+08:00'),
    );
  });

  it('refuses an impossible range with a Chinese message', async () => {
    const response = await app.api('/api/calendar?from=2026-12-01&to=2026-01-01');
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'invalid_range' } });
  });
});
