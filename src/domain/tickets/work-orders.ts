import type { Selectable } from 'kysely';
import type { TicketTables } from '../../db/schema';
import { DomainError } from '../errors';
import type { Org } from '../org';
import { route, unitsAbout } from '../routing';
import { onceClock, stopAllClocks } from '../sla/clocks';
import { accept, complete, dispatch } from './flow';
import { KINDS, isWorkOrder, type WorkOrderKind } from './machine';
import { BOT, type Session, type Ticket } from './session';
import { check, recordEvent, transition } from './transition';

/**
 * The steps of a complaint, report, suggestion or praise that a repair does not have (chapter 3, 二; chapter 5, 二):
 * joint handling with helpers' parts, the department's reply, the answer to the customer, re-classification, and who
 * may read a reporter's name and phone.
 */

export type Part = Selectable<TicketTables['ticket_parts']>;

/** How the customer wants to be called back (三、二、1); the desk answers by the same way unless told otherwise. */
export const REVISIT_METHODS = { phone: '电话', wecom: '企业微信', letter: '信函', none: '不回访' } as const;
export type RevisitMethod = keyof typeof REVISIT_METHODS;
export type AnswerMethod = Exclude<RevisitMethod, 'none'>;

/**
 * A 举报's reporter is known to the desk and to the department that handles reports, and to nobody else: not to a
 * unit it is re-routed to, nor to leaders, nor to a chat that looks it up. Nor does a unit that a complaint or report
 * is about (named, or serving the town named) learn who complained about it.
 */
function mayKnowReporter(org: Org, ticket: Pick<Ticket, 'kind' | 'subject' | 'description'>, chatId: string | null): boolean {
  if (chatId !== null && (ticket.kind === 'complaint' || ticket.kind === 'report')) {
    const about = unitsAbout(org, [ticket.subject, ticket.description].filter(Boolean).join(' '));
    if (about.some(({ unit }) => unit.chatId === chatId)) return false;
  }
  if (ticket.kind !== 'report') return true;
  return chatId === org.desk.chatId || chatId === org.unit(org.doc.routing.report).chatId;
}

/** The ticket as a chat may see it: a 举报's reporter name and phone left out where they may not be known. */
export function forChat(org: Org, ticket: Ticket, chatId: string | null): Ticket {
  return mayKnowReporter(org, ticket, chatId) ? ticket : { ...ticket, reporter_name: null, phone: null };
}

/** What a unit's view (console, exports) may show: as its chat would. Without a unit, the desk's full view. */
export function forUnit(org: Org, ticket: Ticket, unitId: string | undefined): Ticket {
  const unit = unitId === undefined ? undefined : org.doc.units.find((u) => u.id === unitId);
  return unitId === undefined ? ticket : forChat(org, ticket, unit?.chatId ?? null);
}

/** 对象: a unit or department when the text names one, a person otherwise. */
export function objectType(org: Org, subject: string | undefined): 'person' | 'unit' | 'department' | null {
  if (!subject) return null;
  const unit = org.unitsMentionedIn(subject)[0];
  if (!unit) return 'person';
  return unit.type === 'department' ? 'department' : 'unit';
}

export async function partsOf(session: Pick<Session, 'tx'>, ticketId: number): Promise<Part[]> {
  return session.tx.selectFrom('ticket_parts').selectAll().where('ticket_id', '=', ticketId).orderBy('id').execute();
}

/**
 * The leader coordinating a complaint names the lead department and the helpers (三、二、6). The order goes to the
 * lead (its handling clock keeps running from the first hand-over); each helper gets its part, due one working day
 * before the handling deadline so the lead can consolidate (at least one working day).
 */
export async function coordinate(session: Session, ticket: Ticket, leadText: string, helperTexts: string[]): Promise<Ticket> {
  const { org } = session;
  const lead = departmentNamed(org, leadText);
  const helpers = [...new Map(helperTexts.map((text) => departmentNamed(org, text)).map((u) => [u.id, u])).values()];
  if (helpers.length === 0) throw new DomainError('helpers_required', `请写明协办部门，例如：/协办 ${ticket.no} 市场营销部 生产技术部`);
  if (helpers.some((helper) => helper.id === lead.id)) throw new DomainError('lead_is_helper', `${lead.name}已是牵头部门，不能同时协办`);
  const rule = `${lead.name}牵头，${helpers.map((h) => h.name).join('、')}协办`;
  const moved = await transition(session, ticket, 'coordinate', {
    patch: { owner_unit_id: lead.id, owner_user_id: null, route_rule: rule },
    data: { unitId: lead.id, unitName: lead.name, rule, helpers: helpers.map((h) => h.name) },
  });
  const days = await partWorkingDays(session, moved.ticket);
  const dueAt = session.deps.calendar.addWorkingDays(session.now, days);
  for (const helper of helpers) {
    await session.tx
      .insertInto('ticket_parts')
      .values({ ticket_id: ticket.id, unit_id: helper.id, state: 'dispatched', due_at: dueAt, created_at: session.now })
      .onConflict((c) => c.columns(['ticket_id', 'unit_id']).doUpdateSet({ state: 'dispatched', due_at: dueAt, result: null, replied_at: null, replied_by: null }))
      .execute();
    // The part's clock is due with the part: the helper is chased, then its leader, when it runs late.
    await recordEvent(session, moved.ticket, {
      type: 'assist_assigned',
      from: moved.ticket.state,
      data: { unitId: helper.id, unitName: helper.name, dueAt: dueAt.toISOString() },
      part: helper.id,
      limit: { amount: days, unit: 'working_days' },
    });
  }
  return moved.ticket;
}

