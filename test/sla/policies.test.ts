import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectionClass } from '../../src/db/schema';
import { listPolicies } from '../../src/domain/sla/policies';
import type { Kind } from '../../src/domain/tickets/machine';
import { advance, MINUTE, nags, openTicket, startSlaEngine, tell, type SlaOnly } from './support';

/**
 * Every seeded time limit, on a Tuesday 10:00 start (24 November 2026, an ordinary working week): when it warns,
 * breaches and escalates (minutes after the start event), to which chat and whom it mentions, and that the awaited
 * event stops it. The numbers restate the regulation; the rows of 042/043 and src/domain/sla/limits.ts must agree with them.
 */
const DAY = 24 * 60;
const OWNER: Record<Kind, string | null> = {
  repair: 'chengguan',
  complaint: 'marketing',
  report: 'politics',
  suggestion: 'marketing',
  praise: 'marketing',
  // The specialist's unit, after /转专业.
  inquiry: 'marketing',
  query: null,
  connection: 'marketing',
};
const CHAT = { chengguan: 'chat-chengguan', marketing: 'chat-marketing', politics: 'chat-politics', desk: 'chat-desk' } as const;
const ON_DUTY = { chengguan: ['zhangsan', 'lisi'], marketing: ['mk_qian'], politics: ['pw_zhou'], desk: ['desk_wang'] } as const;
const LEADER = { chengguan: 'cg_lead', marketing: 'mk_lead', politics: 'pw_lead', desk: 'desk_lead' } as const;

interface Case {
  code: string;
  kind: Kind;
  areaClass?: 'urban' | 'rural' | 'remote';
  connectionClass?: ConnectionClass;
  start: string;
  stop: string;
  owes: keyof typeof CHAT;
  /** Minutes after the start: warn, breach, unit leader, company leader. */
  at: [number, number, number, number];
}

