import { sql } from 'kysely';
import { HOUR_MS, MINUTE_MS } from '../../clock';
import type { Executor } from '../../db/database';
import { shanghaiDate, type WorkCalendar } from '../../calendar/calendar';
import type { Org } from '../org';
import { KINDS, OPEN_STATES, STATES, type Kind } from '../tickets/machine';

/**
 * The SLA board: every running clock of an open ticket, grouped by how soon it burns — already overdue, due within the
 * hour, due later today, later. What a leader looks at first, most urgent at the top.
 */

export type Urgency = 'overdue' | 'hour' | 'today' | 'later';
export const URGENCY_NAMES: Record<Urgency, string> = { overdue: '已超时', hour: '一小时内到期', today: '今日到期', later: '其后到期' };

export interface BoardItem {
  clockId: number;
  no: string;
  kind: Kind;
  kindName: string;
  state: string;
  stateName: string;
  area: string | null;
  summary: string;
  /** The limit, in the regulation's words: 到达现场（派工起 45 分钟）. */
  limit: string;
  policyCode: string;
  unitId: string | null;
  unitName: string;
  /** The person holding the ticket, or the unit's people on duty when nobody accepted yet. */
  person: string;
  startedAt: Date;
  dueAt: Date;
  /** Milliseconds to the deadline; negative when overdue. */
  remainingMs: number;
  /** The deadline counts working days of a year whose holidays are not confirmed yet (待确认). */
  provisional: boolean;
  urgency: Urgency;
}

export interface BoardFilter {
  unit?: string;
  kind?: Kind;
  area?: string;
}

/** "45 分钟" / "5 个工作日": a limit as people say it. */
export function limitText(amount: number, unit: 'minutes' | 'working_days'): string {
  if (unit === 'working_days') return `${amount} 个工作日`;
  return amount % 60 === 0 ? `${amount / 60} 小时` : `${amount} 分钟`;
}

/** "2 小时 15 分" (at least a minute; days beyond 24 hours). */
export function spanText(ms: number): string {
  const minutes = Math.max(1, Math.floor(Math.abs(ms) / MINUTE_MS));
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  return [days ? `${days} 天` : '', hours ? `${hours} 小时` : '', rest ? `${rest} 分` : ''].filter(Boolean).join(' ');
}

/** A limit in the regulation's words: 到达现场（派工起 45 分钟）. */
export function limitLabel(p: { awaited_text: string; since_text: string; limit_amount: number; limit_unit: 'minutes' | 'working_days' }): string {
  return `${p.awaited_text}（${p.since_text}起 ${limitText(p.limit_amount, p.limit_unit)}）`;
}

export function urgencyOf(dueAt: Date, now: Date): Urgency {
  const remaining = dueAt.getTime() - now.getTime();
  if (remaining <= 0) return 'overdue';
  if (remaining <= HOUR_MS) return 'hour';
  return shanghaiDate(dueAt) === shanghaiDate(now) ? 'today' : 'later';
}

export async function slaBoard(db: Executor, org: Org, calendar: WorkCalendar, now: Date, filter: BoardFilter = {}): Promise<BoardItem[]> {
  let query = db
    .selectFrom('sla_clocks as c')
    .innerJoin('sla_policies as p', 'p.id', 'c.policy_id')
    .innerJoin('tickets as k', 'k.id', 'c.ticket_id')
    .select([
      'c.id as clockId',
      'c.unit_id',
      'c.started_at',
      'c.due_at',
      'p.code',
      'p.awaited_text',
      'p.since_text',
      'c.limit_amount',
      'c.limit_unit',
      'k.no',
      'k.kind',
      'k.state',
      'k.area',
      'k.address',
      'k.description',
      'k.owner_user_id',
    ])
    .where('c.stopped_at', 'is', null)
    .where('k.state', 'in', OPEN_STATES);
  if (filter.kind) query = query.where('k.kind', '=', filter.kind);
  if (filter.area) query = query.where('k.area', '=', filter.area);
  if (filter.unit) {
    const unit = filter.unit;
    query = unit === org.desk.id ? query.where('c.unit_id', 'is', null) : query.where('c.unit_id', '=', unit);
  }
  const rows = await query.orderBy('c.due_at').orderBy(sql`c.id`).execute();
  return rows.map((row) => {
    const unit = row.unit_id === null ? org.desk : org.doc.units.find((u) => u.id === row.unit_id);
    // The desk's own limits (dispatch, work order) are the desk's people, whoever holds the ticket afterwards.
    const holder = row.owner_user_id && row.unit_id !== null ? org.personName(row.owner_user_id) : undefined;
    const onDuty = unit ? org.onDuty(unit.id).map((id) => org.personName(id)).join('、') : '—';
    return {
      clockId: row.clockId,
      no: row.no,
      kind: row.kind,
      kindName: KINDS[row.kind].name,
      state: row.state,
      stateName: STATES[row.state as keyof typeof STATES] ?? row.state,
      area: row.area,
      summary: [row.address, row.description].filter(Boolean).join(' · '),
      limit: limitLabel(row),
      policyCode: row.code,
      unitId: row.unit_id,
      unitName: unit?.name ?? row.unit_id ?? '—',
      person: holder ?? onDuty,
      startedAt: row.started_at,
      dueAt: row.due_at,
      remainingMs: row.due_at.getTime() - now.getTime(),
      provisional: row.limit_unit === 'working_days' && calendar.isProvisional(row.due_at),
      urgency: urgencyOf(row.due_at, now),
    };
  });
}
