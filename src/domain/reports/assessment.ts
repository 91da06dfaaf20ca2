import type { Executor } from '../../db/database';
import { fromShanghai, shanghaiDate } from '../../calendar/calendar';
import type { Org } from '../org';
import { listPolicies, type SlaPolicy } from '../sla/policies';
import { slaRecordByUnit, type UnitRecord } from '../sla/overdue';

/**
 * The monthly assessment of each unit and department (DESIGN §1 "Assessment"): how often it met its time limits and
 * how satisfied its customers were, on a 100-point score.
 *
 * Measured: arrival on site (repairs), handling of complaints, reports, suggestions and praise (acknowledge, resolve),
 * the desk's own dispatch and work-order limits, and satisfaction from the revisits.
 * Not tracked yet, so not assessed: notice lead times for planned outages, connection (报装接电) time limits, and the
 * repair limits that are neither arrival nor dispatch (接单或退回, 现场报告).
 */

export type Category = 'arrival' | 'handling' | 'dispatch';
export type Grade = '优秀' | '合格' | '不合格';

/**
 * The one mapping from time limit to assessment category, read from the policy row: the desk's own limits are
 * dispatch; a repair limit awaiting arrival is arrival; the owner's limits on the work-order kinds are handling.
 * Anything else (null) counts toward no category.
 */
export function categoryOf(policy: Pick<SlaPolicy, 'kind' | 'responsible' | 'stopEvents'>): Category | null {
  if (policy.responsible === 'desk') return 'dispatch';
  if (policy.kind === 'repair') return policy.stopEvents.includes('arrived') ? 'arrival' : null;
  if (policy.kind === 'inquiry' || policy.kind === 'query') return null;
  return 'handling';
}

export interface Timeliness {
  met: number;
  missed: number;
  /** met / (met + missed), to four decimals. */
  rate: number;
}

export interface Satisfaction {
  satisfied: number;
  fair: number;
  dissatisfied: number;
  /** (satisfied + 0.5 × fair) / revisited, to four decimals. */
  rate: number;
}

export interface UnitAssessment {
  unitId: string;
  name: string;
  /** The unit's type in the organisation; null for a unit no longer in it that still has a record this month. */
  type: string | null;
  categories: Partial<Record<Category, Timeliness>> & { satisfaction?: Satisfaction };
  /** Average of the available category rates × 100, one decimal; null when nothing was measured. */
  score: number | null;
  grade: Grade | null;
}

export interface SatisfactionCount {
  unitId: string | null;
  satisfaction: 'satisfied' | 'fair' | 'dissatisfied';
  count: number;
}

export interface ScoreInput {
  units: { id: string; name: string; type: string }[];
  /** The desk's unit id: records without a unit (null) are the desk's. */
  deskUnitId: string;
  records: UnitRecord[];
  /** Policy code → category (see `categoryOf`). */
  categories: Map<string, Category | null>;
  satisfaction: SatisfactionCount[];
}

export function gradeOf(score: number): Grade {
  if (score >= 90) return '优秀';
  if (score >= 70) return '合格';
  return '不合格';
}

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

