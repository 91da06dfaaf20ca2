import { sql } from 'kysely';
import type { Executor } from '../../db/database';
import type { Org } from '../org';
import { noticeLeadTime, OUTAGE_KINDS } from '../outages';
import { NOTICE_LEAD_HOURS } from '../regulation';
import { figureOf, type PolicyFigure } from '../sla/limits';
import { listPolicies } from '../sla/policies';
import { KINDS } from '../tickets/machine';
import { assessMonth, missedOf, monthBounds } from './assessment';
import type { UnitRates } from './work-orders';

/**
 * The desk's monthly summary and analysis (chapter 2 items 7–8): the three 100 % targets for work orders, what people
 * called about, where they called from again and again, who ran late, which outage notices came late, how satisfied
 * customers were — and improvement points read off those figures.
 *
 * Definitions (the regulation names the targets, not the formulas):
 * - the month's work orders are the complaints, reports, suggestions and praise opened in it;
 * - 受理率: of those, the share the responsible unit accepted (or completed outright) by now;
 * - 按时办结率: the share completed with none of the unit's own limits missed (the 5 / 10 working days run to the
 *   answer to the customer, so a late answer is late handling);
 * - 答复率: the share whose customer was answered (答复客户 recorded);
 * - a cause is the work order's category, or its kind when it has none (repairs have no category).
 */

export interface Rate {
  count: number;
  total: number;
  /** count / total to four decimals; null when total is 0. */
  rate: number | null;
}

export interface MonthlyAnalysis {
  month: string;
  workOrders: number;
  accepted: Rate;
  handledInTime: Rate;
  answered: Rate;
  topCauses: { cause: string; count: number }[];
  repeatAddresses: { area: string | null; address: string; count: number; tickets: string[] }[];
  overdueUnits: { unitId: string | null; name: string; missed: number }[];
  lateNotices: { no: string; kind: string; area: string; leadHours: number; requiredHours: number }[];
  satisfaction: { satisfied: number; fair: number; dissatisfied: number; rate: number | null };
  /** The units with a missed limit this month, for 市场营销部 (chapter 5 item 4). */
  toAssess: { unitId: string; name: string; missed: number; score: number | null; grade: string | null }[];
  improvements: string[];
}

const rate = (count: number, total: number): Rate => ({
  count,
  total,
  rate: total === 0 ? null : Math.round((count / total) * 1e4) / 1e4,
});
export const percent = (value: number | null) => (value === null ? '—' : `${(value * 100).toFixed(1)}%`);

