import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noticeLeadTime } from '../../src/domain/outages';
import { startTestApp, type TestApp } from '../support/app';

interface OutageView {
  no: string;
  kind: string;
  kindName: string;
  areas: string[];
  late: boolean;
  leadHours: number;
  requiredLeadHours: number | null;
  leadWarning: string | null;
  ended_at: string | null;
  published_by: string;
}
interface List {
  items: OutageView[];
  total: number;
}

let app: TestApp;
beforeAll(async () => (app = await startTestApp()));
afterAll(() => app.stop());

const HOUR = 3_600_000;

async function publish(body: Record<string, unknown>): Promise<{ status: number; body: { outage: OutageView; error?: { code: string; message: string } } }> {
  const response = await app.api('/api/outages', { body: { publishedBy: 'wangfang', cause: '线路检修', ...body } });
  return { status: response.status, body: (await response.json()) as never };
}

async function list(query = ''): Promise<List> {
  const response = await app.api(`/api/outages${query}`);
  expect(response.status).toBe(200);
  return (await response.json()) as List;
}

describe('outage information through the admin API', () => {
  it('refuses without the admin token', async () => {
    expect((await app.api('/api/outages', { token: null })).status).toBe(401);
    expect((await app.api('/api/outages', { token: null, body: { kind: 'fault' } })).status).toBe(401);
    expect((await list()).total).toBe(0);
  });

  it('publishes a planned outage announced 7 days ahead as on time', async () => {
    // The clock stands at 2026-11-24 10:00 Shanghai; the cut starts 8 days later.
    const { status, body } = await publish({
      kind: 'planned',
      areas: ['城关镇'],
      startsAt: '2026-12-02 10:00',
      restoreAt: '2026-12-02 18:00',
      line: '10kV城北线',
      voltageKv: 10,
      keyCustomers: '县人民医院',
    });
    expect(status).toBe(201);
    expect(body.outage).toMatchObject({ kind: 'planned', kindName: '计划停电', areas: ['城关镇'], late: false, leadHours: 192, requiredLeadHours: 168, leadWarning: null });
    expect(body.outage.no).toMatch(/^TD/);
    expect(body.outage.published_by).toBe('wangfang');
  });

  it('flags a planned outage announced 3 days ahead, and a temporary one 10 hours ahead, as late', async () => {
    app.clock.advance(HOUR);
    const planned = await publish({ kind: 'planned', areas: ['南溪镇'], startsAt: '2026-11-27T11:00:00+08:00' });
    expect(planned.status).toBe(201);
    expect(planned.body.outage).toMatchObject({ late: true, leadHours: 72, leadWarning: '（通知提前量不足：计划停电应提前 7 天发布）' });

    app.clock.advance(HOUR);
    const temporary = await publish({ kind: 'temporary', areas: ['石门村'], startsAt: '2026-11-24 22:00' });
    expect(temporary.body.outage).toMatchObject({ late: true, leadHours: 10, requiredLeadHours: 24, leadWarning: '（通知提前量不足：临时停电应提前 24 小时发布）' });
  });

  it('never flags kinds without a lead time, even when published after the cut began', async () => {
    app.clock.advance(HOUR);
    const fault = await publish({ kind: 'fault', areas: ['清水乡'], startsAt: '2026-11-24 12:30', cause: '树障跳闸' });
    expect(fault.status).toBe(201);
    expect(fault.body.outage).toMatchObject({ late: false, leadHours: -0.5, requiredLeadHours: null });
  });

  it('lists newest first and filters by kind, area, active and start date', async () => {
    const all = await list();
    expect(all.items.map((o) => o.kind)).toEqual(['fault', 'temporary', 'planned', 'planned']);
    expect(all.items.map((o) => o.late)).toEqual([false, true, true, false]);

    expect((await list('?kind=planned')).items.map((o) => o.areas[0])).toEqual(['南溪镇', '城关镇']);
    // An outage over 南溪镇 covers the village in it; one over the village is found by the village.
    expect((await list('?area=石门村')).items.map((o) => o.areas[0])).toEqual(['石门村', '南溪镇']);
    expect((await list('?area=城关镇')).total).toBe(1);
    expect((await list('?from=2026-11-25&to=2026-11-30')).items.map((o) => o.areas[0])).toEqual(['南溪镇']);
    expect((await list('?from=2026-12-01')).items.map((o) => o.areas[0])).toEqual(['城关镇']);
    expect((await list('?active=true')).total).toBe(4);
    expect((await list('?active=false')).total).toBe(0);
  });

  it('rejects bad input with Chinese messages and writes nothing', async () => {
    const before = (await list()).total;
    const cases: [Record<string, unknown>, number, string][] = [
      [{ kind: 'blackout', areas: ['城关镇'], startsAt: '2026-12-05 08:00' }, 400, '停电类型须为'],
      [{ kind: 'planned', areas: [], startsAt: '2026-12-05 08:00' }, 400, '至少填写一个停电区域'],
      [{ kind: 'planned', areas: ['城关镇'], startsAt: '下周一' }, 400, '停电开始时间格式不正确'],
      [{ kind: 'planned', areas: ['城关镇'], startsAt: '2026-12-05 08:00', cause: '' }, 400, '停电原因必填'],
      [{ kind: 'planned', areas: ['火星镇'], startsAt: '2026-12-05 08:00' }, 400, '区域「火星镇」不在本公司供区'],
      [{ kind: 'planned', areas: ['城关镇'], startsAt: '2026-12-05 08:00', restoreAt: '2026-12-05 07:00' }, 400, '预计恢复时间须晚于停电开始时间'],
      // 10 kV and above is published by the desk; a crew member may not.
      [{ kind: 'planned', areas: ['城关镇'], startsAt: '2026-12-05 08:00', voltageKv: 10, publishedBy: 'zhangwei' }, 403, '由客户服务班发布'],
    ];
    for (const [body, status, message] of cases) {
      const result = await publish(body);
      expect(result.status, JSON.stringify(body)).toBe(status);
      expect(JSON.stringify(result.body), JSON.stringify(body)).toContain(message);
    }
    expect((await app.api('/api/outages?kind=blackout')).status).toBe(400);
    expect((await app.api('/api/outages?area=火星镇')).status).toBe(400);
    expect((await list()).total).toBe(before);
  });

  it('marks an outage ended, once', async () => {
    const [latest] = (await list('?kind=fault')).items;
    const ended = await app.api(`/api/outages/${latest!.no}/end`, { method: 'PUT', body: { endedBy: 'wangfang' } });
    expect(ended.status).toBe(200);
    expect(((await ended.json()) as { outage: OutageView }).outage.ended_at).not.toBeNull();
    expect((await list('?active=false')).items.map((o) => o.no)).toEqual([latest!.no]);
    expect((await list('?active=true')).total).toBe(3);
    expect((await app.api(`/api/outages/${latest!.no}/end`, { method: 'PUT', body: {} })).status).toBe(409);
    expect((await app.api('/api/outages/TD-nope/end', { method: 'PUT', body: {} })).status).toBe(404);
  });
});

describe('the lead-time rule', () => {
  const at = (iso: string) => new Date(iso);
  it('is 7 days for planned, 24 hours for temporary, none for the rest', () => {
    const published_at = at('2026-11-24T02:00:00Z');
    expect(noticeLeadTime({ kind: 'planned', published_at, starts_at: at('2026-12-01T02:00:00Z') }).late).toBe(false);
    expect(noticeLeadTime({ kind: 'planned', published_at, starts_at: at('2026-12-01T01:59:00Z') }).late).toBe(true);
    expect(noticeLeadTime({ kind: 'temporary', published_at, starts_at: at('2026-11-25T02:00:00Z') }).late).toBe(false);
    expect(noticeLeadTime({ kind: 'temporary', published_at, starts_at: at('2026-11-25T01:00:00Z') }).late).toBe(true);
    for (const kind of ['arrears', 'fault', 'rationing', 'other'] as const) {
      expect(noticeLeadTime({ kind, published_at, starts_at: published_at }).late).toBe(false);
    }
  });
});