/** Pure: the figures per unit, in the organisation's order, then any unit no longer in it that has a record. */
export function scoreUnits(input: ScoreInput): UnitAssessment[] {
  const timeliness = new Map<string, Map<Category, { met: number; missed: number }>>();
  const satisfaction = new Map<string, { satisfied: number; fair: number; dissatisfied: number }>();
  const seen: string[] = [];
  const note = (unitId: string) => {
    if (!seen.includes(unitId)) seen.push(unitId);
  };

  for (const record of input.records) {
    const category = input.categories.get(record.policyCode);
    if (!category || record.met + record.missed === 0) continue;
    const unitId = record.unitId ?? input.deskUnitId;
    note(unitId);
    const byCategory = timeliness.get(unitId) ?? new Map<Category, { met: number; missed: number }>();
    const sum = byCategory.get(category) ?? { met: 0, missed: 0 };
    sum.met += record.met;
    sum.missed += record.missed;
    byCategory.set(category, sum);
    timeliness.set(unitId, byCategory);
  }
  for (const row of input.satisfaction) {
    if (row.count === 0) continue;
    const unitId = row.unitId ?? input.deskUnitId;
    note(unitId);
    const sum = satisfaction.get(unitId) ?? { satisfied: 0, fair: 0, dissatisfied: 0 };
    sum[row.satisfaction] += row.count;
    satisfaction.set(unitId, sum);
  }

  const known = new Set(input.units.map((unit) => unit.id));
  const units = [
    ...input.units,
    ...seen.filter((id) => !known.has(id)).map((id) => ({ id, name: id, type: null as string | null })),
  ];
  return units.map((unit) => {
    const categories: UnitAssessment['categories'] = {};
    const rates: number[] = [];
    for (const [category, { met, missed }] of timeliness.get(unit.id) ?? []) {
      const rate = met / (met + missed);
      categories[category] = { met, missed, rate: round(rate, 4) };
      rates.push(rate);
    }
    const revisits = satisfaction.get(unit.id);
    if (revisits) {
      const rate = (revisits.satisfied + 0.5 * revisits.fair) / (revisits.satisfied + revisits.fair + revisits.dissatisfied);
      categories.satisfaction = { ...revisits, rate: round(rate, 4) };
      rates.push(rate);
    }
    const score = rates.length === 0 ? null : round((rates.reduce((a, b) => a + b, 0) / rates.length) * 100, 1);
    return { unitId: unit.id, name: unit.name, type: unit.type, categories, score, grade: score === null ? null : gradeOf(score) };
  });
}

/** A Shanghai month, YYYY-MM, as the instants [from, to). */
export function monthBounds(month: string): { from: Date; to: Date } {
  const [year, mm] = month.split('-').map(Number) as [number, number];
  const next = mm === 12 ? `${year + 1}-01` : `${year}-${String(mm + 1).padStart(2, '0')}`;
  return { from: fromShanghai(`${month}-01`), to: fromShanghai(`${next}-01`) };
}

/** The month before the one `now` falls in, in Shanghai. */
export function previousMonth(now: Date): string {
  const [year, mm] = shanghaiDate(now).split('-').map(Number) as [number, number];
  return mm === 1 ? `${year - 1}-12` : `${year}-${String(mm - 1).padStart(2, '0')}`;
}

export interface MonthlyAssessment {
  month: string;
  from: Date;
  to: Date;
  units: UnitAssessment[];
}

/**
 * The assessment of one month: deadlines falling in it (met, or missed by `now`), and revisits recorded in it,
 * counted for the unit that owned the ticket.
 */
export async function assessMonth(db: Executor, org: Org, month: string, now: Date): Promise<MonthlyAssessment> {
  const { from, to } = monthBounds(month);
  const [policies, records, satisfaction] = await Promise.all([
    listPolicies(db),
    slaRecordByUnit(db, { from, to, now }),
    revisitsByUnit(db, from, to),
  ]);
  const units = scoreUnits({
    units: org.doc.units.map((unit) => ({ id: unit.id, name: unit.name, type: unit.type })),
    deskUnitId: org.desk.id,
    records,
    categories: new Map(policies.map((policy) => [policy.code, categoryOf(policy)])),
    satisfaction,
  });
  return { month, from, to, units };
}

/** Satisfaction recorded by revisits in [from, to), per owning unit. */
async function revisitsByUnit(db: Executor, from: Date, to: Date): Promise<SatisfactionCount[]> {
  const rows = await db
    .selectFrom('tickets as k')
    .innerJoin('ticket_events as e', 'e.ticket_id', 'k.id')
    .select(['k.owner_unit_id', 'k.satisfaction', (eb) => eb.fn.count<string>('k.id').distinct().as('n')])
    .where('e.type', '=', 'revisited')
    .where('e.at', '>=', from)
    .where('e.at', '<', to)
    .where('k.satisfaction', 'is not', null)
    .groupBy(['k.owner_unit_id', 'k.satisfaction'])
    .execute();
  return rows.map((row) => ({
    unitId: row.owner_unit_id,
    satisfaction: row.satisfaction as SatisfactionCount['satisfaction'],
    count: Number(row.n),
  }));
}