export async function analyseMonth(db: Executor, org: Org, month: string, now: Date): Promise<MonthlyAnalysis> {
  const { from, to } = monthBounds(month);
  const [causes, repeats, assessment, notices, satisfaction] = await Promise.all([
    db
      .selectFrom('tickets')
      .select(['kind', 'category', sql<number>`count(*)::int`.as('count')])
      .where('kind', 'not in', ['inquiry', 'query'])
      .where('created_at', '>=', from)
      .where('created_at', '<', to)
      .groupBy(['kind', 'category'])
      .execute(),
    db
      .selectFrom('tickets')
      .select([
        'area',
        'address_key',
        sql<string>`min(address)`.as('address'),
        sql<number>`count(*)::int`.as('count'),
        sql<string[]>`array_agg(no ORDER BY no)`.as('tickets'),
      ])
      .where('address_key', 'is not', null)
      .where('created_at', '>=', from)
      .where('created_at', '<', to)
      .groupBy(['area', 'address_key'])
      .having(sql`count(*)`, '>=', 2)
      .orderBy(sql`count(*)`, 'desc')
      .orderBy('area')
      .execute(),
    assessMonth(db, org, month, now),
    db.selectFrom('outages').selectAll().where('published_at', '>=', from).where('published_at', '<', to).orderBy('published_at').execute(),
    db
      .selectFrom('tickets as k')
      .select(['k.satisfaction', sql<number>`count(DISTINCT k.id)::int`.as('count')])
      .where(sql<boolean>`EXISTS (SELECT 1 FROM ticket_events e WHERE e.ticket_id = k.id AND e.type = 'revisited' AND e.at >= ${from} AND e.at < ${to})`)
      .where('k.satisfaction', 'is not', null)
      .groupBy('k.satisfaction')
      .execute(),
  ]);

  const causeCounts = new Map<string, number>();
  for (const row of causes) {
    const cause = row.category ?? KINDS[row.kind].name;
    causeCounts.set(cause, (causeCounts.get(cause) ?? 0) + row.count);
  }
  const sat = { satisfied: 0, fair: 0, dissatisfied: 0 };
  for (const row of satisfaction) if (row.satisfaction) sat[row.satisfaction] += row.count;
  const revisited = sat.satisfied + sat.fair + sat.dissatisfied;


  const overdueUnits = assessment.units
    .map((unit) => ({ unitId: unit.unitId === org.desk.id ? null : unit.unitId, name: unit.name, missed: missedOf(unit) }))
    .filter((unit) => unit.missed > 0)
    .sort((a, b) => b.missed - a.missed);
  const lateNotices = notices.flatMap((outage) => {
    const lead = noticeLeadTime(outage);
    return lead.late
      ? [{ no: outage.no, kind: OUTAGE_KINDS[outage.kind], area: outage.areas.join('、'), leadHours: lead.leadHours, requiredHours: lead.requiredHours! }]
      : [];
  });

  // The company's three 100 %: the sum of each unit's (assessment.ts, work-orders.ts).
  const sum = (pick: (unit: UnitRates) => number) => assessment.workOrders.units.reduce((total, unit) => total + pick(unit), 0);
  const targets = { total: sum((u) => u.orders), accepted: sum((u) => u.accepted), handled: sum((u) => u.handledInLimit), answered: sum((u) => u.answered) };
  const analysis: Omit<MonthlyAnalysis, 'improvements'> = {
    month,
    workOrders: targets.total,
    accepted: rate(targets.accepted, targets.total),
    handledInTime: rate(targets.handled, targets.total),
    answered: rate(targets.answered, targets.total),
    topCauses: [...causeCounts].map(([cause, count]) => ({ cause, count })).sort((a, b) => b.count - a.count || a.cause.localeCompare(b.cause)).slice(0, 5),
    repeatAddresses: repeats.map((row) => ({ area: row.area, address: row.address, count: row.count, tickets: row.tickets })),
    overdueUnits: overdueUnits.slice(0, 5),
    lateNotices,
    satisfaction: { ...sat, rate: revisited === 0 ? null : Math.round(((sat.satisfied + 0.5 * sat.fair) / revisited) * 1e4) / 1e4 },
    toAssess: assessment.units
      .filter((unit) => missedOf(unit) > 0)
      .map((unit) => ({ unitId: unit.unitId, name: unit.name, missed: missedOf(unit), score: unit.score, grade: unit.grade })),
  };
  return { ...analysis, improvements: improvementsFrom(analysis, await listPolicies(db)) };
}

/** Improvement points, each read off one figure that fell short; none when everything met its target. */
/** `policies`: the rows in force, whose limits the points state. */
export function improvementsFrom(a: Omit<MonthlyAnalysis, 'improvements'>, policies: readonly PolicyFigure[]): string[] {
  const points: string[] = [];
  const short = (r: Rate, what: string, fix: string) => {
    if (r.rate !== null && r.rate < 1) points.push(`${what}${percent(r.rate)}（${r.total - r.count} 件未达标），${fix}`);
  };
  short(a.accepted, '受理率', `督促责任部门在 ${figureOf(policies, 'complaint.acknowledge') || '时限'}内接单或退回`);
  short(a.handledInTime, '按时办结率', '对临期工单提前催办，查明超时原因并纳入考核');
  short(a.answered, '答复率', '客服班对已办结工单及时答复客户');
  const worst = a.overdueUnits[0];
  if (worst) points.push(`${worst.name}超时 ${worst.missed} 项，居各单位之首，请单位负责人分析原因、落实整改`);
  const repeat = a.repeatAddresses[0];
  if (repeat) points.push(`${repeat.area ?? ''}${repeat.address}本月重复报修 ${repeat.count} 次，建议安排设备隐患排查`);
  if (a.lateNotices.length) points.push(`停电通知提前量不足 ${a.lateNotices.length} 次，计划停电须提前 ${NOTICE_LEAD_HOURS.planned! / 24} 天、临时停电须提前 ${NOTICE_LEAD_HOURS.temporary} 小时发布`);
  if (a.satisfaction.dissatisfied) points.push(`回访不满意 ${a.satisfaction.dissatisfied} 件，请逐件回溯服务过程`);
  const cause = a.topCauses[0];
  if (cause && cause.count >= 3) points.push(`「${cause.cause}」共 ${cause.count} 件，最为集中，建议针对性改进`);
  return points;
}
