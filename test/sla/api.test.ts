import { afterEach, describe, expect, it } from 'vitest';
import type { SlaPolicy } from '../../src/domain/sla/policies';
import { startTestApp, type TestApp } from '../support/app';
import { advance, MINUTE, nags, openTicket, seedOrg, tell } from './support';

let app: TestApp | undefined;
afterEach(async () => {
  await app?.stop();
  app = undefined;
});

async function policies(app: TestApp): Promise<SlaPolicy[]> {
  const response = await app.api('/api/sla-policies');
  expect(response.status).toBe(200);
  return ((await response.json()) as { policies: SlaPolicy[] }).policies;
}

describe('GET/PUT /api/sla-policies', () => {
  it('needs the admin token', async () => {
    app = await startTestApp();
    expect((await app.api('/api/sla-policies', { token: null })).status).toBe(401);
  });

  it('lists the regulation as seeded: arrival within 45, 90 and 120 minutes of dispatch', async () => {
    app = await startTestApp();
    const arrival = (await policies(app)).filter((p) => p.code.startsWith('repair.arrival'));
    // A return ends the arrival clock without meeting it (src/domain/sla/limits.ts).
    expect(arrival.every((p) => p.cancelEvents.join() === 'returned')).toBe(true);
    expect(arrival.map((p) => [p.areaClass, p.startEvent, p.stopEvents, p.limitAmount, p.limitUnit, p.warnFraction])).toEqual([
      ['urban', 'dispatched', ['arrived'], 45, 'minutes', 0.8],
      ['rural', 'dispatched', ['arrived'], 90, 'minutes', 0.8],
      ['remote', 'dispatched', ['arrived'], 120, 'minutes', 0.8],
    ]);
  });

  it('a change applies to clocks started afterwards; a running clock keeps its deadline', async () => {
    app = await startTestApp();
    await seedOrg(app.ctx.db, app.clock);
    const before = await openTicket(app.ctx.db, app.clock.now(), 'repair', { areaClass: 'urban', unitId: 'chengguan' });
    await tell(app, before, 'dispatched');
    const response = await app.api('/api/sla-policies', {
      method: 'PUT',
      body: { policies: [{ code: 'repair.arrival.urban', limitAmount: 40 }] },
    });
    expect(response.status).toBe(200);
    const changed = ((await response.json()) as { policies: SlaPolicy[] }).policies.find((p) => p.code === 'repair.arrival.urban');
    expect(changed).toMatchObject({ limitAmount: 40, warnFraction: 0.8, areaClass: 'urban' });

    const after = await openTicket(app.ctx.db, app.clock.now(), 'repair', { areaClass: 'urban', unitId: 'chengguan' });
    await tell(app, after, 'dispatched');
    await advance([app], [app.clock], 32 * MINUTE);
    await advance([app], [app.clock], 8 * MINUTE);
    const breaches = async (no: string) =>
      (await nags(app!.ctx.db, no)).filter((n) => n.policy === 'repair.arrival.urban' && n.step === 'breach');
    expect(await breaches(after.no)).toHaveLength(1);
    expect(await breaches(before.no)).toHaveLength(0);
    await advance([app], [app.clock], 5 * MINUTE);
    expect(await breaches(before.no)).toHaveLength(1);
  });

  it('the city-centre report limit is on, and met by the recorded report', async () => {
    app = await startTestApp();
    await seedOrg(app.ctx.db, app.clock);
    expect((await policies(app)).find((p) => p.code === 'repair.city_report')).toMatchObject({ enabled: true, limitAmount: 30 });
    const repair = await openTicket(app.ctx.db, app.clock.now(), 'repair', { areaClass: 'urban', unitId: 'chengguan' });
    await tell(app, repair, 'arrived');
    await advance([app], [app.clock], 25 * MINUTE);
    await tell(app, repair, 'city_reported');
    await advance([app], [app.clock], 60 * MINUTE);
    expect((await nags(app.ctx.db, repair.no)).filter((n) => n.policy === 'repair.city_report').map((n) => n.step)).toEqual(['warn']);
  });

  it('refuses what it cannot apply, whole, with a reason in Chinese', async () => {
    app = await startTestApp();
    const put = (policies: unknown[]) => app!.api('/api/sla-policies', { method: 'PUT', body: { policies } });

    const incomplete = await put([{ code: 'repair.new_limit', limitAmount: 10 }]);
    expect(incomplete.status).toBe(400);
    expect(((await incomplete.json()) as { error: { code: string; message: string } }).error).toMatchObject({
      code: 'invalid_policy',
      message: expect.stringContaining('repair.new_limit'),
    });

    const badFraction = await put([{ code: 'repair.arrival.urban', warnFraction: 1.5 }]);
    expect(badFraction.status).toBe(400);

    // One bad entry rejects the whole request.
    const mixed = await put([{ code: 'repair.arrival.urban', limitAmount: 30 }, { code: 'x.y', kind: 'nonsense' }]);
    expect(mixed.status).toBe(400);
    expect((await policies(app)).find((p) => p.code === 'repair.arrival.urban')!.limitAmount).toBe(45);

    const added = await put([
      {
        code: 'complaint.revisit',
        kind: 'complaint',
        areaClass: null,
        startEvent: 'approved',
        stopEvents: ['revisited'],
        limitAmount: 2,
        limitUnit: 'working_days',
        warnFraction: null,
        escalateEvery: null,
        responsible: 'desk',
        sinceText: '审核通过',
        awaitedText: '回访',
        actionText: '回访客户：/回访 {no} 满意',
        enabled: true,
      },
    ]);
    expect(added.status).toBe(200);
  });
});
