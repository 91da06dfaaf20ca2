import type { Executor } from '../../db/database';
import type { Org } from '../org';
import { STATES } from '../tickets/machine';
import type { Ticket } from '../tickets/session';
import { limitLabel } from './board';

/**
 * One ticket's whole story for the console: every event with who did it and how (message, card tap, API, system),
 * the text each carried (on-site report, result, reason), every nag and escalation the SLA engine fired, and each
 * clock with its limit and how it ended.
 */

export type TimelineEntry =
  | { at: Date; type: 'event'; title: string; actor: string; via: string; note: string | null }
  | { at: Date; type: 'nag'; title: string; limit: string; step: string };

export interface ClockView {
  limit: string;
  policyCode: string;
  unitName: string;
  startedAt: Date;
  dueAt: Date;
  stoppedAt: Date | null;
  /** met: stopped by the awaited event in time; missed: late or still open past due; running; ended: closed otherwise. */
  status: 'met' | 'missed' | 'running' | 'ended';
}

export const VIA_NAMES: Record<string, string> = { message: '群消息', tap: '卡片按钮', api: '接口', system: '系统' };
const STEP_NAMES: Record<string, string> = {
  warn: '临期提醒',
  breach: '超时催办',
  unit_leader: '督办至单位负责人',
  company_leader: '督办至公司领导',
};
/** Event data fields that carry text a person wrote, in the order they are worth showing. */
const NOTE_FIELDS = ['situation', 'text', 'result', 'reason', 'note', 'answer', 'comment'];

function noteOf(data: Record<string, unknown>): string | null {
  const parts = NOTE_FIELDS.map((key) => data[key]).filter((value): value is string => typeof value === 'string' && value !== '');
  return parts.length ? parts.join('；') : null;
}

export async function ticketTimeline(db: Executor, org: Org, ticket: Ticket, now: Date) {
  const [events, clocks, timers] = await Promise.all([
    db.selectFrom('ticket_events').selectAll().where('ticket_id', '=', ticket.id).orderBy('id').execute(),
    db
      .selectFrom('sla_clocks as c')
      .innerJoin('sla_policies as p', 'p.id', 'c.policy_id')
      .select(['c.id', 'c.unit_id', 'c.started_at', 'c.due_at', 'c.stopped_at', 'c.stop_event', 'p.code', 'p.awaited_text', 'p.since_text', 'c.limit_amount', 'c.limit_unit', 'p.stop_events'])
      .where('c.ticket_id', '=', ticket.id)
      .orderBy('c.id')
      .execute(),
    db
      .selectFrom('sla_timers as t')
      .innerJoin('sla_clocks as c', 'c.id', 't.clock_id')
      .select(['t.clock_id', 't.step', 't.fired_at'])
      .where('c.ticket_id', '=', ticket.id)
      .where('t.outcome', '=', 'sent')
      .execute(),
  ]);
  const unitName = (id: string | null) => (id === null ? org.desk.name : (org.doc.units.find((u) => u.id === id)?.name ?? id));
  const limits = new Map(clocks.map((c) => [c.id, limitLabel(c)]));
  const entries: TimelineEntry[] = [
    ...events.map((e) => ({
      at: e.at,
      type: 'event' as const,
      title: STATES[e.to_state as keyof typeof STATES] ?? e.to_state,
      actor: e.actor_name || e.actor_id,
      via: VIA_NAMES[e.via] ?? e.via,
      note: noteOf(e.data),
    })),
    ...timers
      .filter((t) => t.fired_at !== null)
      .map((t) => ({
        at: t.fired_at!,
        type: 'nag' as const,
        title: STEP_NAMES[t.step] ?? t.step,
        limit: limits.get(t.clock_id) ?? '',
        step: t.step,
      })),
  ].sort((a, b) => a.at.getTime() - b.at.getTime());
  const clockViews: ClockView[] = clocks.map((c) => {
    const metByEvent = c.stopped_at !== null && c.stop_event !== null && c.stop_events.includes(c.stop_event) && c.stopped_at <= c.due_at;
    const late = c.due_at < (c.stopped_at ?? now);
    return {
      limit: limits.get(c.id)!,
      policyCode: c.code,
      unitName: unitName(c.unit_id),
      startedAt: c.started_at,
      dueAt: c.due_at,
      stoppedAt: c.stopped_at,
      status: metByEvent ? 'met' : late ? 'missed' : c.stopped_at === null ? 'running' : 'ended',
    };
  });
  return { entries, clocks: clockViews };
}
