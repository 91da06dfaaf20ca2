import { sql } from 'kysely';
import type { Executor } from '../../db/database';
import { DomainError } from '../errors';
import { normaliseNumber, SHORT_NUMBER_PATTERN } from '../numbering';
import { KINDS, OPEN_STATES, OWNER_STATES, WORK_ORDER_KINDS, stepFor, type Action, type Kind, type State } from './machine';
import type { Ticket, TicketEvent } from './session';

/**
 * Who asks for a ticket by its tail, and for which step: the units of the speaker (their chat's, their own) and the
 * action of the command, whose kinds are the only ones it can apply to.
 */
export interface TailContext {
  unitIds: string[];
  action?: Action;
}

/** A ticket by its number as typed: the full number, or only its tail (0004), resolved as `findByTail` says. */
export async function findTicket(tx: Executor, typed: string, context?: TailContext): Promise<Ticket> {
  if (SHORT_NUMBER_PATTERN.test(typed.trim())) return findByTail(tx, typed.trim(), context);
  const no = normaliseNumber(typed);
  const ticket = no
    ? ((await tx.selectFrom('tickets').selectAll().where('no', '=', no).executeTakeFirst()) as Ticket | undefined)
    : undefined;
  if (!ticket) throw new DomainError('ticket_not_found', `没有找到工单 ${typed}，请核对单号（例如 GZ20261124-0007）`);
  return ticket;
}

/**
 * `0004` means a ticket numbered 4th on the newest day that has one, looked for first among the open tickets the
 * speaker's units hold, then among the kinds the command applies to (a crew's /到达 is never about an inquiry), then
 * among all. When several remain, the person gets them numbered, each with the full number to send.
 */
async function findByTail(tx: Executor, tail: string, context?: TailContext): Promise<Ticket> {
  const suffix = `-${tail.padStart(4, '0')}`;
  const candidates = (await tx
    .selectFrom('tickets')
    .selectAll()
    .where('no', 'like', `%${suffix}`)
    .orderBy('created_at', 'desc')
    .orderBy('no')
    .limit(20)
    .execute()) as Ticket[];
  const day = (no: string) => no.slice(2, 10);
  const newestDay = (tickets: Ticket[]) => tickets.filter((ticket) => day(ticket.no) === day(tickets[0]?.no ?? ''));
  const action = context?.action;
  const held = candidates.filter((t) => OPEN_STATES.includes(t.state as State) && t.owner_unit_id !== null && context?.unitIds.includes(t.owner_unit_id));
  const fitting = action === undefined ? [] : candidates.filter((t) => stepFor(t.kind, action) !== undefined);
  for (const pool of [held, fitting, candidates]) {
    const newest = newestDay(pool);
    if (newest.length === 1) return newest[0]!;
    if (newest.length > 1) {
      const choices = newest.map((t, i) => `${i + 1}. ${t.no}（${KINDS[t.kind].name}）`).join('\n');
      throw new DomainError('ticket_ambiguous', `尾号 ${tail} 对应 ${newest.length} 张工单，请选择并发送完整单号：\n${choices}`);
    }
  }
  throw new DomainError('ticket_not_found', `没有找到尾号为 ${tail} 的工单，请核对单号（例如 GZ20261124-0007）`);
}

/** A ticket as it stands now, by its row id. */
export async function ticketById(tx: Executor, id: number): Promise<Ticket> {
  return (await tx.selectFrom('tickets').selectAll().where('id', '=', id).executeTakeFirstOrThrow()) as Ticket;
}

export async function ticketEvents(tx: Executor, ticketId: number): Promise<TicketEvent[]> {
  return tx.selectFrom('ticket_events').selectAll().where('ticket_id', '=', ticketId).orderBy('id').execute();
}


export interface QueueFilter {
  /** Only tickets marked 超时. */
  overdueOnly?: boolean;
}

/** Open work of some units, oldest first: what `/我的工单` shows a crew or department. */
async function openTicketsOf(tx: Executor, unitIds: string[], filter: QueueFilter = {}): Promise<Ticket[]> {
  if (unitIds.length === 0) return [];
  return (await tx
    .selectFrom('tickets')
    .selectAll()
    .where('owner_unit_id', 'in', unitIds)
    .where((eb) =>
      eb.or([
        eb('state', 'in', OWNER_STATES),
        // An application is its unit's from acceptance (the supply plan is due), an inquiry its specialist's once referred.
        eb.and([eb('kind', '=', 'connection'), eb('state', '=', 'received')]),
        eb('state', '=', 'referred'),
      ]),
    )
    .$if(filter.overdueOnly === true, (q) => q.where('overdue_at', 'is not', null))
    .orderBy('created_at')
    .execute()) as Ticket[];
}

/**
 * What waits for the desk: returned tickets to re-dispatch, completed ones to review, inquiries to answer, approved
 * work orders whose customer is still to be answered, and dissatisfied customers to follow up.
 */
