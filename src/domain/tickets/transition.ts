import type { Updateable } from 'kysely';
import type { TicketTables } from '../../db/schema';
import { shanghaiTime } from '../../calendar/calendar';
import { DomainError } from '../errors';
import { handleTicketEvent, type TicketEventNotice, type TicketLimit } from '../sla';
import { ACTION_NAMES, KINDS, STATES, stepFor, type Action, type State, type Step } from './machine';
import { BOT, type Session, type Ticket, type TicketEvent } from './session';

type TicketPatch = Omit<Updateable<TicketTables['tickets']>, 'id' | 'no' | 'kind' | 'state' | 'created_at' | 'updated_at'>;

/**
 * The one way a ticket moves. The UPDATE is guarded by the state the actor saw, so when two people act at the same
 * moment exactly one statement matches and the others are told who was first. The event row, the SLA clocks and the
 * messages to the people concerned are written in the same transaction.
 */
export async function transition(
  session: Session,
  ticket: Ticket,
  action: Action,
  options: { patch?: TicketPatch; data?: Record<string, unknown>; limit?: TicketLimit; since?: TicketEventNotice['since'] } = {},
): Promise<{ ticket: Ticket; event: TicketEvent }> {
  const step = await check(session, ticket, action);
  const moved = (await session.tx
    .updateTable('tickets')
    .set({ ...options.patch, state: step.to, updated_at: session.now })
    .where('id', '=', ticket.id)
    .where('state', '=', ticket.state)
    .returningAll()
    .executeTakeFirst()) as Ticket | undefined;
  if (!moved) throw await refusal(session, ticket, step);

  const event = await recordEvent(session, moved, {
    type: step.event,
    from: ticket.state,
    data: options.data ?? {},
    step,
    ...(options.limit ? { limit: options.limit } : {}),
    ...(options.since ? { since: options.since } : {}),
  });
  return { ticket: moved, event };
}

/** Whether the actor may take the step now; throws the refusal they should read. Writes nothing. */
export async function check(session: Session, ticket: Ticket, action: Action): Promise<Step> {
  const step = stepFor(ticket.kind, action);
  if (!step) throw new DomainError('no_such_step', `${KINDS[ticket.kind].name}工单 ${ticket.no} 没有「${ACTION_NAMES[action]}」这一步`);
  authorize(session, ticket, step);
  if (!step.from.includes(ticket.state)) throw await refusal(session, ticket, step);
  return step;
}

/** Writes an event row, tells the SLA clocks and the people concerned. Used by `transition` and by opening a ticket. */
export async function recordEvent(
  session: Session,
  ticket: Ticket,
  event: {
    type: string;
    from: State | null;
    data: Record<string, unknown>;
    step?: Step;
    limit?: TicketLimit;
    /** The helper unit whose part of a joint work order the event concerns. */
    part?: string;
    /** The once-per-ticket clocks it starts run from an earlier start (a re-classified order's first hand-over). */
    since?: TicketEventNotice['since'];
  },
): Promise<TicketEvent> {
  const row = await session.tx
    .insertInto('ticket_events')
    .values({
      ticket_id: ticket.id,
      type: event.type,
      from_state: event.from,
      to_state: ticket.state,
      actor_id: session.actor.userId,
      actor_name: session.actor.name,
      via: session.via.channel,
      via_ref: session.via.ref,
      chat_id: session.via.chatId,
      data: JSON.stringify(event.data),
      at: session.now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await handleTicketEvent(session.tx, session.deps, {
    ticketId: ticket.id,
    ticketNo: ticket.no,
    kind: ticket.kind,
    areaClass: ticket.area_class,
    connectionClass: ticket.connection_class,
    unitId: ticket.owner_unit_id,
    event: row.type,
    at: row.at,
    ...(event.limit ? { limit: event.limit } : {}),
    ...(event.part ? { part: event.part } : {}),
    ...(event.since ? { since: event.since } : {}),
  });
  await session.notify.ticketChanged(session, { ticket, event: row, ...(event.step ? { step: event.step } : {}) });
  return row;
}

function authorize(session: Session, ticket: Ticket, step: Step): void {
  const { actor, org } = session;
  if (actor.userId === BOT.userId) return;
  const isDesk = org.isMember(actor.userId, org.desk.id);
  const isOwner =
    (ticket.owner_unit_id !== null && org.isMember(actor.userId, ticket.owner_unit_id)) || actor.userId === ticket.owner_user_id;
  if (step.by === 'desk' && !isDesk) {
    throw new DomainError('desk_only', `「${step.verb}」由${org.desk.name}办理，${actor.name}不能操作 ${ticket.no}`);
  }
  if (step.by === 'desk_or_owner' && !isDesk && !isOwner) {
    throw new DomainError('not_owner', `${ticket.no} 由${org.desk.name}或承办的专业人员${step.verb}，${actor.name}不能操作`);
  }
  if (step.by === 'owner') {
    if (!isOwner) {
      const owner = ticket.owner_unit_id ? org.unit(ticket.owner_unit_id).name : org.desk.name;
      throw new DomainError('not_owner', `${ticket.no} 由${owner}负责，${actor.name}不是该单位成员，不能${step.verb}`);
    }
  }
  if (step.by === 'system') throw new DomainError('system_only', `「${step.verb}」由系统自动完成`);
}

/** Why a step cannot be taken now: who took it already and when, or which state the ticket is in. */
async function refusal(session: Session, ticket: Ticket, step: Step): Promise<DomainError> {
  const current = await session.tx
    .selectFrom('tickets')
    .select('state')
    .where('id', '=', ticket.id)
    .executeTakeFirstOrThrow();
  const done = await session.tx
    .selectFrom('ticket_events')
    .select(['actor_name', 'at'])
    .where('ticket_id', '=', ticket.id)
    .where('type', '=', step.event)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (done && !step.from.includes(current.state as State)) {
    return new DomainError('already_done', `${ticket.no} 已由 ${done.actor_name} 于 ${shanghaiTime(done.at)} ${step.verb}`);
  }
  return new DomainError('wrong_state', `${ticket.no} 当前状态为「${STATES[current.state as State]}」，不能${step.verb}`);
}
