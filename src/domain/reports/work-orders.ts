import { sql } from 'kysely';
import type { Executor } from '../../db/database';
import type { Org } from '../org';
import { clockMissed } from '../sla/overdue';
import { SATISFACTION } from '../tickets/flow';
import { STATES, WORK_ORDER_KINDS, type State } from '../tickets/machine';

/**
 * The regulation's three 100 % of complaints, reports, suggestions and praise (chapter 1, 二.6), per month and unit,
 * as the monthly analysis defines them (analysis.ts): the orders opened in the month, for the unit holding each now;
 * accepted (received or replied to by now), handled in time (replied to with none of the unit's own limits missed, the
 * 5 / 10 working days running to the answer to the customer) and answered (the customer's answer recorded).
 */
export interface UnitRates {
  unitId: string;
  name: string;
  orders: number;
  accepted: number;
  handledInLimit: number;
  answered: number;
  rates: { accepted: number; handledInLimit: number; answered: number };
}

/** One order as the monthly analysis reads it: category, object, cause and outcome, and nothing about the customer. */
export interface OrderFacts {
  no: string;
  kind: string;
  unitId: string | null;
  category: string | null;
  objectType: string | null;
  object: string | null;
  cause: string;
  outcome: string;
  overdue: boolean;
}

export interface WorkOrderMonth {
  units: UnitRates[];
  orders: OrderFacts[];
}

interface Row {
  no: string;
  kind: string;
  state: State;
  owner_unit_id: string | null;
  category: string | null;
  object_type: string | null;
  subject: string | null;
  description: string;
  satisfaction: keyof typeof SATISFACTION | null;
  overdue_at: Date | null;
  accepted: boolean;
  answered: boolean;
  in_limit: boolean;
}

export async function workOrderMonth(db: Executor, org: Org, from: Date, to: Date, now: Date): Promise<WorkOrderMonth> {
  const happened = (types: string[]) =>
    sql<boolean>`EXISTS (SELECT 1 FROM ticket_events e WHERE e.ticket_id = k.id AND e.type = ANY(${types}) AND e.at <= ${now})`;
  const ownerMissed = sql<boolean>`EXISTS (SELECT 1 FROM sla_clocks c WHERE c.ticket_id = k.id AND c.unit_id IS NOT NULL AND ${clockMissed(now)})`;
  const rows = (await db
    .selectFrom('tickets as k')
    .select(['k.no', 'k.kind', 'k.state', 'k.owner_unit_id', 'k.category', 'k.object_type', 'k.subject', 'k.description', 'k.satisfaction', 'k.overdue_at'])
    .select([
      happened(['accepted', 'completed']).as('accepted'),
      happened(['answered']).as('answered'),
      sql<boolean>`${happened(['completed'])} AND NOT ${ownerMissed}`.as('in_limit'),
    ])
    .where('k.kind', 'in', WORK_ORDER_KINDS)
    .where('k.created_at', '>=', from)
    .where('k.created_at', '<', to)
    .orderBy('k.id')
    .execute()) as Row[];
  const byUnit = new Map<string, Row[]>();
  for (const row of rows) {
    const unitId = row.owner_unit_id ?? org.desk.id;
    byUnit.set(unitId, [...(byUnit.get(unitId) ?? []), row]);
  }
  const rate = (n: number, of: number) => Math.round((n / of) * 10_000) / 10_000;
  const units = [...byUnit].map(([unitId, orders]) => {
    const accepted = orders.filter((o) => o.accepted).length;
    const handledInLimit = orders.filter((o) => o.in_limit).length;
    const answered = orders.filter((o) => o.answered).length;
    const name = org.doc.units.find((u) => u.id === unitId)?.name ?? unitId;
    return {
      unitId,
      name,
      orders: orders.length,
      accepted,
      handledInLimit,
      answered,
      rates: { accepted: rate(accepted, orders.length), handledInLimit: rate(handledInLimit, orders.length), answered: rate(answered, orders.length) },
    };
  });
  const orders = rows.map((row) => ({
    no: row.no,
    kind: row.kind,
    unitId: row.owner_unit_id,
    category: row.category,
    objectType: row.object_type,
    object: row.subject,
    cause: row.description,
    outcome: row.satisfaction ? `${STATES[row.state]}，${SATISFACTION[row.satisfaction]}` : STATES[row.state],
    overdue: row.overdue_at !== null,
  }));
  return { units, orders };
}