export async function deskQueue(tx: Executor, filter: QueueFilter = {}): Promise<Ticket[]> {
  return (await tx
    .selectFrom('tickets')
    .selectAll()
    .where((eb) =>
      eb.or([
        eb('state', 'in', ['returned', 'completed', 'follow_up'] satisfies State[]),
        eb.and([eb('state', '=', 'received'), eb('kind', '!=', 'connection')]),
        eb.and([eb('state', '=', 'archived'), eb('kind', 'in', WORK_ORDER_KINDS)]),
      ]),
    )
    .$if(filter.overdueOnly === true, (q) => q.where('overdue_at', 'is not', null))
    .orderBy('created_at')
    .execute()) as Ticket[];
}

/**
 * Tickets whose customer has not been called back yet (`/待回访`): archived repairs, and work orders answered to a
 * customer who wants a revisit (one who wants none is closed by the answer).
 */
export async function awaitingRevisit(tx: Executor, limit = 30): Promise<Ticket[]> {
  return (await tx
    .selectFrom('tickets')
    .selectAll()
    .where((eb) =>
      eb.or([
        eb.and([eb('state', '=', 'archived'), eb('kind', '=', 'repair')]),
        eb.and([eb('state', '=', 'answered'), eb('kind', 'in', WORK_ORDER_KINDS)]),
      ]),
    )
    .orderBy('updated_at')
    .limit(limit)
    .execute()) as Ticket[];
}

/** The open repair at the same place: same area and address, or the same line. */
export async function openRepairAt(
  tx: Executor,
  place: { area: string; addressKey: string | null; line: string | null },
  except: number,
): Promise<Ticket | undefined> {
  return (await tx
    .selectFrom('tickets')
    .selectAll()
    .where('kind', '=', 'repair')
    .where('state', 'in', OPEN_STATES)
    .where('linked_ticket_id', 'is', null)
    .where('id', '!=', except)
    .where((eb) =>
      eb.or([
        ...(place.addressKey ? [eb.and([eb('area', '=', place.area), eb('address_key', '=', place.addressKey)])] : []),
        ...(place.line ? [eb('line', '=', place.line)] : []),
        sql<boolean>`false`,
      ]),
    )
    .orderBy('id')
    .limit(1)
    .executeTakeFirst()) as Ticket | undefined;
}

export interface TicketFilter {
  kind?: Kind;
  state?: State;
  unit?: string;
  overdue?: boolean;
  from?: Date;
  to?: Date;
  page: number;
  pageSize: number;
}

export async function listTickets(tx: Executor, filter: TicketFilter): Promise<{ items: Ticket[]; total: number }> {
  let query = tx.selectFrom('tickets');
  if (filter.kind) query = query.where('kind', '=', filter.kind);
  if (filter.state) query = query.where('state', '=', filter.state);
  if (filter.unit) query = query.where('owner_unit_id', '=', filter.unit);
  if (filter.overdue !== undefined) query = query.where('overdue_at', filter.overdue ? 'is not' : 'is', null);
  if (filter.from) query = query.where('created_at', '>=', filter.from);
  if (filter.to) query = query.where('created_at', '<', filter.to);
  const [{ total }, items] = await Promise.all([
    query.select(sql<number>`count(*)`.as('total')).executeTakeFirstOrThrow(),
    query
      .selectAll()
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(filter.pageSize)
      .offset((filter.page - 1) * filter.pageSize)
      .execute(),
  ]);
  return { items: items as Ticket[], total };
}

/** One line of a unit's work list: the ticket, the deadline it owes next, and whether it holds only a helper's part. */
export interface WorkItem {
  ticket: Ticket;
  dueAt: Date | null;
  part: boolean;
}

/**
 * What `/我的工单` shows a unit: the orders it owns, each with the nearest deadline it owes, and the parts it helps
 * with, with theirs; oldest first.
 */
export async function workListOf(tx: Executor, unitIds: string[], now: Date, filter: QueueFilter = {}): Promise<WorkItem[]> {
  if (unitIds.length === 0) return [];
  const owned = await openTicketsOf(tx, unitIds, filter);
  const dues = owned.length
    ? await tx
        .selectFrom('sla_clocks')
        .select(['ticket_id', (eb) => eb.fn.min('due_at').as('due')])
        .where('ticket_id', 'in', owned.map((t) => t.id))
        .where('stopped_at', 'is', null)
        .where('unit_id', 'in', unitIds)
        .groupBy('ticket_id')
        .execute()
    : [];
  const parts = (await tx
    .selectFrom('ticket_parts as p')
    .innerJoin('tickets as t', 't.id', 'p.ticket_id')
    .selectAll('t')
    .select('p.due_at as part_due_at')
    .where('p.unit_id', 'in', unitIds)
    .where('p.state', '!=', 'replied')
    .$if(filter.overdueOnly === true, (q) => q.where('p.due_at', '<', now))
    .orderBy('t.created_at')
    .execute()) as (Ticket & { part_due_at: Date })[];
  return [
    ...owned.map((ticket) => ({ ticket, dueAt: dues.find((d) => d.ticket_id === ticket.id)?.due ?? null, part: false })),
    ...parts.map(({ part_due_at, ...ticket }) => ({ ticket: ticket as Ticket, dueAt: part_due_at, part: true })),
  ];
}
