import { DomainError } from '../errors';
import { CREW_TYPES } from '../org';
import { endOutagesOf, publishOutage } from '../outages';
import { deadlineOnStart } from '../sla/clocks';
import type { Session, Ticket } from './session';
import { check, transition } from './transition';

/**
 * The steps of a ticket after it is opened, in the regulation's words (chapter 3). Each is one `transition`;
 * what the step needs besides (an outage made from an on-site report, the dispatch group told of a power cut)
 * happens in the same transaction.
 */

/** A repair needing a power cut at this voltage or above is reported to the dispatch group (chapter 3, 一.5). */
export const DISPATCH_TOLD_FROM_KV = 10;

export interface Assignee {
  unitId: string;
  userId?: string;
  rule: string;
}

export async function dispatch(session: Session, ticket: Ticket, to: Assignee): Promise<Ticket> {
  const unit = session.org.unit(to.unitId);
  await check(session, ticket, 'dispatch');
  if (ticket.state === 'dispatched' && ticket.owner_unit_id === unit.id) {
    throw new DomainError('same_unit', `${ticket.no} 已派给${unit.name}，无需重复派工`);
  }
  const arrivalDue = await deadlineOnStart(
    session.tx,
    session.deps,
    { ticketId: ticket.id, ticketNo: ticket.no, kind: ticket.kind, areaClass: ticket.area_class, unitId: unit.id, event: 'dispatched', at: session.now },
    'arrived',
  );
  const moved = await transition(session, ticket, 'dispatch', {
    patch: {
      owner_unit_id: unit.id,
      owner_user_id: to.userId ?? null,
      route_rule: to.rule,
      dispatched_at: session.now,
      arrival_due_at: arrivalDue,
      linked_outage_id: null,
      linked_ticket_id: null,
    },
    data: { unitId: unit.id, unitName: unit.name, rule: to.rule, ...(arrivalDue ? { arrivalDueAt: arrivalDue.toISOString() } : {}) },
  });
  return moved.ticket;
}

/** The desk sends a ticket (back) out to a unit it names: after a return, or overriding a link to a known cause. */
export async function redispatch(session: Session, ticket: Ticket, unitText: string | undefined): Promise<Ticket> {
  const { org } = session;
  const fits = (type: string) => (ticket.kind === 'repair' ? CREW_TYPES.some((t) => t === type) : type !== 'desk');
  const choices = () => org.doc.units.filter((u) => fits(u.type)).map((u) => u.name).join('、');
  if (unitText === undefined) {
    // A returned ticket goes to someone else: the unit that returned it said it is not theirs.
    if (!ticket.owner_unit_id || ticket.state === 'returned') throw new DomainError('unit_required', `请写明派给哪个单位，例如：/转派 ${ticket.no} 城关供电所。可选：${choices()}`);
    return dispatch(session, ticket, { unitId: ticket.owner_unit_id, rule: ticket.route_rule ?? `${org.desk.name}派工` });
  }
  const unit = org.findUnit(unitText);
  if (!unit || !fits(unit.type)) {
    throw new DomainError('unknown_unit', `没有找到可承接的单位「${unitText}」。可选：${choices()}`);
  }
  return dispatch(session, ticket, { unitId: unit.id, rule: `${org.desk.name}${session.actor.name}转派${unit.name}` });
}

export async function accept(session: Session, ticket: Ticket): Promise<Ticket> {
  return (await transition(session, ticket, 'accept')).ticket;
}

export async function arrive(session: Session, ticket: Ticket): Promise<Ticket> {
  return (await transition(session, ticket, 'arrive')).ticket;
}

/** Not ours (chapter 3, 一.8): back to the desk with the reason, for re-dispatch. */
export async function returnToDesk(session: Session, ticket: Ticket, reason: string): Promise<Ticket> {
  return (await transition(session, ticket, 'return', { data: { reason } })).ticket;
}

export interface OnSiteReport {
  situation: string;
  /** The fault cuts a whole area: it becomes a fault outage so later callers are answered about it. */
  areaWide: boolean;
  /** The repair needs a power cut at this voltage. */
  powerCutKv?: number;
  restoreAt?: Date;
}

/** The crew's report from site (chapter 3, 一.5). */
export async function reportOnSite(session: Session, ticket: Ticket, report: OnSiteReport): Promise<{ ticket: Ticket; outageNo?: string }> {
  await check(session, ticket, 'report');
  const outage =
    report.areaWide && ticket.area
      ? await publishOutage(session, {
          kind: 'fault',
          areas: [ticket.area],
          startsAt: session.now,
          ...(report.restoreAt ? { restoreAt: report.restoreAt } : {}),
          cause: report.situation,
          ...(ticket.line ? { line: ticket.line } : {}),
          ...(ticket.voltage_kv === null ? {} : { voltageKv: ticket.voltage_kv }),
          sourceTicketId: ticket.id,
        })
      : undefined;
  const tellDispatch = report.powerCutKv !== undefined && report.powerCutKv >= DISPATCH_TOLD_FROM_KV;
  const moved = await transition(session, ticket, 'report', {
    data: {
      situation: report.situation,
      areaWide: report.areaWide,
      ...(outage ? { outageNo: outage.no } : {}),
      ...(report.powerCutKv === undefined ? {} : { powerCutKv: report.powerCutKv }),
      ...(report.restoreAt ? { restoreAt: report.restoreAt.toISOString() } : {}),
      dispatchTold: tellDispatch,
    },
  });
  return { ticket: moved.ticket, ...(outage ? { outageNo: outage.no } : {}) };
}

/** The crew (or department) reports the result; a fault outage made from this repair ends with it. */
export async function complete(session: Session, ticket: Ticket, result: string): Promise<Ticket> {
  const moved = await transition(session, ticket, 'complete', { patch: { result }, data: { result } });
  await endOutagesOf(session, ticket.id);
  return moved.ticket;
}

/** The desk's review (chapter 3, 一.9): archive, or back to the unit to redo with the reason. */
export async function review(session: Session, ticket: Ticket, verdict: 'pass' | 'reject', reason?: string): Promise<Ticket> {
  if (verdict === 'pass') return (await transition(session, ticket, 'approve', { data: reason ? { note: reason } : {} })).ticket;
  if (!reason) throw new DomainError('reason_required', `审核退回须写明原因，例如：/审核 ${ticket.no} 退回 未写明故障原因`);
  return (await transition(session, ticket, 'reject', { data: { reason } })).ticket;
}

export const SATISFACTION = { satisfied: '满意', fair: '基本满意', dissatisfied: '不满意' } as const;
export type Satisfaction = keyof typeof SATISFACTION;

/** The call back to the customer and their satisfaction (chapter 3, 一.10). */
export async function revisit(session: Session, ticket: Ticket, satisfaction: Satisfaction, note?: string): Promise<Ticket> {
  return (
    await transition(session, ticket, 'revisit', {
      patch: { satisfaction },
      data: { satisfaction, ...(note ? { note } : {}) },
    })
  ).ticket;
}

/** The desk answers an inquiry or query. */
export async function answer(session: Session, ticket: Ticket, text: string): Promise<Ticket> {
  return (await transition(session, ticket, 'answer', { patch: { answer: text }, data: { answer: text } })).ticket;
}
