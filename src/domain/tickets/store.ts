import { sql } from 'kysely';
import type { Executor } from '../../db/database';
import { DomainError } from '../errors';
import { normaliseNumber } from '../numbering';
import { OPEN_STATES, OWNER_STATES, type Kind, type State } from './machine';
import type { Ticket, TicketEvent } from './session';

export async function findTicket(tx: Executor, typed: string): Promise<Ticket> {
  const no = normaliseNumber(typed);
  const ticket = no
    ? ((await tx.selectFrom('tickets').selectAll().where('no', '=', no).executeTakeFirst()) as Ticket | undefined)
    : undefined;
  if (!ticket) throw new DomainError('ticket_not_found', `没有找到工单 ${typed}，请核对单号（例如 GZ20261124-0007）`);
  return ticket;
}

/** A ticket as it stands now, by its row id. */
export async function ticketById(tx: Executor, id: number): Promise<Ticket> {
  return (await tx.selectFrom('tickets').selectAll().where('id', '=', id).executeTakeFirstOrThrow()) as Ticket;
}

export async function ticketEvents(tx: Executor, ticketId: number): Promise<TicketEvent[]> {
  return tx.selectFrom('ticket_events').selectAll().where('ticket_id', '=', ticketId).orderBy('id').execute();
}

/** Open work of some units, oldest first: what `/我的工单` shows a crew or department. */
export async function openTicketsOf(tx: Executor, unitIds: string[], limit = 20): Promise<Ticket[]> {
  if (unitIds.length === 0) return [];
  return (await tx
    .selectFrom('tickets')
    .selectAll()
    .where('owner_unit_id', 'in', unitIds)
    .where('state', 'in', OWNER_STATES)
    .orderBy('created_at')
    .limit(limit)
    .execute()) as Ticket[];
}

/** What waits for the desk: returned tickets to re-dispatch, completed ones to review, inquiries to answer. */
export async function deskQueue(tx: Executor, limit = 20): Promise<Ticket[]> {
  return (await tx
    .selectFrom('tickets')
    .selectAll()
    .where('state', 'in', ['returned', 'completed', 'received'] satisfies State[])
    .orderBy('created_at')
    .limit(limit)
    .execute()) as Ticket[];
}

/** Archived tickets whose customer has not been called back yet (`/待回访`). */
export async function awaitingRevisit(tx: Executor, limit = 30): Promise<Ticket[]> {
  return (await tx
    .selectFrom('tickets')
    .selectAll()
    .where('state', '=', 'archived')
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