function departmentNamed(org: Org, text: string) {
  const unit = org.findUnit(text);
  if (!unit || unit.type === 'desk' || unit.type === 'leadership') {
    const choices = org.doc.units.filter((u) => u.type !== 'desk' && u.type !== 'leadership').map((u) => u.name).join('、');
    throw new DomainError('unknown_unit', `没有找到部门或单位「${text}」。可选：${choices}`);
  }
  return unit;
}

/** Working days a helper has for its part: one fewer than the handling limit leaves, and at least one. */
async function partWorkingDays(session: Session, ticket: Ticket): Promise<number> {
  const { calendar } = session.deps;
  const handling = await session.tx
    .selectFrom('sla_clocks as c')
    .innerJoin('sla_policies as p', 'p.id', 'c.policy_id')
    .select('c.due_at')
    .where('c.ticket_id', '=', ticket.id)
    .where('c.stopped_at', 'is', null)
    .where('p.once', '=', true)
    .orderBy('c.due_at')
    .executeTakeFirst();
  const left = handling ? calendar.workingDaysBetween(session.now, handling.due_at) : 2;
  return Math.max(1, left - 1);
}

/** The helper part the acting person's unit holds on this order, if any. */
async function partOfActor(session: Session, ticket: Ticket): Promise<Part | undefined> {
  const units = session.org.unitsOf(session.actor.userId).map((u) => u.id);
  if (units.length === 0 || units.includes(ticket.owner_unit_id ?? '')) return undefined;
  return session.tx
    .selectFrom('ticket_parts')
    .selectAll()
    .where('ticket_id', '=', ticket.id)
    .where('unit_id', 'in', units)
    .executeTakeFirst();
}

/** 接收: a helper receives its part; anyone else receives the order itself. */
export async function receive(session: Session, ticket: Ticket): Promise<Ticket> {
  const part = await partOfActor(session, ticket);
  if (!part) return accept(session, ticket);
  if (part.state !== 'dispatched') throw new DomainError('part_done', `${ticket.no} 的协办部分已${part.state === 'accepted' ? '接收' : '答复'}`);
  await session.tx.updateTable('ticket_parts').set({ state: 'accepted' }).where('id', '=', part.id).execute();
  await recordEvent(session, ticket, { type: 'assist_accepted', from: ticket.state, data: { unitId: part.unit_id, unitName: session.org.unit(part.unit_id).name } });
  return ticket;
}

/**
 * `/答复` as each person means it: on a work order a helper replies on its part, the owning department replies with the
 * result and the customer's acceptance (after its helpers have), and the desk answers the customer by the way the
 * customer chose; an inquiry or query is answered.
 */
export async function replyOrAnswer(session: Session, ticket: Ticket, text: string, acceptance?: string): Promise<Ticket> {
  // Inquiries and queries have only the answer (by the desk, or the specialist they were referred to).
  if (!isWorkOrder(ticket.kind)) return answerCustomer(session, ticket, text);
  const desk = session.org.isMember(session.actor.userId, session.org.desk.id);
  if (desk && !isOwner(session, ticket)) return answerCustomer(session, ticket, text);
  return replyAsHandler(session, ticket, text, acceptance);
}

/** `/完成`, `/答复` or the 答复 button from a handler: a helper replies on its part, the owner on the order. */
export async function replyAsHandler(session: Session, ticket: Ticket, text: string, acceptance?: string): Promise<Ticket> {
  const part = await partOfActor(session, ticket);
  if (part) return replyPart(session, ticket, part, text);
  return reply(session, ticket, text, acceptance);
}

