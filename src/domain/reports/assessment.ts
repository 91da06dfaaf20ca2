import type { Executor } from '../../db/database';
import { fromShanghai, shanghaiDate } from '../../calendar/calendar';
import type { Org } from '../org';
import { noticeLeadTime, type OutageKind } from '../outages';
import { NOTICE_LEAD_HOURS } from '../regulation';
import { limitOf, type LimitId } from '../sla/limits';
import { slaRecordByUnit, type UnitRecord } from '../sla/overdue';
import { workOrderMonth, type WorkOrderMonth } from './work-orders';

/**
 * The monthly assessment of each unit and department (DESIGN §1 "Assessment"): how often it met each time limit of the
 * regulation that applies to it (src/domain/sla/limits.ts) and how satisfied its customers were, on a 100-point score.
 *
 * Each limit is counted where it applies and for whom owed it: a repair returned as not ours counts for the return
 * limit of the returning unit and not as an arrival; a re-dispatch is measured for the new unit from the re-dispatch,
 * and the first unit keeps any breach it made; the desk's own limits (dispatch, re-dispatch, work order, notice lead)
 * come from the real events, so a returned ticket left lying costs the desk. A connection application counts for the unit
 * that handles it, by its class.
 */

export type Category = LimitId;
export type Grade = '优秀' | '合格' | '不合格';

export interface Timeliness {
  met: number;
  missed: number;
  /** Deadlines in the month not yet reached and not yet met. */
  open: number;
  /** met / (met + missed), to four decimals; null while nothing is decided. */
  rate: number | null;
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
  const timeliness = new Map<string, Map<Category, { met: number; missed: number; open: number }>>();
  const satisfaction = new Map<string, { satisfied: number; fair: number; dissatisfied: number }>();
  const seen: string[] = [];
  const note = (unitId: string) => {
    if (!seen.includes(unitId)) seen.push(unitId);
  };

  for (const record of input.records) {
    const category = record.limit ?? limitOf(record.policyCode)?.id;
    if (!category || record.met + record.missed + record.open === 0) continue;
    const unitId = record.unitId ?? input.deskUnitId;
    note(unitId);
    const byCategory = timeliness.get(unitId) ?? new Map<Category, { met: number; missed: number; open: number }>();
    const sum = byCategory.get(category) ?? { met: 0, missed: 0, open: 0 };
    sum.met += record.met;
    sum.missed += record.missed;
    sum.open += record.open;
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
    for (const [category, { met, missed, open }] of timeliness.get(unit.id) ?? []) {
      const rate = met + missed === 0 ? null : met / (met + missed);
      categories[category] = { met, missed, open, rate: rate === null ? null : round(rate, 4) };
      if (rate !== null) rates.push(rate);
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
  /** Complaints, reports, suggestions and praise: the three 100 % per unit, and each order for the analysis. */
  workOrders: WorkOrderMonth;
}

/**
 * The assessment of one month: deadlines falling in it (met, or missed by `now`), and revisits recorded in it,
 * counted for the unit that owned the ticket.
 */
export async function assessMonth(db: Executor, org: Org, month: string, now: Date): Promise<MonthlyAssessment> {
  const { from, to } = monthBounds(month);
  const [records, notices, satisfaction, workOrders] = await Promise.all([
    slaRecordByUnit(db, { from, to, now }),
    noticeLeadByUnit(db, org, from, to),
    revisitsByUnit(db, from, to),
    workOrderMonth(db, org, from, to, now),
  ]);
  const units = scoreUnits({
    units: org.doc.units.map((unit) => ({ id: unit.id, name: unit.name, type: unit.type })),
    deskUnitId: org.desk.id,
    records: [...records, ...notices],
    satisfaction,
  });
  return { month, from, to, units, workOrders };
}

/**
 * Outage notices published in [from, to) that need a lead time (planned, temporary), per the publisher's unit: met
 * when published early enough, missed when late (chapter 5, 三). A publisher in no unit counts for the desk.
 */
async function noticeLeadByUnit(db: Executor, org: Org, from: Date, to: Date): Promise<UnitRecord[]> {
  const outages = await db
    .selectFrom('outages')
    .select(['kind', 'starts_at', 'published_at', 'published_by'])
    .where('published_at', '>=', from)
    .where('published_at', '<', to)
    .where('kind', 'in', Object.keys(NOTICE_LEAD_HOURS) as OutageKind[])
    .execute();
  return outages.map((outage) => {
    const late = noticeLeadTime(outage).late;
    const unitId = org.unitsOf(outage.published_by)[0]?.id ?? null;
    return { unitId, policyCode: 'notice_lead', limit: 'notice_lead' as const, met: late ? 0 : 1, missed: late ? 1 : 0, open: 0 };
  });
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

/** A unit's deadlines missed in the month, over every limit: what puts it on the list of units to assess. */
export function missedOf(unit: UnitAssessment): number {
  return Object.entries(unit.categories).reduce((sum, [key, part]) => sum + (key === 'satisfaction' ? 0 : (part as Timeliness).missed), 0);
}
