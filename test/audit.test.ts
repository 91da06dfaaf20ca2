import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MINUTE_MS } from '../src/clock';
import { startTestApp, type TestApp } from './support/app';

interface Entry {
  id: number;
  subject: string;
  actor: string;
  at: string;
  before: unknown;
  after: unknown;
}
interface Page {
  items: Entry[];
  total: number;
  page: number;
  pageSize: number;
}

let app: TestApp;
beforeAll(async () => (app = await startTestApp()));
afterAll(() => app.stop());

async function audit(query = ''): Promise<Page> {
  const response = await app.api(`/api/audit${query}`);
  expect(response.status).toBe(200);
  return (await response.json()) as Page;
}

describe('the audit log of changes to the organisation, the time limits and the calendar', () => {
  it('records who, when, before and after for each change, newest first and paged', async () => {
    expect(await audit()).toMatchObject({ items: [], total: 0 });

    const { org } = (await (await app.api('/api/org')).json()) as { org: { company: string } };
    expect((await app.api('/api/org', { method: 'PUT', body: { ...org, company: '云阳县供电公司（新）' } })).status).toBe(200);
    app.clock.advance(5 * MINUTE_MS);
    const put = await app.api('/api/sla-policies', { method: 'PUT', body: { policies: [{ code: 'repair.dispatch', limitAmount: 6 }] } });
    expect(put.status).toBe(200);
    app.clock.advance(5 * MINUTE_MS);
    const calendar = { overrides: [{ date: '2027-02-13', kind: 'workday', note: '调休上班' }] };
    expect((await app.api('/api/calendar', { method: 'PUT', body: calendar })).status).toBe(200);

    const all = await audit();
    expect(all.total).toBe(3);
    expect(all.items.map((e) => e.subject)).toEqual(['calendar', 'sla_policies', 'org']);
    expect(all.items.every((e) => e.actor === '未署名管理令牌')).toBe(true);
    const [cal, sla, orgEntry] = all.items;
    expect(orgEntry).toMatchObject({
      at: '2026-11-24T02:00:00.000Z',
      before: { company: '云阳县供电公司' },
      after: { company: '云阳县供电公司（新）' },
    });
    const limit = (list: unknown) => (list as { code: string; limitAmount: number }[]).find((p) => p.code === 'repair.dispatch')!.limitAmount;
    expect([limit(sla!.before), limit(sla!.after)]).toEqual([5, 6]);
    expect(sla!.at).toBe('2026-11-24T02:05:00.000Z');
    expect(cal).toMatchObject({ before: [], after: [{ date: '2027-02-13', kind: 'workday', note: '调休上班' }] });

    const second = await audit('?page=2&pageSize=2');
    expect(second).toMatchObject({ total: 3, page: 2, pageSize: 2 });
    expect(second.items.map((e) => e.subject)).toEqual(['org']);
    expect((await audit('?subject=calendar')).items.map((e) => e.subject)).toEqual(['calendar']);
  });

  it('records nothing for a refused change', async () => {
    const before = (await audit()).total;
    expect((await app.api('/api/calendar', { method: 'PUT', body: { overrides: [{ date: '1999-01-01', kind: 'workday' }] } })).status).toBe(400);
    const unknownPolicy = await app.api('/api/sla-policies', { method: 'PUT', body: { policies: [{ code: 'new.policy', limitAmount: 3 }] } });
    expect(unknownPolicy.status).toBe(400);
    expect((await audit()).total).toBe(before);
  });

  it('needs the admin token and refuses a bad page with 400', async () => {
    expect((await app.api('/api/audit', { token: null })).status).toBe(401);
    expect((await app.api('/api/audit?page=0')).status).toBe(400);
  });
});
