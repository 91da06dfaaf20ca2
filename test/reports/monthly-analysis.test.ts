import { PICTURE_SIZE } from '../../src/domain/reports/pictures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app';
import { DAY_MS, HOUR_MS, type Clock } from '../../src/clock';
import { analyseMonth } from '../../src/domain/reports/analysis';
import { frozenClock } from '../support/app';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { openTicket, seedOrg, startAppOn, tell, type TestTicket } from '../sla/support';

/**
 * October 2026 at the county, generated with known outcomes: ten complaints to 市场营销部 from Monday 12 October, one a
 * day — nine accepted within the hour, seven completed two days later and answered the day after, one completed and
 * answered eleven days late, one accepted and never completed, one never accepted; six customers called back (four
 * 满意, one 一般, one 不满意); the first six about
 * 营销, the rest about 电价. Five repairs, four of them at 人民路12号. A planned outage published two days ahead (late),
 * a temporary one two days ahead (in time). On 1 November two processes both try to send the analysis.
 */
let db: TestDatabase;
let apps: RunningApp[];
let clocks: Clock[];

const at = (iso: string) => new Date(`${iso}+08:00`);

async function happen(app: RunningApp, ticket: TestTicket, type: string, when: Date, satisfaction?: 'satisfied' | 'fair' | 'dissatisfied'): Promise<void> {
  await app.ctx.db
    .insertInto('ticket_events')
    .values({ ticket_id: ticket.id, type, from_state: null, to_state: type, actor_id: 'mk_qian', actor_name: '钱专责', via: 'message', data: '{}', at: when })
    .execute();
  if (satisfaction) await app.ctx.db.updateTable('tickets').set({ satisfaction }).where('id', '=', ticket.id).execute();
  await tell(app, ticket, type, when);
}

beforeAll(async () => {
  db = await createTestDatabase();
  clocks = [frozenClock(at('2026-10-12T09:00:00')), frozenClock(at('2026-10-12T09:00:00'))];
  apps = await Promise.all(clocks.map((clock) => startAppOn(db.url, clock)));
  await seedOrg(apps[0]!.ctx.db, clocks[0]!);
  const app = apps[0]!;
  for (let i = 0; i < 10; i++) {
    const opened = new Date(at('2026-10-12T10:00:00').getTime() + i * DAY_MS);
    const ticket = await openTicket(app.ctx.db, opened, 'complaint', { unitId: 'marketing' });
    await app.ctx.db.updateTable('tickets').set({ category: i < 6 ? '营销' : '电价' }).where('id', '=', ticket.id).execute();
    await tell(app, ticket, 'created', opened);
    await happen(app, ticket, 'dispatched', opened);
    if (i < 9) await happen(app, ticket, 'accepted', new Date(opened.getTime() + HOUR_MS));
    const done = i < 7 ? 2 : i === 7 ? 11 : undefined;
    if (done !== undefined) {
      await happen(app, ticket, 'completed', new Date(opened.getTime() + done * DAY_MS));
      await happen(app, ticket, 'answered', new Date(opened.getTime() + (done + 1) * DAY_MS));
    }
    if (i < 6) {
      const verdict = i < 4 ? 'satisfied' : i === 4 ? 'fair' : 'dissatisfied';
      await happen(app, ticket, 'revisited', new Date(opened.getTime() + 4 * DAY_MS), verdict);
    }
  }
  for (let i = 0; i < 5; i++) {
    const ticket = await openTicket(app.ctx.db, at(`2026-10-${14 + i}T08:00:00`), 'repair', { areaClass: 'urban', unitId: 'chengguan' });
    const [address, key] = i < 4 ? ['人民路12号', '人民路12'] : ['解放路8号', '解放路8'];
    await app.ctx.db.updateTable('tickets').set({ area: '城关镇', address, address_key: key }).where('id', '=', ticket.id).execute();
  }
  for (const [no, kind, published] of [['TD20261020-0001', 'planned', '2026-10-18T09:00:00'], ['TD20261020-0002', 'temporary', '2026-10-18T09:00:00']] as const) {
    await app.ctx.db
      .insertInto('outages')
      .values({ no, kind, areas: ['城关镇'], starts_at: at('2026-10-20T09:00:00'), cause: '检修', published_by: 'desk_wang', published_at: at(published) })
      .execute();
  }
  for (const clock of clocks) clock.freeze(at('2026-11-01T09:00:00'));
}, 120_000);
afterAll(async () => {
  for (const app of apps ?? []) await app.stop();
  await db?.close();
});

