import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orgSchema } from '../src/domain/org';
import { improvementsFrom } from '../src/domain/reports/analysis';
import { HIGH_VOLTAGE_FROM_KV, SLA_POLICIES } from '../src/domain/regulation';
import { figureOf, LIMITS, limitName, type PolicyFigure } from '../src/domain/sla/limits';
import { listPolicies } from '../src/domain/sla/policies';
import { createTestDatabase, type TestDatabase } from './support/db';

/**
 * src/domain/regulation.ts is where a reader finds the regulation's figures; the migrations seed the same rows in SQL.
 * Checked here on a freshly migrated database, and the names built from the rows, without the service.
 */
let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

describe('the seeded time limits', () => {
  it('are, row by row and field by field, the rules of src/domain/regulation.ts', async () => {
    const seeded = (await listPolicies(database.db)).map(({ id: _id, ...rule }) => rule);
    expect(seeded.sort((a, b) => a.code.localeCompare(b.code))).toEqual([...SLA_POLICIES].sort((a, b) => a.code.localeCompare(b.code)));
  });
});

describe('the routing threshold', () => {
  it("is the regulation's 35 kV in the example organisation, and the default of one that leaves it out", async () => {
    const example = orgSchema.parse(JSON.parse(await readFile(new URL('../config/org.example.json', import.meta.url), 'utf8')));
    expect(example.routing.highVoltage.fromKv).toBe(HIGH_VOLTAGE_FROM_KV);
    const { fromKv: _, ...withoutThreshold } = example.routing.highVoltage;
    const parsed = orgSchema.parse({ ...example, routing: { ...example.routing, highVoltage: withoutThreshold } });
    expect(parsed.routing.highVoltage.fromKv).toBe(35);
  });
});

describe('the names of the limits', () => {
  const rows: PolicyFigure[] = SLA_POLICIES.map(({ code, limitAmount, limitUnit }) => ({ code, limitAmount, limitUnit }));
  const named = (policies: PolicyFigure[]) => Object.fromEntries(LIMITS.map((limit) => [limit.id, limitName(limit, policies)]));

  it('state the seeded figures as the regulation words them', () => {
    expect(named(rows)).toEqual({
      dispatch: '派工（5 分钟）',
      return: '不属管辖退回（5 分钟）',
      arrival: '到达现场（城市 45 / 农村 90 / 边远 120 分钟）',
      onsite_report: '向县公司客服班报告（20 分钟）',
      city_report: '向市公司95598客户服务中心报告（30 分钟）',
      work_order: '制作电子工单交办（30 分钟）',
      department_return: '部门不属本单位退回（1 个工作日）',
      handling: '投诉 5 / 举报 10 个工作日',
      notice_lead: '停电信息提前公布（计划 7 天 / 临时 24 小时）',
      connection_power_on: '业扩送电（居民 3 / 非居民 5 个工作日）',
      connection_plan: '供电方案答复（居民 3 / 低压 7 / 高压单电源 15 / 高压双电源 30 个工作日）',
    });
    expect(figureOf(rows, 'complaint.acknowledge')).toBe('1 个工作日');
  });

  it('follow an edited row, and say each unit when the figures no longer share one', () => {
    const edited = rows.map((row) =>
      row.code === 'repair.arrival.rural' ? { ...row, limitAmount: 80 } : row.code === 'repair.arrival.remote' ? { ...row, limitAmount: 1, limitUnit: 'working_days' as const } : row,
    );
    expect(named(edited).arrival).toBe('到达现场（城市 45 分钟 / 农村 80 分钟 / 边远 1 个工作日）');
  });
});

describe("the month's improvement points", () => {
  it('hold a department to the acknowledge limit in force', () => {
    const short = { count: 9, total: 10, rate: 0.9 };
    const full = { count: 10, total: 10, rate: 1 };
    const month = {
      month: '2026-11',
      workOrders: 10,
      accepted: short,
      handledInTime: full,
      answered: full,
      topCauses: [],
      repeatAddresses: [],
      overdueUnits: [],
      lateNotices: [{ no: 'TD20261101-0001', kind: '计划停电', area: '城关镇', leadHours: 20, requiredHours: 168 }],
      satisfaction: { satisfied: 0, fair: 0, dissatisfied: 0, rate: null },
      toAssess: [],
    };
    const rows: PolicyFigure[] = SLA_POLICIES.map(({ code, limitAmount, limitUnit }) => ({ code, limitAmount, limitUnit }));
    expect(improvementsFrom(month, rows)).toEqual([
      '受理率90.0%（1 件未达标），督促责任部门在 1 个工作日内接单或退回',
      '停电通知提前量不足 1 次，计划停电须提前 7 天、临时停电须提前 24 小时发布',
    ]);
    const edited = rows.map((row) => (row.code === 'complaint.acknowledge' ? { ...row, limitAmount: 2 } : row));
    expect(improvementsFrom(month, edited)[0]).toBe('受理率90.0%（1 件未达标），督促责任部门在 2 个工作日内接单或退回');
  });
});
