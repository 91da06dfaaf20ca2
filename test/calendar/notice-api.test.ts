import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { frozenClock, startTestApp, type TestApp } from '../support/app';

/** 7 December 2026: the package's data ends with 2026, and the 2027 notice has been published. */
let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({}, frozenClock(new Date('2026-12-07T10:00:00+08:00')));
});
afterAll(() => app.stop());

/** A 2027 notice in the published form (the dates are an example). */
const NOTICE_2027 = readFileSync(new URL('./notices/2026.txt', import.meta.url), 'utf8')
  .replace('关于2026年', '关于2027年')
  .replace('现将2026年', '现将2027年')
  .replace(/一、元旦：[^\n]*/, '一、元旦：1月1日（周五）至3日（周日）放假，共3天。')
  .replace(/二、春节：[^\n]*/, '二、春节：2月5日（农历除夕、周五）至11日（农历正月初六、周四）放假调休，共7天。2月20日（周六）上班。')
  .replace(/三、[\s\S]*(?=\n\s*节假日期间)/, '');

const json = async (response: Response) => ({ status: response.status, body: (await response.json()) as Record<string, unknown> });

describe('the yearly notice through the admin API', () => {
  it('says 2027 is unconfirmed, entered, confirmed once, and then 2027 is confirmed', async () => {
    const before = await json(await app.api('/api/calendar'));
    expect(before.body).toMatchObject({
      years: [{ year: 2026, confirmed: true }, { year: 2027, confirmed: false }],
      unconfirmed: [2027],
      warnings: [expect.stringMatching(/^2027 年节假日安排未确认：.*请管理员录入国务院办公厅通知/)],
    });

    const refused = await json(await app.api('/api/calendar/notices', { method: 'POST', body: { text: '元旦放假' } }));
    expect(refused).toMatchObject({ status: 400, body: { error: { code: 'notice_unreadable', message: expect.stringContaining('没有找到年份') } } });

    const preview = await json(await app.api('/api/calendar/notices', { method: 'POST', body: { text: NOTICE_2027 } }));
    expect(preview.status).toBe(200);
    expect(preview.body.preview).toEqual({
      year: 2027,
      replaces: false,
      items: [
        { name: '元旦', holidays: ['2027-01-01', '2027-01-02', '2027-01-03'], workdays: [] },
        {
          name: '春节',
          holidays: ['2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08', '2027-02-09', '2027-02-10', '2027-02-11'],
          workdays: ['2027-02-20'],
        },
      ],
    });

    const confirm = () => app.api('/api/calendar/notices/2027/confirm', { method: 'POST', body: {} });
    const [first, second] = await Promise.all([confirm().then(json), confirm().then(json)]);
    expect([first.status, second.status].sort()).toEqual([200, 409]);

    const after = await json(await app.api('/api/calendar?from=2027-02-11&to=2027-02-12'));
    expect(after.body).toMatchObject({ unconfirmed: [], warnings: [] });
    expect(after.body.days).toEqual([
      { date: '2027-02-11', working: false, source: 'notice', name: '春节' },
      { date: '2027-02-12', working: true, source: 'weekday' },
    ]);
    const audit = await json(await app.api('/api/audit?subject=calendar'));
    expect(audit.body).toMatchObject({ total: 1, items: [{ actor: '未署名管理令牌', after: { notice: { year: 2027 } } }] });
  });
});