describe('the monthly analysis', () => {
  it('equals the figures counted by hand', async () => {
    const app = apps[0]!;
    const a = await analyseMonth(app.ctx.db, await app.ctx.orgs.current(app.ctx.db), '2026-10', clocks[0]!.now());
    expect(a.workOrders).toBe(10);
    expect(a.accepted).toEqual({ count: 9, total: 10, rate: 0.9 });
    expect(a.handledInTime).toEqual({ count: 7, total: 10, rate: 0.7 });
    expect(a.answered).toEqual({ count: 8, total: 10, rate: 0.8 });
    expect(a.topCauses).toEqual([
      { cause: '营销', count: 6 },
      { cause: '故障报修', count: 5 },
      { cause: '电价', count: 4 },
    ]);
    expect(a.repeatAddresses).toEqual([{ area: '城关镇', address: '人民路12号', count: 4, tickets: expect.any(Array) }]);
    // Missed by 市场营销部: the late answer's 5 working days, the never-completed one's, the never-accepted one's 1 and 5
    // days; by the desk, which publishes outages: the late planned-outage notice.
    expect(a.overdueUnits).toEqual([
      { unitId: 'marketing', name: '市场营销部', missed: 4 },
      { unitId: null, name: '客户服务班', missed: 1 },
    ]);
    expect(a.lateNotices).toEqual([{ no: 'TD20261020-0001', kind: '计划停电', area: '城关镇', leadHours: 48, requiredHours: 168 }]);
    expect(a.satisfaction).toEqual({ satisfied: 4, fair: 1, dissatisfied: 1, rate: 0.75 });
    // The desk: work orders made in time 10 of 10 (1.0), notices 1 of 2 (0.5), and the 7 complaints it held from the
    // department's timely reply to its answer, met (1.0) → 83.3.
    // 市场营销部: accepted or returned in time 9 of 10 (0.9), handling 0 of the 3 it held when they ran out (0),
    // satisfaction (4 + 0.5) / 6 = 0.75 → 55.0.
    expect(a.toAssess).toEqual([
      { unitId: 'desk', name: '客户服务班', missed: 1, score: 83.3, grade: '合格' },
      { unitId: 'marketing', name: '市场营销部', missed: 4, score: 55, grade: '不合格' },
    ]);
    expect(a.improvements).toEqual([
      '受理率90.0%（1 件未达标），督促责任部门在 1 个工作日内接单或退回',
      '按时办结率70.0%（3 件未达标），对临期工单提前催办，查明超时原因并纳入考核',
      '答复率80.0%（2 件未达标），客服班对已办结工单及时答复客户',
      '市场营销部超时 4 项，居各单位之首，请单位负责人分析原因、落实整改',
      '城关镇人民路12号本月重复报修 4 次，建议安排设备隐患排查',
      '停电通知提前量不足 1 次，计划停电须提前 7 天、临时停电须提前 24 小时发布',
      '回访不满意 1 件，请逐件回溯服务过程',
      '「营销」共 6 件，最为集中，建议针对性改进',
    ]);
  });

  it('is sent once to the leaders and the list once to 市场营销部, with two processes asking at the same moment', async () => {
    for (const clock of clocks) clock.freeze(at('2026-11-01T08:00:00'));
    expect(await apps[0]!.jobs.services.monthly.sendIfDue()).toBe(false); // before working hours
    for (const clock of clocks) clock.freeze(at('2026-11-01T09:00:00'));
    const results = await Promise.all(apps.map((app) => app.jobs.services.monthly.sendIfDue()));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await Promise.all(apps.map((app) => app.jobs.services.monthly.sendIfDue()))).toEqual([false, false]);
    const rows = await apps[0]!.ctx.db
      .selectFrom('outbox')
      .select(['chat_id', 'body'])
      .where('dedupe_key', 'like', 'monthly-analysis:2026-10%')
      .orderBy('dedupe_key')
      .execute();
    // The leaders get the picture first, then the text; 市场营销部 the list only.
    expect(rows.map((row) => [row.chat_id, (row.body as unknown as { msgtype: string }).msgtype])).toEqual([
      ['chat-leaders', 'picture'],
      ['chat-leaders', 'markdown'],
      ['chat-marketing', 'markdown'],
    ]);
    const png = Buffer.from((rows[0]!.body as unknown as { picture: { base64: string } }).picture.base64, 'base64');
    expect({ width: png.readUInt32BE(16), height: png.readUInt32BE(20) }).toEqual(PICTURE_SIZE);
    const texts = rows.slice(1).map((row) => (row.body as unknown as { markdown: { content: string } }).markdown.content);
    expect(texts[0]).toContain('受理率 90.0% · 按时办结率 70.0% · 答复率 80.0%');
    expect(texts[1]).toContain('1. 客户服务班：超时 1 项，得分 83.3（合格）\n2. 市场营销部：超时 4 项，得分 55.0（不合格）');
  });
});
