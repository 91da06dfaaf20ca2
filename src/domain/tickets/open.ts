import type { Insertable } from 'kysely';
import type { TicketTables } from '../../db/schema';
import { CONNECTION_CLASS_NAMES, connectionClass as classOf, connectionProgress, type CustomerType, type SupplyClass } from '../connections';
import { MARKETING_TOPICS, type MarketingAnswer, type MarketingQuery, type MarketingTopic } from '../marketing';
import { nextNumber } from '../numbering';
import { outageCovering, outagesFor } from '../outages';
import { addressKey } from './address';
import { deadlineFor } from '../sla/overdue';
import { route, resolveArea, type Route } from '../routing';
import { dispatch } from './flow';
import { KINDS, type Kind, type State, type WorkOrderKind } from './machine';
import { objectType, type RevisitMethod } from './work-orders';
import { BOT, type Outage, type Session, type Ticket } from './session';
import { openRepairAt } from './store';
import { recordEvent, transition } from './transition';

export interface RepairReport {
  area?: string;
  address: string;
  landmark?: string;
  description: string;
  reporter?: string;
  phone: string;
  voltageKv?: number;
  line?: string;
}

/** How a new fault report was handled (chapter 3, 一.2–3): explained by a known cause, or dispatched. */
export type RepairOutcome =
  | { kind: 'dispatched'; ticket: Ticket; route: Route; hazard?: Hazard }
  | { kind: 'known_outage'; ticket: Ticket; outage: Outage }
  | { kind: 'known_repair'; ticket: Ticket; parent: Ticket };

/**
 * A fault report: recorded with address and landmark; explained instead of dispatched when a published outage covers
 * the place or the same fault is already being repaired, unless its words say danger; otherwise dispatched to the unit
 * the rules name.
 */
export async function openRepair(session: Session, report: RepairReport): Promise<RepairOutcome> {
  const area = resolveArea(session.org, report.area);
  const where = route(session.org, { kind: 'repair', area: area.name, ...(report.voltageKv === undefined ? {} : { voltageKv: report.voltageKv }) });
  const ticket = await insertTicket(session, 'repair', where, {
    address: report.address,
    address_key: addressKey(report.address),
    landmark: report.landmark ?? null,
    line: report.line ?? null,
    voltage_kv: report.voltageKv ?? null,
    description: report.description,
    reporter_name: report.reporter ?? null,
    phone: report.phone,
  });

  const bot = { ...session, actor: BOT };
  const at = { area: area.name, addressKey: ticket.address_key, line: ticket.line };
  // Danger is never explained away: the crew goes, told of the outage or the repair the report falls under.
  const danger = hazardIn(session.org, [report.description, report.landmark].filter(Boolean).join(' '));
  const outage = await outageCovering(session, at);
  if (outage && danger === undefined) {
    const linked = await transition(bot, ticket, 'link', {
      patch: { linked_outage_id: outage.id },
      data: { outageNo: outage.no, cause: outage.cause },
    });
    return { kind: 'known_outage', ticket: linked.ticket, outage };
  }
  const parent = outage ? undefined : await openRepairAt(session.tx, at, ticket.id);
  if (parent && danger === undefined) {
    const linked = await transition(bot, ticket, 'link', { patch: { linked_ticket_id: parent.id }, data: { ticketNo: parent.no } });
    return { kind: 'known_repair', ticket: linked.ticket, parent };
  }
  if (danger !== undefined && (outage || parent)) {
    const hazard: Hazard = { word: danger, ...(outage ? { outageNo: outage.no } : {}), ...(parent ? { ticketNo: parent.no } : {}) };
    return { kind: 'dispatched', ticket: await dispatch(bot, ticket, { ...where, hazard }), route: where, hazard };
  }
  return { kind: 'dispatched', ticket: await dispatch(bot, ticket, where), route: where };
}

/** A word of danger in a fault report, and the outage or repair under way that would otherwise have explained it. */
export interface Hazard {
  word: string;
  outageNo?: string;
  ticketNo?: string;
}

/** The first of the organisation's words of danger (routing.hazards) the text says. */
export function hazardIn(org: Session['org'], text: string): string | undefined {
  return org.doc.routing.hazards.find((word) => text.includes(word));
}

export interface FeedbackReport {
  kind: WorkOrderKind;
  /** 对象: whom or what it is about. */
  subject?: string;
  /** 事由. */
  cause: string;
  /** 要求. */
  demand?: string;
  revisitMethod?: RevisitMethod;
  category?: string;
  reporter?: string;
  phone?: string;
  /** A 举报 whose reporter keeps their name to themselves. */
  anonymous?: boolean;
}

/**
 * Complaints, reports, suggestions and praise: classified as the regulation says (a complaint about conduct is a 举报)
 * and turned into a work order for the owner (chapter 3, 二.2).
 */
export async function openFeedback(session: Session, report: FeedbackReport): Promise<{ ticket: Ticket; route: Route }> {
  const where = route(session.org, {
    kind: report.kind,
    ...(report.category === undefined ? {} : { category: report.category }),
    text: [report.subject, report.cause].filter(Boolean).join(' '),
  });
  const kind = where.kind ?? report.kind;
  const anonymous = kind === 'report' && (report.anonymous === true || report.reporter === undefined);
  const ticket = await insertTicket(session, kind, where, {
    subject: report.subject ?? null,
    object_type: objectType(session.org, report.subject),
    description: report.cause,
    demand: report.demand ?? null,
    revisit_method: report.revisitMethod ?? null,
    category: where.category ?? report.category ?? null,
    reporter_name: anonymous ? null : (report.reporter ?? null),
    phone: report.phone ?? null,
    anonymous,
  });
  return { ticket: await dispatch({ ...session, actor: BOT }, ticket, where), route: where };
}