const workOrder = (kind: Kind): Case => ({ code: `${kind}.work_order`, kind, start: 'created', stop: 'dispatched', owes: 'desk', at: [24, 30, 45, 60] });
// After a department returns an order, the desk hands it over again within the same 30 minutes.
const rehand = (kind: Kind): Case => ({ code: `${kind}.redispatch`, kind, start: 'returned', stop: 'dispatched', owes: 'desk', at: [24, 30, 45, 60] });
// 1 working day from Tuesday 10:00: the 0.75 warning (Wednesday 04:00) waits for working hours, 08:30.
const oneWorkingDay = (code: string, kind: Kind, start: string, stop: string, owes: keyof typeof CHAT): Case => ({
  code,
  kind,
  start,
  stop,
  owes,
  at: [DAY - 90, DAY, 2 * DAY, 3 * DAY],
});
const acknowledge = (kind: Kind, owes: keyof typeof CHAT) => oneWorkingDay(`${kind}.acknowledge`, kind, 'dispatched', 'accepted', owes);
// A helper's part of a joint order, as the row stands (each part carries its own limit: see 120_part_clocks.sql).
const assist = (kind: Kind, owes: keyof typeof CHAT) => oneWorkingDay(`${kind}.assist`, kind, 'assist_assigned', 'assist_replied', owes);
const CASES: Case[] = [
  { code: 'repair.dispatch', kind: 'repair', start: 'created', stop: 'dispatched', owes: 'desk', at: [3, 5, 10, 15] },
  { code: 'repair.acknowledge', kind: 'repair', start: 'dispatched', stop: 'accepted', owes: 'chengguan', at: [3, 5, 10, 15] },
  { code: 'repair.arrival.urban', kind: 'repair', areaClass: 'urban', start: 'dispatched', stop: 'arrived', owes: 'chengguan', at: [36, 45, 60, 75] },
  { code: 'repair.arrival.rural', kind: 'repair', areaClass: 'rural', start: 'dispatched', stop: 'arrived', owes: 'chengguan', at: [72, 90, 120, 150] },
  { code: 'repair.arrival.remote', kind: 'repair', areaClass: 'remote', start: 'dispatched', stop: 'arrived', owes: 'chengguan', at: [96, 120, 150, 180] },
  { code: 'repair.onsite_report', kind: 'repair', start: 'arrived', stop: 'onsite_reported', owes: 'chengguan', at: [15, 20, 30, 40] },
  { code: 'repair.city_report', kind: 'repair', start: 'arrived', stop: 'city_reported', owes: 'chengguan', at: [24, 30, 40, 50] },
  { code: 'repair.redispatch', kind: 'repair', start: 'returned', stop: 'dispatched', owes: 'desk', at: [3, 5, 10, 15] },
  { code: 'repair.restore', kind: 'repair', start: 'linked', stop: 'restored', owes: 'desk', at: [180, 240, 300, 360] },
  workOrder('complaint'),
  workOrder('report'),
  workOrder('suggestion'),
  workOrder('praise'),
  acknowledge('complaint', 'marketing'),
  acknowledge('report', 'politics'),
  acknowledge('suggestion', 'marketing'),
  acknowledge('praise', 'marketing'),
  rehand('complaint'),
  rehand('report'),
  rehand('suggestion'),
  rehand('praise'),
  assist('complaint', 'marketing'),
  assist('report', 'politics'),
  assist('suggestion', 'marketing'),
  assist('praise', 'marketing'),
  // 5 working days: due Tuesday 1 Dec, warned the working day before (Monday 30 Nov 14:00), then Wednesday and Thursday.
  { code: 'complaint.resolve', kind: 'complaint', start: 'dispatched', stop: 'answered', owes: 'marketing', at: [6 * DAY + 240, 7 * DAY, 8 * DAY, 9 * DAY] },
  // 10 working days: due Tuesday 8 Dec, warned Monday 7 Dec 14:00, escalations 2 working days apart.
  { code: 'report.resolve', kind: 'report', start: 'dispatched', stop: 'answered', owes: 'politics', at: [13 * DAY + 240, 14 * DAY, 16 * DAY, 20 * DAY] },
  // An inquiry passed to a specialist, when the desk sets no limit of its own: 1 working day, like a department's return.
  { code: 'inquiry.specialist', kind: 'inquiry', start: 'referred', stop: 'answered', owes: 'marketing', at: [DAY - 90, DAY, 2 * DAY, 3 * DAY] },
  // 业扩 plan reply by class, from acceptance. 3 working days: due Friday 27 Nov; the 0.8 warning (Thursday 19:36) waits
  // for 08:30 on Friday; escalations one working day apart (Monday 30 Nov, Tuesday 1 Dec).
  connection('connection.plan.residential', 'residential', 'created', 'plan_answered', [3 * DAY - 90, 3 * DAY, 6 * DAY, 7 * DAY]),
  // 7 working days: due Thursday 3 Dec; warned Wednesday 14:00.
  connection('connection.plan.low_voltage', 'low_voltage', 'created', 'plan_answered', [8 * DAY + 240, 9 * DAY, 10 * DAY, 13 * DAY]),
  // 15 working days: due Tuesday 15 Dec; warned Monday 14 Dec 14:00; escalations two working days apart.
  connection('connection.plan.hv_single', 'hv_single', 'created', 'plan_answered', [20 * DAY + 240, 21 * DAY, 23 * DAY, 27 * DAY]),
  // 30 working days, across New Year's Day 2027 (provisionally off until the 2027 notice is confirmed): due Wednesday
  // 6 January, warned Tuesday 5 January 14:00; escalations three working days apart.
  connection('connection.plan.hv_dual', 'hv_dual', 'created', 'plan_answered', [42 * DAY + 240, 43 * DAY, 48 * DAY, 51 * DAY]),
  // Power-on after the acceptance inspection: residential 3, non-residential 5 working days.
  connection('connection.power_on.residential', 'residential', 'inspected', 'powered', [3 * DAY - 90, 3 * DAY, 6 * DAY, 7 * DAY]),
  connection('connection.power_on.non_residential', 'hv_single', 'inspected', 'powered', [6 * DAY + 240, 7 * DAY, 8 * DAY, 9 * DAY]),
  // Rework of a repair (the crew) and the desk's review of every reply: one working day each (151_step_clocks.sql).
  oneWorkingDay('repair.rework', 'repair', 'sent_back', 'completed', 'chengguan'),
  ...(['repair', 'complaint', 'report', 'suggestion', 'praise'] as const).map((kind) => oneWorkingDay(`${kind}.review`, kind, 'completed', 'approved', 'desk')),
];

function connection(code: string, connectionClass: ConnectionClass, start: string, stop: string, at: Case['at']): Case {
  return { code, kind: 'connection', connectionClass, start, stop, owes: 'marketing', at };
}

const STEPS = ['warn', 'breach', 'unit_leader', 'company_leader'] as const;

/** Tuesday 24 November 2026, 10:00 in Shanghai, where every case starts. */
const START = new Date('2026-11-24T10:00:00+08:00');
let app: SlaOnly;
beforeAll(async () => {
  app = await startSlaEngine();
});
afterAll(() => app.stop());

async function clockOf(app: SlaOnly, ticketId: number, code: string) {
  return app.ctx.db
    .selectFrom('sla_clocks as c')
    .innerJoin('sla_policies as p', 'p.id', 'c.policy_id')
    .select(['c.id', 'c.due_at', 'c.stopped_at', 'c.stop_event'])
    .where('c.ticket_id', '=', ticketId)
    .where('p.code', '=', code)
    .executeTakeFirstOrThrow();
}

