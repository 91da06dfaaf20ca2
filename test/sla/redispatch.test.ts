import { afterEach, describe, expect, it } from 'vitest';
import { deadlineFor, overdueNowByUnit, slaRecordByUnit } from '../../src/domain/sla';
import { startTestApp, type TestApp } from '../support/app';
import { advance, MINUTE, nags, openTicket, seedOrg, tell } from './support';

let app: TestApp | undefined;
afterEach(async () => {
  await app?.stop();
  app = undefined;
});

async function setUp(): Promise<TestApp> {
  app = await startTestApp();
  await seedOrg(app.ctx.db, app.clock);
  return app;
}

async function clocks(app: TestApp, ticketId: number) {
  return app.ctx.db
    .selectFrom('sla_clocks as c')
    .innerJoin('sla_policies as p', 'p.id', 'c.policy_id')
    .select(['p.code', 'c.unit_id', 'c.started_at', 'c.due_at', 'c.stopped_at', 'c.stop_event'])
    .where('c.ticket_id', '=', ticketId)
    .orderBy('c.id')
    .execute();
}

describe('a ticket that changes hands', () => {
  it('a crew returns a ticket that is not theirs: the new unit starts afresh, the breach stays on the first unit', async () => {
    const app = await setUp();
    const t0 = app.clock.nowMs();
    const repair = await openTicket(app.ctx.db, app.clock.now(), 'repair', { areaClass: 'urban', unitId: 'chengguan' });
    await tell(app, repair, 'dispatched');
    await advance([app], [app.clock], 36 * MINUTE);
    await advance([app], [app.clock], 14 * MINUTE);
    // 50 minutes: 城关供电所 missed the 45-minute arrival, then finds the fault is on a 35 kV line and returns it.
    await tell(app, { ...repair, unitId: null }, 'returned');
    await advance([app], [app.clock], 5 * MINUTE);
    const xiushi = { ...repair, areaClass: 'rural' as const, unitId: 'xiushi' };
    await tell(app, xiushi, 'dispatched');
    const t1 = app.clock.nowMs();

    const rows = await clocks(app, repair.id);
    expect(rows.filter((c) => c.code === 'repair.arrival.urban')).toMatchObject([
      { unit_id: 'chengguan', due_at: new Date(t0 + 45 * MINUTE), stop_event: 'returned' },
    ]);
    expect(rows.filter((c) => c.code === 'repair.arrival.rural')).toMatchObject([
      { unit_id: 'xiushi', started_at: new Date(t1), due_at: new Date(t1 + 90 * MINUTE), stopped_at: null },
    ]);
    expect(await deadlineFor(app.ctx.db, repair.id, 'arrived')).toEqual(new Date(t1 + 90 * MINUTE));

    // 修试所 arrives in time; 城关供电所 hears nothing more after returning the ticket.
    await advance([app], [app.clock], 80 * MINUTE);
    await tell(app, xiushi, 'arrived');
    await advance([app], [app.clock], 600 * MINUTE);
    const sent = await nags(app.ctx.db, repair.no);
    const arrivalNags = sent.filter((n) => n.policy.startsWith('repair.arrival')).map((n) => [n.policy, n.step, n.chatId]);
    expect(arrivalNags).toEqual([
      ['repair.arrival.urban', 'warn', 'chat-chengguan'],
      ['repair.arrival.urban', 'breach', 'chat-chengguan'],
      ['repair.arrival.rural', 'warn', 'chat-xiushi'],
    ]);

    const record = await slaRecordByUnit(app.ctx.db, { from: new Date(t0), to: new Date(t0 + 86_400_000), now: app.clock.now() });
    expect(record.filter((r) => r.policyCode.startsWith('repair.arrival'))).toEqual([
      { unitId: 'chengguan', policyCode: 'repair.arrival.urban', met: 0, missed: 1, open: 0 },
      { unitId: 'xiushi', policyCode: 'repair.arrival.rural', met: 1, missed: 0, open: 0 },
    ]);
    const ticket = await app.ctx.db.selectFrom('tickets').select('overdue_at').where('id', '=', repair.id).executeTakeFirstOrThrow();
    // 超时 since the first unit's acknowledgement deadline (5 minutes), which came before the arrival's.
    expect(ticket.overdue_at).toEqual(new Date(t0 + 5 * MINUTE));
  });

  it('the desk re-dispatches directly: the first dispatch clocks stop, the new ones start from the new dispatch', async () => {
    const app = await setUp();
    const repair = await openTicket(app.ctx.db, app.clock.now(), 'repair', { areaClass: 'urban', unitId: 'chengguan' });
    await tell(app, repair, 'dispatched');
    await advance([app], [app.clock], 2 * MINUTE);
    await tell(app, { ...repair, unitId: 'xiushi' }, 'dispatched');
    // Telling the same event twice changes nothing.
    await tell(app, { ...repair, unitId: 'xiushi' }, 'dispatched');

    const rows = await clocks(app, repair.id);
    expect(rows.map((c) => [c.code, c.unit_id, c.stop_event])).toEqual([
      ['repair.acknowledge', 'chengguan', 'dispatched'],
      ['repair.arrival.urban', 'chengguan', 'dispatched'],
      ['repair.acknowledge', 'xiushi', null],
      ['repair.arrival.urban', 'xiushi', null],
    ]);
    const open = await app.ctx.db
      .selectFrom('sla_timers as t')
      .innerJoin('sla_clocks as c', 'c.id', 't.clock_id')
      .select(['c.unit_id'])
      .where('c.ticket_id', '=', repair.id)
      .where('t.fired_at', 'is', null)
      .execute();
    expect(new Set(open.map((t) => t.unit_id))).toEqual(new Set(['xiushi']));
  });

  it('a unit the organisation no longer knows: its nags are skipped, the others still go out', async () => {
    const app = await setUp();
    const lost = await openTicket(app.ctx.db, app.clock.now(), 'repair', { areaClass: 'urban', unitId: 'dissolved_station' });
    const known = await openTicket(app.ctx.db, app.clock.now(), 'repair', { areaClass: 'urban', unitId: 'chengguan' });
    await tell(app, lost, 'dispatched');
    await tell(app, known, 'dispatched');
    await advance([app], [app.clock], 3 * MINUTE);
    await advance([app], [app.clock], 2 * MINUTE);
    expect(await nags(app.ctx.db, lost.no)).toEqual([]);
    expect((await nags(app.ctx.db, known.no)).map((n) => n.step)).toEqual(['warn', 'breach']);
    const outcomes = await app.ctx.db
      .selectFrom('sla_timers as t')
      .innerJoin('sla_clocks as c', 'c.id', 't.clock_id')
      .select(['t.outcome'])
      .where('c.ticket_id', '=', lost.id)
      .where('t.fired_at', 'is not', null)
      .execute();
    expect(outcomes.map((t) => t.outcome)).toEqual(['skipped', 'skipped']);
  });

  it('a repair whose area class is unknown is still watched, by the most lenient arrival limit', async () => {
    const app = await setUp();
    const repair = await openTicket(app.ctx.db, app.clock.now(), 'repair', { areaClass: null, unitId: 'chengguan' });
    await tell(app, repair, 'dispatched');
    expect((await clocks(app, repair.id)).map((c) => c.code)).toEqual(['repair.acknowledge', 'repair.arrival.remote']);
  });

  it('counts what is late right now, per unit, for the digest', async () => {
    const app = await setUp();
    for (const unitId of ['chengguan', 'chengguan', 'xiushi']) {
      const repair = await openTicket(app.ctx.db, app.clock.now(), 'repair', { areaClass: 'urban', unitId });
      await tell(app, repair, 'dispatched');
      await tell(app, repair, 'accepted');
    }
    const complaint = await openTicket(app.ctx.db, app.clock.now(), 'complaint', { unitId: 'marketing' });
    await tell(app, complaint, 'created');
    const t0 = app.clock.nowMs();
    await advance([app], [app.clock], 46 * MINUTE);
    expect(await overdueNowByUnit(app.ctx.db, app.clock.now())).toEqual([
      { unitId: 'chengguan', overdue: 2, oldestDueAt: new Date(t0 + 45 * MINUTE) },
      { unitId: 'xiushi', overdue: 1, oldestDueAt: new Date(t0 + 45 * MINUTE) },
      // The complaint's work order is the desk's to make (30 minutes).
      { unitId: null, overdue: 1, oldestDueAt: new Date(t0 + 30 * MINUTE) },
    ]);
  });
});
