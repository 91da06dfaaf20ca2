import { sql } from 'kysely';
import type { Executor } from '../../db/database';
import type { Org } from '../org';
import { clockMet, clockMissed } from '../sla/overdue';
import { KINDS } from '../tickets/machine';
import { monthBounds } from './assessment';
import { limitLabel } from './board';

/**
 * The figures behind the console's charts and the assessment drill-down, all over deadlines falling in a month:
 * a deadline is met when its awaited event came in time, missed when it came late or has not come by now.
 */


export interface UnitLimitRates {
  units: string[];
  limits: string[];
  /** rates[limit][unit]: percent met, one decimal; null where the unit had no such deadline. */
  rates: (number | null)[][];
}

/** Timeliness per unit per limit (arrival limits of the three area classes count as one: 到达现场). */
export async function unitLimitRates(db: Executor, org: Org, month: string, now: Date): Promise<UnitLimitRates> {
  const { from, to } = monthBounds(month);
  const rows = await db
    .selectFrom('sla_clocks as c')
    .innerJoin('sla_policies as p', 'p.id', 'c.policy_id')
    .select([
      'c.unit_id',
      'p.awaited_text',
      sql<number>`count(*) FILTER (WHERE ${clockMet})::int`.as('met'),
      sql<number>`count(*) FILTER (WHERE ${clockMissed(now)})::int`.as('missed'),
    ])
    .where('c.due_at', '>=', from)
    .where('c.due_at', '<', to)
    .groupBy(['c.unit_id', 'p.awaited_text'])
    .execute();
  const counted = rows.filter((row) => row.met + row.missed > 0);
  const unitIds = org.doc.units.map((u) => u.id).filter((id) => counted.some((row) => (row.unit_id ?? org.desk.id) === id));
  const limits = [...new Set(counted.map((row) => row.awaited_text))].sort();
  const sums = new Map<string, { met: number; missed: number }>();
  for (const row of counted) {
    const key = `${row.unit_id ?? org.desk.id}|${row.awaited_text}`;
    const sum = sums.get(key) ?? { met: 0, missed: 0 };
    sum.met += row.met;
    sum.missed += row.missed;
    sums.set(key, sum);
  }
  return {
    units: unitIds.map((id) => org.unit(id).name),
    limits,
    rates: limits.map((limit) =>
      unitIds.map((id) => {
        const sum = sums.get(`${id}|${limit}`);
        return sum ? Math.round((sum.met / (sum.met + sum.missed)) * 1000) / 10 : null;
      }),
    ),
  };
}

/** Missed deadlines of the month by the limit missed: what the overdue was about. */
export async function overdueByCause(db: Executor, month: string, now: Date): Promise<{ cause: string; count: number }[]> {
  const { from, to } = monthBounds(month);
  return db
    .selectFrom('sla_clocks as c')
    .innerJoin('sla_policies as p', 'p.id', 'c.policy_id')
    .select(['p.awaited_text as cause', sql<number>`count(*)::int`.as('count')])
    .where('c.due_at', '>=', from)
    .where('c.due_at', '<', to)
    .where(clockMissed(now))
    .groupBy('p.awaited_text')
    .orderBy(sql`count(*)`, 'desc')
    .orderBy('p.awaited_text')
    .execute();
}

export interface TrendPoint {
  month: string;
  opened: number;
  met: number;
  missed: number;
}

/** The `months` months up to and including `month`: tickets opened, deadlines met and missed. */
export async function monthlyTrend(db: Executor, month: string, now: Date, months = 6): Promise<TrendPoint[]> {
  const list: string[] = [month];
  while (list.length < months) {
    const [y, m] = list[0]!.split('-').map(Number) as [number, number];
    list.unshift(m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`);
  }
  const from = monthBounds(list[0]!).from;
  const to = monthBounds(month).to;
  const monthOf = (column: string) => sql<string>`to_char(${sql.ref(column)} AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM')`;
  const [opened, deadlines] = await Promise.all([
    db
      .selectFrom('tickets')
      .select([monthOf('created_at').as('month'), sql<number>`count(*)::int`.as('n')])
      .where('created_at', '>=', from)
      .where('created_at', '<', to)
      .groupBy(sql`1`)
      .execute(),
    db
      .selectFrom('sla_clocks as c')
      .innerJoin('sla_policies as p', 'p.id', 'c.policy_id')
      .select([
        monthOf('c.due_at').as('month'),
        sql<number>`count(*) FILTER (WHERE ${clockMet})::int`.as('met'),
        sql<number>`count(*) FILTER (WHERE ${clockMissed(now)})::int`.as('missed'),
      ])
      .where('c.due_at', '>=', from)
      .where('c.due_at', '<', to)
      .groupBy(sql`1`)
      .execute(),
  ]);
  return list.map((m) => {
    const d = deadlines.find((row) => row.month === m);
    return { month: m, opened: opened.find((row) => row.month === m)?.n ?? 0, met: d?.met ?? 0, missed: d?.missed ?? 0 };
  });
}

export interface CostlyTicket {
  no: string;
  kindName: string;
  limit: string;
  unitName: string;
  dueAt: Date;
  /** When the awaited event came, or null when it still has not. */
  stoppedAt: Date | null;
  lateMs: number;
}

/** The tickets that cost a unit points in a month (every unit when `unitId` is left out): their missed deadlines. */
export async function costlyTickets(db: Executor, org: Org, month: string, now: Date, unitId?: string): Promise<CostlyTicket[]> {
  const { from, to } = monthBounds(month);
  let query = db
    .selectFrom('sla_clocks as c')
    .innerJoin('sla_policies as p', 'p.id', 'c.policy_id')
    .innerJoin('tickets as k', 'k.id', 'c.ticket_id')
    .select(['k.no', 'k.kind', 'c.unit_id', 'c.due_at', 'c.stopped_at', 'p.awaited_text', 'p.since_text', 'c.limit_amount', 'c.limit_unit'])
    .where('c.due_at', '>=', from)
    .where('c.due_at', '<', to)
    .where(clockMissed(now));
  if (unitId) query = unitId === org.desk.id ? query.where('c.unit_id', 'is', null) : query.where('c.unit_id', '=', unitId);
  const rows = await query.orderBy('c.due_at').orderBy('k.no').execute();
  return rows.map((row) => ({
    no: row.no,
    kindName: KINDS[row.kind].name,
    limit: limitLabel(row),
    unitName: row.unit_id === null ? org.desk.name : (org.doc.units.find((u) => u.id === row.unit_id)?.name ?? row.unit_id),
    dueAt: row.due_at,
    stoppedAt: row.stopped_at,
    lateMs: (row.stopped_at ?? now).getTime() - row.due_at.getTime(),
  }));
}
