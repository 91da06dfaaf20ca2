import type { ConnectionClass } from '../db/schema';
import { DomainError } from './errors';
import { normaliseNumber } from './numbering';
import { dayAndTime } from './sla/messages';
import { runningClocks } from './sla/running';
import { KINDS, STATES } from './tickets/machine';
import type { Session, Ticket } from './tickets/session';
import { transition } from './tickets/transition';

/**
 * Connection applications (业扩报装, regulation chapter 5, 五): their class, their steps after acceptance, and their
 * progress as a customer asking about it is told. Opening one is in ./tickets/open.ts with the other kinds.
 */

export const CONNECTION_CLASS_NAMES: Record<ConnectionClass, string> = {
  residential: '居民',
  low_voltage: '非居民低压',
  hv_single: '高压单电源',
  hv_dual: '高压双电源',
};

export type CustomerType = 'residential' | 'non_residential';
export type SupplyClass = Exclude<ConnectionClass, 'residential'>;

/**
 * The class the limits go by, from what the desk typed: 居民 alone, or a supply class (低压, 高压单电源, 高压双电源),
 * with or without 非居民. A non-residential application without a supply class is low voltage, as most are; a
 * residential customer is supplied at low voltage, so 居民 with a high-voltage class is a mistake to point out.
 */
export function connectionClass(customer: CustomerType | undefined, supply: SupplyClass | undefined): ConnectionClass {
  if (customer === undefined && supply === undefined) {
    throw new DomainError('class_required', '请写明报装类型：居民、非居民，或供电类别低压、高压单电源、高压双电源');
  }
  if (customer === 'residential') {
    if (supply !== undefined && supply !== 'low_voltage') {
      throw new DomainError('class_conflict', `居民用户为低压供电，不能按「${CONNECTION_CLASS_NAMES[supply]}」报装；高压供电请写 非居民 ${CONNECTION_CLASS_NAMES[supply]}`);
    }
    return 'residential';
  }
  return supply ?? 'low_voltage';
}

/** The responsible unit replies the supply plan (chapter 5, 五.3). */
export async function answerPlan(session: Session, ticket: Ticket, plan: string | undefined): Promise<Ticket> {
  return (await transition(session, ticket, 'answer_plan', plan ? { patch: { result: plan }, data: { plan } } : {})).ticket;
}

/** The customer's installation passed the acceptance inspection: the power-on limit starts (chapter 5, 五.1–2). */
export async function passInspection(session: Session, ticket: Ticket): Promise<Ticket> {
  return (await transition(session, ticket, 'inspect')).ticket;
}

export async function powerOn(session: Session, ticket: Ticket): Promise<Ticket> {
  return (await transition(session, ticket, 'power_on')).ticket;
}

/**
 * What a customer asking about an application recorded here is told (chapter 3, 四.1): where it stands and by when the
 * next step is due; undefined when the number is none of ours, so the marketing system is asked instead.
 */
export async function connectionProgress(session: Session, number: string): Promise<string | undefined> {
  const no = normaliseNumber(number);
  if (!no?.startsWith(KINDS.connection.prefix)) return undefined;
  const ticket = (await session.tx.selectFrom('tickets').selectAll().where('no', '=', no).where('kind', '=', 'connection').executeTakeFirst()) as
    | Ticket
    | undefined;
  if (!ticket) return undefined;
  const [next] = await runningClocks(session.tx, session.deps.calendar, ticket.id, session.now);
  const due = next ? `，${next.awaited}时限：${dayAndTime(next.dueAt)} 前` : '';
  const className = ticket.connection_class ? CONNECTION_CLASS_NAMES[ticket.connection_class] : '';
  return `报装申请 ${ticket.no}（${className}，${ticket.address ?? ''}）受理于 ${dayAndTime(ticket.created_at)}，当前：${STATES[ticket.state]}${due}。`;
}