function isOwner(session: Session, ticket: Ticket): boolean {
  const { actor, org } = session;
  return actor.userId === ticket.owner_user_id || (ticket.owner_unit_id !== null && org.isMember(actor.userId, ticket.owner_unit_id));
}

async function replyPart(session: Session, ticket: Ticket, part: Part, result: string): Promise<Ticket> {
  if (part.state === 'replied') throw new DomainError('part_done', `${ticket.no} 的协办部分已于此前答复，请勿重复提交`);
  const late = session.now > part.due_at;
  await session.tx
    .updateTable('ticket_parts')
    .set({ state: 'replied', result, replied_by: session.actor.userId, replied_at: session.now })
    .where('id', '=', part.id)
    .execute();
  await recordEvent(session, ticket, {
    type: 'assist_replied',
    from: ticket.state,
    data: { unitId: part.unit_id, unitName: session.org.unit(part.unit_id).name, result, late, dueAt: part.due_at.toISOString() },
    part: part.unit_id,
  });
  return ticket;
}

/** The department's reply (三、二): the result and the customer's acceptance, to the desk for review. */
export async function reply(session: Session, ticket: Ticket, result: string, acceptance?: string): Promise<Ticket> {
  if (!isWorkOrder(ticket.kind)) return complete(session, ticket, result);
  await check(session, ticket, 'complete');
  const open = (await partsOf(session, ticket.id)).filter((p) => p.state !== 'replied');
  if (open.length > 0) {
    const names = open.map((p) => session.org.unit(p.unit_id).name).join('、');
    throw new DomainError('parts_open', `${ticket.no} 的协办部门${names}尚未答复，请汇总各部门意见后再答复`);
  }
  const moved = await transition(session, ticket, 'complete', {
    patch: { result, customer_acceptance: acceptance ?? null },
    data: { result, ...(acceptance ? { acceptance } : {}) },
  });
  return moved.ticket;
}

/**
 * The desk answers the customer (`/回复客户`, or `/答复` from the desk): the event that stops the 5 / 10 working days.
 * A customer who wants no revisit is done with it.
 */
export async function answerCustomer(session: Session, ticket: Ticket, text: string, method?: AnswerMethod): Promise<Ticket> {
  if (!isWorkOrder(ticket.kind)) {
    return (await transition(session, ticket, 'answer', { patch: { answer: text }, data: { answer: text } })).ticket;
  }
  const how: AnswerMethod = method ?? (ticket.revisit_method && ticket.revisit_method !== 'none' ? ticket.revisit_method : 'phone');
  const answered = await transition(session, ticket, 'answer', {
    patch: { answer: text, answer_method: how },
    data: { answer: text, method: REVISIT_METHODS[how] },
  });
  if (ticket.revisit_method !== 'none') return answered.ticket;
  return (await transition({ ...session, actor: BOT }, answered.ticket, 'close', { data: { why: '客户不需回访' } })).ticket;
}

/**
 * `/改类`: the desk re-classifies a work order it or the routing got wrong; the clocks of the old kind end and the
 * order is routed and handed over again as the new kind. The number stays, as people already quote it.
 */
export async function reclassify(session: Session, ticket: Ticket, kind: WorkOrderKind): Promise<Ticket> {
  if (!isWorkOrder(ticket.kind)) throw new DomainError('not_work_order', `${ticket.no} 是${KINDS[ticket.kind].name}，不能改类`);
  if (ticket.kind === kind) throw new DomainError('same_kind', `${ticket.no} 已是${KINDS[kind].name}`);
  await check(session, ticket, 'reclassify');
  const where = route(session.org, { kind, text: [ticket.subject, ticket.description].filter(Boolean).join(' ') });
  const to = where.kind ?? kind;
  // The handling clock keeps its start, the first hand-over, under the new kind's limit.
  const handling = await onceClock(session.tx, ticket.id);
  await stopAllClocks(session.tx, ticket.id, session.now, 'reclassified');
  await session.tx.updateTable('tickets').set({ kind: to, handling_due_at: null }).where('id', '=', ticket.id).execute();
  const moved = await transition(session, { ...ticket, kind: to, handling_due_at: null }, 'reclassify', {
    data: { from: KINDS[ticket.kind].name, to: KINDS[to].name, rule: where.rule },
  });
  return dispatch(session, moved.ticket, { ...where, ...(handling ? { since: { at: handling.started_at, heldBy: handling.unit_id } } : {}) });
}

/** A line for lists: a part's state as its unit reads it. */
export function partState(part: Part, now: Date): string {
  const late = (part.replied_at ?? now) > part.due_at;
  const state = { dispatched: '待接收', accepted: '已接收', replied: '已答复' }[part.state];
  return `${state}${late ? '（超时）' : ''}`;
}
