import { DomainError } from '../errors';
import { CREW_TYPES } from '../org';
import { endOutage, endOutagesDue, endOutagesOf, publishOutage } from '../outages';
import { deadlineOnStart, type TicketEventNotice } from '../sla/clocks';
import { BOT, type Outage, type Session, type Ticket } from './session';
import { stepFor } from './machine';
import { check, transition } from './transition';
import { DISPATCH_TOLD_FROM_KV } from '../regulation';

/**
 * The steps of a ticket after it is opened, in the regulation's words (chapter 3). Each is one `transition`;
 * what the step needs besides (an outage made from an on-site report, the dispatch group told of a power cut)
 * happens in the same transaction.
 */


export interface Assignee {
  unitId: string;
  userId?: string;
  rule: string;
  /** A fault report saying danger, dispatched although an outage or a repair under way covers it: told on the card. */
  hazard?: { word: string; outageNo?: string; ticketNo?: string };
  /** The handling clock runs from this earlier hand-over, held then by `heldBy` (a re-classified order keeps its start). */
  since?: TicketEventNotice['since'];
}

export async function dispatch(session: Session, ticket: Ticket, to: Assignee): Promise<Ticket> {
  const unit = session.org.unit(to.unitId);
  await check(session, ticket, 'dispatch');
  if (ticket.state === 'dispatched' && ticket.owner_unit_id === unit.id) {
    throw new DomainError('same_unit', `${ticket.no} 已派给${unit.name}，无需重复派工`);
  }
  const start = { ticketId: ticket.id, ticketNo: ticket.no, kind: ticket.kind, areaClass: ticket.area_class, unitId: unit.id, event: 'dispatched', at: session.now };
  const arrivalDue = await deadlineOnStart(session.tx, session.deps, start, 'arrived');
  // The handling limit runs once, from the first hand-over: a re-dispatch keeps the deadline it set.
  const handlingDue = ticket.handling_due_at ?? (await deadlineOnStart(session.tx, session.deps, { ...start, at: to.since?.at ?? session.now }, 'answered'));
  const moved = await transition(session, ticket, 'dispatch', {
    patch: {
      owner_unit_id: unit.id,
      owner_user_id: to.userId ?? null,
      route_rule: to.rule,
      dispatched_at: session.now,
      arrival_due_at: arrivalDue,
      handling_due_at: handlingDue,
      linked_outage_id: null,
      linked_ticket_id: null,
    },
    data: {
      unitId: unit.id,
      unitName: unit.name,
      rule: to.rule,
      ...(arrivalDue ? { arrivalDueAt: arrivalDue.toISOString() } : {}),
      ...(to.hazard ? { hazard: to.hazard } : {}),
    },
    ...(to.since ? { since: to.since } : {}),
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
  /** The fault cuts a whole area: it becomes a fault outage so later callers inside its scope are answered about it. */
  areaWide: boolean;
  /** What the area outage cuts, as the crew wrote it: streets, villages, addresses or transformer areas (人民路、建设街) … */
  places?: string;
  /** … or a whole line. */
  line?: string;
  /** The crew has also reported to the city 95598 centre (chapter 3, 一.5: within 30 minutes of arrival). */
  cityReported: boolean;
  /** The repair needs a power cut at this voltage. */
  powerCutKv?: number;
  restoreAt?: Date;
}

/** The crew's report from site (chapter 3, 一.5): to the county desk, and to the city centre when it says so. */
export async function reportOnSite(session: Session, ticket: Ticket, report: OnSiteReport): Promise<{ ticket: Ticket; outageNo?: string }> {
  await check(session, ticket, 'report');
  const outage = report.areaWide ? await publishAreaOutage(session, ticket, report) : undefined;
  const tellDispatch = report.powerCutKv !== undefined && report.powerCutKv >= DISPATCH_TOLD_FROM_KV;
  let moved = await transition(session, ticket, 'report', {
    data: {
      situation: report.situation,
      areaWide: report.areaWide,
      ...(outage ? { outageNo: outage.no } : {}),
      ...(report.powerCutKv === undefined ? {} : { powerCutKv: report.powerCutKv }),
      ...(report.restoreAt ? { restoreAt: report.restoreAt.toISOString() } : {}),
      dispatchTold: tellDispatch,
    },
  });
  if (report.cityReported) moved = await transition(session, moved.ticket, 'report_city');
  return { ticket: moved.ticket, ...(outage ? { outageNo: outage.no } : {}) };
}

/** The cut a crew reports as area-wide, scoped to what it names: a later report is explained by it only inside. */
async function publishAreaOutage(session: Session, ticket: Ticket, report: OnSiteReport) {
  const places = (report.places ?? '').split(/[、,，;；\s]+/).filter(Boolean);
  const line = report.line ?? null;
  if (!ticket.area || (places.length === 0 && line === null)) {
    throw new DomainError(
      'scope_required',
      `片区停电请写明停电范围（街道、村、地址或台区），或停电线路，例如：/现场 ${ticket.no} 熔断器烧毁 片区停电 范围:人民路、建设街 或 线路:10kV城关线`,
    );
  }
  return publishOutage(session, {
    kind: 'fault',
    areas: [ticket.area],
    startsAt: session.now,
    ...(report.restoreAt ? { restoreAt: report.restoreAt } : {}),
    cause: report.situation,
    ...(line ? { line } : ticket.line ? { line: ticket.line } : {}),
    scope: places.length > 0 ? { places } : { line: line! },
    ...(ticket.voltage_kv === null ? {} : { voltageKv: ticket.voltage_kv }),
    sourceTicketId: ticket.id,
  });
}

/** The crew (or department) reports the result; a fault outage made from this repair ends with it. */
export async function complete(session: Session, ticket: Ticket, result: string): Promise<Ticket> {
  const moved = await transition(session, ticket, 'complete', { patch: { result }, data: { result } });
  const ended = await endOutagesOf(session, ticket.id);
  await restoreLinked(session, { outageIds: ended.map((outage) => outage.id), parentId: ticket.id });
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
  // A dissatisfied customer of a work order is followed up by the desk (chapter 1, 二.6: 100% answered).
  const action = satisfaction === 'dissatisfied' && stepFor(ticket.kind, 'reopen') ? 'reopen' : 'revisit';
  return (
    await transition(session, ticket, action, {
      patch: { satisfaction },
      data: { satisfaction, ...(note ? { note } : {}) },
    })
  ).ticket;
}

/**
 * Power is back: the reports explained by these outages, or by this repair, are closed and their customers told
 * (the desk gets one line per report with the caller's phone).
 */
export async function restoreLinked(session: Session, by: { outageIds: number[]; parentId?: number }): Promise<void> {
  const linked = (await session.tx
    .selectFrom('tickets')
    .selectAll()
    .where('state', '=', 'linked')
    .where((eb) =>
      eb.or([
        ...(by.outageIds.length > 0 ? [eb('linked_outage_id', 'in', by.outageIds)] : []),
        ...(by.parentId === undefined ? [] : [eb('linked_ticket_id', '=', by.parentId)]),
      ]),
    )
    .orderBy('id')
    .execute()) as Ticket[];
  const bot = { ...session, actor: BOT };
  for (const ticket of linked) await transition(bot, ticket, 'restore');
}

/**
 * A published outage is over (/停电 恢复, PUT /api/outages/:no/end): those it concerned and the customers whose reports
 * it explained are told power is back.
 */
export async function powerBack(session: Session, outageNo: string) {
  const outage = await endOutage(session, outageNo);
  await restoreLinked(session, { outageIds: [outage.id] });
  return outage;
}

/** Notices past their expected restore time end by themselves, with the same news as ending one by hand. */
export async function powerBackDue(session: Session): Promise<Outage[]> {
  const ended = await endOutagesDue(session);
  if (ended.length > 0) await restoreLinked(session, { outageIds: ended.map((outage) => outage.id) });
  return ended;
}
