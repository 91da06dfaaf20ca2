import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MINUTE_MS } from '../../src/clock';
import { scoreUnits, type UnitAssessment } from '../../src/domain/reports/assessment';
import type { WorkOrderMonth } from '../../src/domain/reports/work-orders';
import { frozenClock } from '../support/app';
import { Chats } from '../tickets/chats';
import { CHAT, numberIn } from '../tickets/desk';

/**
 * November at the county: two faults in 城关镇 for the customer centre, one reached in time and one late, and a
 * complaint about 南溪供电所 handled within its limits; the customers called back are 满意 and 不满意. At the start of
 * December the leaders read the month's assessment.
 */
let chats: Chats;
beforeAll(async () => (chats = await Chats.open({}, frozenClock(new Date('2026-11-10T09:00:00+08:00')))), 60_000);
afterAll(() => chats.close());

async function passes(minutes: number): Promise<void> {
  chats.clock.advance(minutes * MINUTE_MS);
  await chats.app.jobs.services.sla.sweep();
}

type Assessment = { month: string; from: string; to: string; units: UnitAssessment[]; workOrders: WorkOrderMonth };

async function assessment(query: string): Promise<Assessment> {
  const response = await chats.app.api(`/api/reports/assessment${query}`);
  expect(response.status).toBe(200);
  return (await response.json()) as Assessment;
}

describe('the monthly assessment', () => {
  it('scores each unit on its limits met and its customers satisfied', async () => {
    // A fault reached in 20 minutes (limit 45), and the customer is satisfied.
    const quick = numberIn(await chats.say('wangfang', CHAT.desk, '/报修 城关镇 人民路12号 农贸市场对面 变压器冒烟 张三 13800000000'));
    await passes(2);
    expect(await chats.say('zhangwei', CHAT.khzx, `/接单 ${quick}`)).toContain(quick);
    await passes(18);
    expect(await chats.say('zhangwei', CHAT.khzx, `/到达 ${quick}`)).toContain(quick);
    await passes(10);
    expect(await chats.say('zhangwei', CHAT.khzx, `/完成 ${quick} 跌落式熔断器烧毁，已更换`)).toContain('已完成');
    expect(await chats.say('wangfang', CHAT.desk, `/审核 ${quick} 通过`)).toContain('已归档');
    expect(await chats.say('liumin', CHAT.desk, `/回访 ${quick} 满意 抢修及时`)).toContain('已回访');

    // A fault reached after 55 minutes: chased, and late.
    const slow = numberIn(await chats.say('wangfang', CHAT.desk, '/报修 城关镇 解放路8号 小学门口 一户没电 王五 13700000000'));
    await passes(2);
    expect(await chats.say('yangfan', CHAT.khzx, `/接单 ${slow}`)).toContain(slow);
    await passes(50);
    await chats.waitFor(CHAT.khzx, (e) => e.kind === 'markdown' && e.content.startsWith('【催办】') && e.content.includes(`【催办】${slow}`));
    expect(await chats.say('yangfan', CHAT.khzx, `/到达 ${slow}`)).toContain(slow);

    // A complaint acknowledged and resolved the same day; the customer is still not satisfied.
    const complaint = numberIn(await chats.say('wangfang', CHAT.desk, '/投诉 南溪供电所 抄表员态度恶劣 要求:当面道歉 李四 13900000000'));
    await passes(60);
    expect(await chats.say('zhengyong', CHAT.nanxi, `/接单 ${complaint}`)).toContain(complaint);
    await passes(120);
    expect(await chats.say('zhengyong', CHAT.nanxi, `/完成 ${complaint} 已上门当面道歉`)).toContain('已完成');
    expect(await chats.say('wangfang', CHAT.desk, `/审核 ${complaint} 通过`)).toContain('已归档');
    expect(await chats.say('wangfang', CHAT.desk, `/回复客户 ${complaint} 电话 抄表员已上门当面道歉`)).toContain('已答复');
    expect(await chats.say('liumin', CHAT.desk, `/回访 ${complaint} 不满意 道歉不诚恳`)).toContain('回访不满意，待客服班跟进');

    // December the 1st: the November assessment, and the previous month by default.
    chats.clock.freeze(new Date('2026-12-01T09:00:00+08:00'));
    const november = await assessment('?month=2026-11');
    expect(november).toMatchObject({ month: '2026-11', from: '2026-10-31T16:00:00.000Z', to: '2026-11-30T16:00:00.000Z' });
    const unit = (id: string) => november.units.find((u) => u.unitId === id);

    expect(unit('desk')).toEqual({
      unitId: 'desk',
      name: '客户服务班',
      type: 'desk',
      // The complaint's handling clock passed to the desk with the station's reply; the desk answered in time.
      categories: {
        dispatch: { met: 2, missed: 0, open: 0, rate: 1 },
        work_order: { met: 1, missed: 0, open: 0, rate: 1 },
        handling: { met: 1, missed: 0, open: 0, rate: 1 },
      },
      score: 100,
      grade: '优秀',
    });
    expect(unit('khzx')).toEqual({
      unitId: 'khzx',
      name: '客户中心',
      type: 'customer_centre',
      // Both accepted within 5 minutes; one arrival late; the slow crew never reported from site, to the county or the
      // city (the quick one completed within 20 minutes: a county report, and no city deadline reached).
      // (1 + 0.5 + 0.5 + 0 + 1) / 5 = 60.
      categories: {
        return: { met: 2, missed: 0, open: 0, rate: 1 },
        arrival: { met: 1, missed: 1, open: 0, rate: 0.5 },
        onsite_report: { met: 1, missed: 1, open: 0, rate: 0.5 },
        city_report: { met: 0, missed: 1, open: 0, rate: 0 },
        satisfaction: { satisfied: 1, fair: 0, dissatisfied: 0, rate: 1 },
      },
      score: 60,
      grade: '不合格',
    });
    expect(unit('nanxi')).toEqual({
      unitId: 'nanxi',
      name: '南溪供电所',
      type: 'supply_station',
      // Accepted in time and replied the same day, but the customer was not satisfied. (1 + 0) / 2 = 50.
      categories: {
        department_return: { met: 1, missed: 0, open: 0, rate: 1 },
        satisfaction: { satisfied: 0, fair: 0, dissatisfied: 1, rate: 0 },
      },
      score: 50,
      grade: '不合格',
    });
    // The three 100 % of the regulation, and the complaint as the monthly analysis reads it (no customer in it).
    expect(november.workOrders.units).toEqual([
      { unitId: 'nanxi', name: '南溪供电所', orders: 1, accepted: 1, handledInLimit: 1, answered: 1, rates: { accepted: 1, handledInLimit: 1, answered: 1 } },
    ]);
    expect(november.workOrders.orders).toEqual([
      {
        no: complaint,
        kind: 'complaint',
        unitId: 'nanxi',
        category: null,
        objectType: 'unit',
        object: '南溪供电所',
        cause: '抄表员态度恶劣',
        outcome: '回访不满意，待客服班跟进，不满意',
        overdue: false,
      },
    ]);
    // Every other unit is listed, with nothing to assess.
    expect(unit('qingshui')).toMatchObject({ categories: {}, score: null, grade: null });
    expect(november.units.map((u) => u.unitId)).toContain('leaders');

    const december = await assessment('');
    expect(december.month).toBe('2026-11');
    expect(december.units).toEqual(november.units);
    const october = await assessment('?month=2026-10');
    expect(october.units.every((u) => u.score === null && u.grade === null)).toBe(true);
  });

  it('refuses a month that does not exist, in Chinese, and strangers', async () => {
    const bad = await chats.app.api('/api/reports/assessment?month=2026-13');
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { error: { code: string; message: string } };
    expect(body.error).toMatchObject({ code: 'invalid_query', message: '查询参数不正确' });
    expect(JSON.stringify(body)).toContain('月份应为 YYYY-MM');

    expect((await chats.app.api('/api/reports/assessment?month=2026-11', { token: null })).status).toBe(401);
  });
});