export interface ConnectionApplication {
  customer?: CustomerType;
  supply?: SupplyClass;
  area?: string;
  address: string;
  applicant?: string;
  phone: string;
  /** What is applied for: purpose, capacity. */
  description?: string;
}

/**
 * A connection application (业扩报装): recorded, accepted at once and handed to the department that handles
 * connections, whose supply-plan limit starts now (chapter 5, 五.3).
 */
export async function openConnection(
  session: Session,
  application: ConnectionApplication,
): Promise<{ ticket: Ticket; route: Route; planDueAt: Date | null }> {
  const connectionClass = classOf(application.customer, application.supply);
  const area = application.area === undefined ? undefined : resolveArea(session.org, application.area);
  const where = route(session.org, { kind: 'connection' });
  const ticket = await insertTicket(session, 'connection', { ...where, ...(area ? { area } : {}) }, {
    connection_class: connectionClass,
    address: application.address,
    address_key: addressKey(application.address),
    description: application.description ?? `${CONNECTION_CLASS_NAMES[connectionClass]}用电报装申请`,
    reporter_name: application.applicant ?? null,
    phone: application.phone,
  });
  return { ticket, route: where, planDueAt: await deadlineFor(session.tx, ticket.id, 'plan_answered') };
}

export interface Question {
  kind: 'query';
  question: string;
  topic?: string;
  /** For a marketing query: the account (户号) or application number asked about. */
  account?: string;
  area?: string;
  reporter?: string;
  phone?: string;
}

/** Topics the bot answers itself: power-cut information comes from the published outages. */
export const OUTAGE_TOPIC = '停电';

/**
 * A query for the desk to answer. A query about power cuts is answered at once from the published outages
 * (chapter 3, 四.1), and the ticket is closed as answered. (Inquiries: inquiry.ts.)
 */
export interface OpenedQuestion {
  ticket: Ticket;
  outages?: Outage[];
  /** For a consumption, bill, payment or connection query: what the marketing system said. */
  marketing?: MarketingAnswer;
}

export async function openQuestion(session: Session, question: Question): Promise<OpenedQuestion> {
  const area = question.area === undefined ? undefined : resolveArea(session.org, question.area);
  const where = route(session.org, { kind: question.kind });
  const ticket = await insertTicket(session, question.kind, { ...where, ...(area ? { area } : {}) }, {
    description: question.question,
    topic: question.topic ?? null,
    reporter_name: question.reporter ?? null,
    phone: question.phone ?? null,
  });
  const marketingTopic = MARKETING_TOPICS[question.topic as keyof typeof MARKETING_TOPICS] as MarketingTopic | undefined;
  if (marketingTopic && question.account) {
    return answerFromMarketing(session, ticket, { topic: marketingTopic, account: question.account });
  }
  if (question.topic !== OUTAGE_TOPIC) return { ticket };
  const outages = await outagesFor(session, area?.name);
  const answer = outages.length ? `已告知停电信息：${outages.map((o) => o.no).join('、')}` : '已告知：暂无已发布的停电信息';
  const answered = await transition({ ...session, actor: BOT }, ticket, 'answer', { patch: { answer }, data: { answer } });
  return { ticket: answered.ticket, outages };
}

/**
 * A query the marketing system answers is answered by the bot and closed (the progress of an application recorded
 * here is answered from our own data); otherwise (not connected, unknown account,
 * failing) the ticket stays with the desk, which answers from the marketing system by hand.
 */
async function answerFromMarketing(session: Session, ticket: Ticket, query: MarketingQuery): Promise<OpenedQuestion> {
  const own = query.topic === 'connection' ? await connectionProgress(session, query.account) : undefined;
  const marketing: MarketingAnswer = own ? { kind: 'answered', text: own } : await session.deps.marketing.query(query);
  if (marketing.kind !== 'answered') return { ticket, marketing };
  const answer = own ? `已告知报装进度：${own}` : `营销系统答复：${marketing.text}`;
  const answered = await transition({ ...session, actor: BOT }, ticket, 'answer', { patch: { answer }, data: { answer } });
  return { ticket: answered.ticket, marketing };
}

type TicketFields = Omit<
  Insertable<TicketTables['tickets']>,
  'no' | 'kind' | 'state' | 'opened_by' | 'source_chat_id' | 'created_at' | 'updated_at' | 'description'
> & { description: string };

/**
 * A new ticket and its `created` event. `opening` says how it starts when not with the desk's action awaited: an
 * inquiry waiting for its asker's pick starts `offered`, and the event records what the knowledge base made of it.
 */
export async function insertTicket(
  session: Session,
  kind: Kind,
  where: Route,
  fields: TicketFields,
  opening: { state?: State; data?: Record<string, unknown> } = {},
): Promise<Ticket> {
  const ticket = (await session.tx
    .insertInto('tickets')
    .values({
      ...fields,
      no: await nextNumber(session.tx, KINDS[kind].prefix, session.now),
      kind,
      state: opening.state ?? 'received',
      area: where.area?.name ?? null,
      area_class: where.area?.class ?? null,
      owner_unit_id: where.unitId,
      owner_user_id: where.userId ?? null,
      route_rule: where.rule,
      opened_by: session.actor.userId,
      source_chat_id: session.via.chatId ?? '',
      created_at: session.now,
      updated_at: session.now,
    })
    .returningAll()
    .executeTakeFirstOrThrow()) as Ticket;
  await recordEvent(session, ticket, { type: 'created', from: null, data: { rule: where.rule, ...opening.data } });
  return ticket;
}