/**
 * The service's SLA engine, without HTTP, Agenda or WeCom, emptied for each case: what fires, when and to whom is
 * decided by the clocks, the timers and the sweep, which are all real here (the whole service's path is walked in
 * story.test.ts and ten-limits.test.ts).
 */
async function setUp(): Promise<SlaOnly> {
  await app.reset(START);
  return app;
}

describe('every seeded time limit', () => {
  it('covers the seeded, enabled policies', async () => {
    const app = await setUp();
    // What GET /api/sla-policies answers (sla/api.test.ts walks the route itself).
    const policies = await listPolicies(app.ctx.db);
    expect(policies.filter((p) => p.enabled).map((p) => p.code).sort()).toEqual(CASES.map((c) => c.code).sort());
  });

  it.each(CASES)('$code warns, breaches, escalates to the unit leader then the company leader', async (c) => {
    const app = await setUp();
    const ticket = await openTicket(app.ctx.db, app.clock.now(), c.kind, {
      areaClass: c.areaClass ?? 'urban',
      unitId: OWNER[c.kind],
      ...(c.connectionClass ? { connectionClass: c.connectionClass } : {}),
    });
    const t0 = app.clock.nowMs();
    await tell(app, ticket, c.start);
    const mine = async () => (await nags(app.ctx.db, ticket.no)).filter((n) => n.policy === c.code);

    // Repairs and 举报 go to the head of the company (no leader's title names 思想政治工作部 here); other work orders
    // to the leader in charge of marketing.
    const leaderOfCompany = c.kind === 'repair' || c.kind === 'report' ? 'gm_he' : 'vp_feng';
    const expected = [
      { chatId: CHAT[c.owes], mentions: [...ON_DUTY[c.owes]] },
      { chatId: CHAT[c.owes], mentions: [...ON_DUTY[c.owes]] },
      { chatId: CHAT[c.owes], mentions: [LEADER[c.owes]] },
      { chatId: 'chat-leaders', mentions: [leaderOfCompany] },
    ];
    for (const [i, minutes] of c.at.entries()) {
      await advance([app], [app.clock], t0 + (minutes - 1) * MINUTE - app.clock.nowMs());
      expect((await mine()).length, `nothing before ${STEPS[i]}`).toBe(i);
      await advance([app], [app.clock], MINUTE);
      const sent = await mine();
      expect(sent.length, `${STEPS[i]} at ${minutes} min`).toBe(i + 1);
      // A step that shares its sweep with another clock's (on-site and city reports both run from arrival) shares its
      // chat's one message, whose @ wakes the people of both.
      expect(sent[i]).toMatchObject({ step: STEPS[i], chatId: expected[i]!.chatId });
      expect(sent[i]!.mentions).toEqual(expect.arrayContaining(expected[i]!.mentions));
      expect(sent[i]!.text).toContain(ticket.no);
      expect(sent[i]!.text).toMatch(i === 0 ? /还剩|到期/ : /超时|已到时限/);
    }
    await advance([app], [app.clock], 30 * DAY * MINUTE);
    expect(await mine()).toHaveLength(4);
    const clock = await clockOf(app, ticket.id, c.code);
    expect(clock).toMatchObject({ due_at: new Date(t0 + c.at[1] * MINUTE), stopped_at: null });
    // The ticket carries the first deadline it missed (another limit started by the same event may come first).
    const row = await app.ctx.db.selectFrom('tickets').select('overdue_at').where('id', '=', ticket.id).executeTakeFirstOrThrow();
    expect(row.overdue_at!.getTime()).toBeLessThanOrEqual(clock.due_at.getTime());
  });

  it.each(CASES)('$code stops when the awaited event comes', async (c) => {
    const app = await setUp();
    const ticket = await openTicket(app.ctx.db, app.clock.now(), c.kind, {
      areaClass: c.areaClass ?? 'urban',
      unitId: OWNER[c.kind],
      ...(c.connectionClass ? { connectionClass: c.connectionClass } : {}),
    });
    const t0 = app.clock.nowMs();
    await tell(app, ticket, c.start);
    await advance([app], [app.clock], t0 + (c.at[1] - 1) * MINUTE - app.clock.nowMs());
    await tell(app, ticket, c.stop);
    await advance([app], [app.clock], 30 * DAY * MINUTE);

    expect((await nags(app.ctx.db, ticket.no)).filter((n) => n.policy === c.code).map((n) => n.step)).toEqual(['warn']);
    const clock = await clockOf(app, ticket.id, c.code);
    expect(clock.stop_event).toBe(c.stop);
    expect(clock.stopped_at!.getTime()).toBeLessThan(clock.due_at.getTime());
    const steps = await app.ctx.db.selectFrom('sla_timers').select(['step', 'fired_at']).where('clock_id', '=', clock.id).execute();
    expect(steps.map((t) => t.step)).toEqual(['warn']);
  });
});