describe('scoring', () => {
  const units = [
    { id: 'desk', name: '客户服务班', type: 'desk' },
    { id: 'a', name: '甲所', type: 'supply_station' },
  ];

  it('averages the available rates, counts 基本满意 as half, and grades at 90 and 70', () => {
    const [desk, a] = scoreUnits({
      units,
      deskUnitId: 'desk',
      records: [
        { unitId: null, policyCode: 'repair.dispatch', met: 9, missed: 1, open: 0 },
        { unitId: 'a', policyCode: 'repair.arrival.urban', met: 2, missed: 1, open: 0 },
        { unitId: 'a', policyCode: 'repair.onsite_report', met: 0, missed: 0, open: 2 },
      ],
      satisfaction: [
        { unitId: 'a', satisfaction: 'satisfied', count: 1 },
        { unitId: 'a', satisfaction: 'fair', count: 1 },
      ],
    });
    expect(desk).toMatchObject({ categories: { dispatch: { met: 9, missed: 1, open: 0, rate: 0.9 } }, score: 90, grade: '优秀' });
    // (2/3 + 0.75) / 2 = 0.70833…: a limit with only open deadlines is shown but not scored yet.
    expect(a).toMatchObject({
      categories: { arrival: { rate: 0.6667 }, satisfaction: { satisfied: 1, fair: 1, dissatisfied: 0, rate: 0.75 } },
      score: 70.8,
      grade: '合格',
    });
    expect(a!.categories.onsite_report).toEqual({ met: 0, missed: 0, open: 2, rate: null });
    expect(a!.categories).not.toHaveProperty('handling');
  });

  it('keeps the record of a unit no longer in the organisation', () => {
    const records = [{ unitId: 'gone', policyCode: 'repair.arrival.urban', met: 0, missed: 2, open: 0 }];
    const result = scoreUnits({ units, deskUnitId: 'desk', records, satisfaction: [] });
    expect(result.map((u) => [u.unitId, u.type, u.score, u.grade])).toEqual([
      ['desk', 'desk', null, null],
      ['a', 'supply_station', null, null],
      ['gone', null, 0, '不合格'],
    ]);
  });
});
